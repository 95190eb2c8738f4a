"""A closed round as its partnership channel sees it: a parent message with the headline
and threaded replies with what the partnership's sharing allows."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import Block

from bot.blocks import messages as msg
from bot.blocks.common import context, esc, mrkdwn_section, percent, quoted
from bot.blocks.digest import split
from storage.channel_summaries import RoundSummary, SharedAnswer
from storage.insight import response_rate, trend_arrow

TEXT_LIMIT = 600  # each typed answer, so one long answer can't fill a message
STATUSES = (*msg.STATUS_OPTIONS, None)


def _momentum(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}/5"


def headline_lines(summary: RoundSummary) -> list[str]:
    """How many of how many answered, which institutions, momentum and its trend,
    objectives by status: the same whatever the sharing (no typed text, no names)."""
    lines = [msg.SUMMARY_HEADLINE.format(partnership=esc(summary.partnership_name),
                                         answered=summary.answered, eligible=summary.eligible)]
    lines.append(msg.SUMMARY_INSTITUTIONS.format(
        names=", ".join(esc(i) for i in summary.institutions))
        if summary.institutions else msg.SUMMARY_NO_INSTITUTIONS)
    if summary.momentum is None:
        lines.append(msg.SUMMARY_NO_MOMENTUM)
    elif summary.previous_momentum is None:
        lines.append(msg.SUMMARY_MOMENTUM_FIRST.format(momentum=_momentum(summary.momentum)))
    else:
        arrow = trend_arrow([summary.previous_momentum, summary.momentum])
        change = summary.momentum - summary.previous_momentum
        lines.append(msg.SUMMARY_MOMENTUM.format(
            momentum=_momentum(summary.momentum),
            trend=f"{arrow} {msg.SUMMARY_TREND[arrow]}", change=f"{change:+.1f}"))
    counts = {status: 0 for status in STATUSES}
    for _, status in summary.objectives:
        counts[status if status in counts else None] += 1
    lines.append(msg.SUMMARY_OBJECTIVES.format(counts=" · ".join(
        f"{counts[s]} {msg.STATUS_OPTIONS[s].lower() if s else msg.SUMMARY_NOT_REPORTED}"
        for s in STATUSES)) if summary.objectives else msg.SUMMARY_NO_OBJECTIVES)
    return lines


def _figures(summary: RoundSummary) -> list[Block]:
    blocks: list[Block] = [mrkdwn_section(msg.SUMMARY_FIGURES.format(
        answered=summary.answered, eligible=summary.eligible,
        rate=percent(response_rate(summary.answered, summary.eligible)),
        momentum=_momentum(summary.momentum)))]
    if summary.objectives:
        blocks.append(mrkdwn_section("\n".join(msg.SUMMARY_OBJECTIVE_LINE.format(
            title=esc(title), status=msg.STATUS_OPTIONS.get(status or "",
                                                           msg.SUMMARY_NOT_REPORTED))
            for title, status in summary.objectives[:40])[:2900]))
    return blocks


def _anonymous(summary: RoundSummary) -> list[Block]:
    """``summary`` sharing: highlights and blockers, quoted, with no name anywhere."""
    blocks: list[Block] = []
    for title, texts in ((msg.SUMMARY_HIGHLIGHTS, summary.highlights),
                         (msg.SUMMARY_BLOCKERS, summary.blockers)):
        if texts:
            blocks.append(mrkdwn_section(title))
            blocks += [mrkdwn_section(f"• {quoted(text, TEXT_LIMIT)}") for text in texts]
    return blocks or [context(msg.SUMMARY_NONE_TYPED)]


def _named(answer: SharedAnswer) -> Block:
    """``full`` sharing: one member's answers under their name."""
    lines = [msg.SUMMARY_ANSWER_HEAD.format(
        name=esc(answer.name), momentum=msg.MOMENTUM_OPTIONS.get(answer.momentum, "?"))]
    for field, label in msg.SUMMARY_ANSWER_LABELS.items():
        text = str(getattr(answer, field))
        if text.strip():
            lines.append("• " + msg.SUMMARY_ANSWER_PART.format(
                label=label, text=quoted(text, TEXT_LIMIT)))
    return mrkdwn_section("\n".join(lines))


def channel_summary_messages(summary: RoundSummary) -> list[dict[str, Any]]:
    """The parent and its threaded replies as {"text", "blocks"} payloads; ``off`` gets
    nothing at all (the tick never asks, and this says so again)."""
    if summary.sharing == "off":
        return []
    parent = [mrkdwn_section("\n".join(headline_lines(summary))),
              context(msg.SUMMARY_THREAD_HINT.format(sharing=summary.sharing))]
    detail = _figures(summary) + (
        [_named(a) for a in summary.answers] if summary.sharing == "full"
        else _anonymous(summary))
    title = msg.SUMMARY_DETAIL_TITLE.format(partnership=esc(summary.partnership_name))
    text = msg.SUMMARY_TEXT.format(partnership=esc(summary.partnership_name),
                                   answered=summary.answered, eligible=summary.eligible)
    return [{"text": text, "blocks": [b.to_dict() for b in parent]}] + [
        {"text": m.text, "blocks": [b.to_dict() for b in m.blocks]}
        for m in split(detail, title)]
