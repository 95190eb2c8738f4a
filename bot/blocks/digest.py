"""The weekly digest for programme staff: as Block Kit messages and as Markdown."""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk.models.blocks import Block, DividerBlock, HeaderBlock

from bot.blocks.charts import MAX_CHARTS_PER_MESSAGE, chart_count
from bot.blocks.common import clip, context, esc, mrkdwn_section, percent, plain, quoted, typed
from bot.blocks.introduction import common_ground_blocks, ground_markdown
from bot.blocks.pictures import objectives_chart, programme_charts
from bot.blocks.status import momentum_line
from storage.digest import Digest
from storage.series import objectives_by_status
from storage.summaries import Summary

BLOCKS_PER_MESSAGE = 45  # Slack allows 50; keep room for a continuation note
SECTION_CHARS = 2800
MAX_NAMES = 8


@dataclass(frozen=True)
class DigestMessage:
    text: str
    blocks: list[Block]


def _headline(digest: Digest) -> list[str]:
    cal = digest.calendar
    momentum = f"{digest.momentum:.1f}/5" if digest.momentum is not None else "n/a"
    lines = [f"Programme momentum {momentum} · response {percent(digest.response_rate)} · "
             f"{len(digest.stalling)} of {len(digest.partnerships)} partnerships stalling"]
    if cal.days_to_report_back is not None and cal.days_to_report_back >= 0:
        lines.append(f"{cal.days_to_report_back} days to the report-back conference")
    if cal.today_lull:
        lines.append(f"We're in the {cal.today_lull}: expect quieter check-ins and nudge "
                     "early.")
    return lines


def _partnership_line(summary: Summary, help_count: int) -> str:
    current = summary.current
    parts = [f"*{esc(summary.name)}*", momentum_line(summary),
             f"response {percent(current.response_rate if current else None)}"]
    if summary.at_risk:
        parts.append(f"{len(summary.at_risk)} objective(s) at risk")
    if help_count:
        parts.append(f"{help_count} help request(s)")
    line = " · ".join(parts)
    if summary.flags:
        line += f"\n    🚩 {esc('; '.join(summary.flags))}"
    return line


def _theme_lines(digest: Digest) -> list[str]:
    lines = []
    for theme in digest.themes[:10]:
        names = [esc(n) for n in theme.partnerships[:MAX_NAMES]]
        others = len(theme.partnerships) - len(names)
        if others:
            names.append(f"{others} other partnerships")
        joined = ", ".join(names[:-1]) + " and " + names[-1]
        both = "both" if len(names) == 2 else "all"
        lines.append(f"• *{esc(theme.name)}*: {joined} {both} report blockers or requests "
                     f"on {esc(theme.name)}. Worth connecting them.")
    return lines


def _sections(lines: list[str]) -> list[Block]:
    """Pack lines into sections under Slack's 3,000-character limit, never cutting one."""
    blocks: list[Block] = []
    chunk = ""
    for line in lines:
        line = clip(line, SECTION_CHARS)
        if chunk and len(chunk) + len(line) + 1 > SECTION_CHARS:
            blocks.append(mrkdwn_section(chunk))
            chunk = ""
        chunk = f"{chunk}\n{line}" if chunk else line
    if chunk:
        blocks.append(mrkdwn_section(chunk))
    return blocks


def digest_blocks(digest: Digest) -> list[Block]:
    """The whole digest as one list of blocks (split into messages by ``split``)."""
    help_by: dict[int, int] = {}
    for note in digest.help:
        help_by[note.partnership_id] = help_by.get(note.partnership_id, 0) + 1
    blocks: list[Block] = [
        HeaderBlock(text=plain(f"{digest.calendar.programme_name}: weekly digest", 150)),
        mrkdwn_section("\n".join(esc(line) for line in _headline(digest))),
        *programme_charts(digest.weeks, digest.partnerships),
        DividerBlock(),
        mrkdwn_section("*Partnerships, most in need of help first*"),
    ]
    blocks += _sections([_partnership_line(s, help_by.get(s.partnership_id, 0))
                         for s in digest.partnerships])
    if digest.partnerships:
        blocks += [DividerBlock(), *objectives_chart(objectives_by_status(digest.partnerships))]
    if digest.help:
        blocks += [DividerBlock(), mrkdwn_section("*Help requested from the programme team*")]
        blocks += _sections([f"• *{esc(n.partnership)}* ({esc(n.person)}): "
                             f"{quoted(n.text, 400)}" for n in digest.help])
    if digest.common_ground:
        blocks += [DividerBlock(), mrkdwn_section("*Common ground across partnerships*")]
        blocks += common_ground_blocks(digest.common_ground)
    elif digest.themes:
        blocks += [DividerBlock(), mrkdwn_section("*Common ground across partnerships*")]
        blocks += _sections(_theme_lines(digest))
    if digest.failures:
        blocks += [DividerBlock(), mrkdwn_section("*Messages Slack refused this week*")]
        blocks += _sections([f"• {f.kind} to {esc(f.recipient)}: {esc(f.error or 'unknown')}"
                             for f in digest.failures])
    return blocks


def _parts(blocks: list[Block]) -> list[list[Block]]:
    """Runs of blocks within 45 blocks and two charts each; a chart stays with the text
    line just before it."""
    parts: list[list[Block]] = [[]]
    for index, block in enumerate(blocks):
        part = parts[-1]
        is_chart = chart_count([block]) == 1
        starts_charts = (not is_chart and index + 1 < len(blocks)
                         and chart_count([blocks[index + 1]]) == 1)
        full = len(part) >= BLOCKS_PER_MESSAGE or (
            starts_charts and chart_count(part) >= MAX_CHARTS_PER_MESSAGE) or (
            is_chart and chart_count(part) >= MAX_CHARTS_PER_MESSAGE)
        if full and part:
            parts.append([])
        parts[-1].append(block)
    return [p for p in parts if p]


def split(blocks: list[Block], title: str) -> list[DigestMessage]:
    """A parent message and threaded replies, each within Slack's 50 blocks and two
    charts; never cut."""
    parts = _parts(blocks)
    messages = []
    for index, part in enumerate(parts):
        if index == 0 and len(parts) > 1:
            part = [*part, context(f"Continued in {len(parts) - 1} threaded "
                                   f"repl{'y' if len(parts) == 2 else 'ies'}.")]
        label = title if index == 0 else f"{title} (part {index + 1} of {len(parts)})"
        messages.append(DigestMessage(label, part))
    return messages


def digest_messages(digest: Digest) -> list[DigestMessage]:
    return split(digest_blocks(digest), f"{digest.calendar.programme_name}: weekly digest")


def _md(text: str) -> str:
    return typed(text, markup="markdown")


def digest_markdown(digest: Digest) -> str:
    """The digest as Markdown, for `lpbot digest --preview` and e-mail."""
    out = [f"# {digest.calendar.programme_name}: weekly digest", ""]
    out += [f"- {line}" for line in _headline(digest)]
    out += ["", "## Partnerships, most in need of help first", ""]
    for summary in digest.partnerships:
        current = summary.current
        out.append(f"- **{_md(summary.name)}**: {momentum_line(summary).replace('`', '')}, "
                   f"response {percent(current.response_rate if current else None)}"
                   + (f"; {'; '.join(summary.flags)}" if summary.flags else ""))
    if digest.help:
        out += ["", "## Help requested", ""]
        out += [f"- **{_md(n.partnership)}** ({_md(n.person)}): "
                f"{quoted(n.text, 400, markup='markdown')}" for n in digest.help]
    if digest.common_ground:
        out += ["", "## Common ground", ""]
        out += [ground_markdown(g) for g in digest.common_ground]
    elif digest.themes:
        out += ["", "## Common ground", ""]
        out += [f"- **{_md(t.name)}**: {', '.join(_md(p) for p in t.partnerships)}"
                for t in digest.themes]
    if digest.failures:
        out += ["", "## Messages Slack refused", ""]
        out += [f"- {f.kind} to {_md(f.recipient)}: {_md(f.error or 'unknown')}"
                for f in digest.failures]
    return "\n".join(out) + "\n"


