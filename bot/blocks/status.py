"""Status: one partnership in full for its leads, every partnership in a line for staff,
and a member's own check-ins."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement, HeaderBlock

from bot.blocks import ids
from bot.blocks import messages as msg
from bot.blocks.common import context, echo, esc, mrkdwn_section, percent, plain, quoted, when
from bot.blocks.pictures import partnership_charts
from storage.calendar import CalendarDay
from storage.insight import days_at, sparkline, trend_arrow
from storage.notes import Note
from storage.status import (
    Detail,
    Overview,
    OwnCheckin,
    OwnStatus,
    PartnershipStatus,
    Refusal,
    StatusView,
)
from storage.summaries import Summary

STATUS_ICON = {"on_track": "🟢", "at_risk": "🟠", "stalled": "🔴", "done": "✅", None: "⚪"}
STATUS_WORD: dict[str | None, str] = dict([*msg.STATUS_OPTIONS.items(), (None, "no update yet")])
MAX_NOTES = 5


def momentum_line(summary: Summary) -> str:
    series = summary.momentum_series
    known = [v for v in series if v is not None]
    now = f"{known[-1]:.1f}" if known else "n/a"
    return f"momentum {now} {trend_arrow(series)} `{sparkline(series) or '·'}`"


def _round_line(summary: Summary) -> str:
    current = summary.current
    if current is None:
        return "No check-in round has opened yet."
    paused = f", {summary.paused} paused" if summary.paused else ""
    return (f"{current.answered} of {current.eligible} members have checked in this round "
            f"({percent(current.response_rate)}{paused})")


def _calendar_line(calendar: CalendarDay) -> str:
    parts = []
    if calendar.days_to_report_back is not None and calendar.days_to_report_back >= 0:
        parts.append(f"{calendar.days_to_report_back} days to the report-back conference")
    if calendar.today_lull:
        parts.append(f"we're in the {esc(calendar.today_lull)}")
    return " · ".join(parts)


def _notes(title: str, notes: Sequence[Note], tz: str) -> str:
    lines = [f"*{title}*"]
    for note in notes[:MAX_NOTES]:
        lines.append(f"• {quoted(note.text, 300)} _({esc(note.person)}, "
                     f"{when(note.submitted_at, tz)})_")
    if len(notes) > MAX_NOTES:
        lines.append(f"…and {len(notes) - MAX_NOTES} more")
    return "\n".join(lines)


def status_blocks(detail: Detail, calendar: CalendarDay, now: datetime, *,
                  charts: bool = True) -> list[Block]:
    """A lead's view of their partnership: round, who is missing, momentum (charted over
    the last rounds), objectives, blockers, help requests, countdown, and a clear flag when
    it is stalling."""
    summary = detail.summary
    tz = calendar.timezone
    blocks: list[Block] = [HeaderBlock(text=plain(summary.name, 150))]
    if summary.reasons:
        blocks.append(mrkdwn_section("🚩 *Stalling:* " + "; ".join(summary.reasons)))
    blocks.append(mrkdwn_section(f"{_round_line(summary)}\n{momentum_line(summary)}"))
    if charts:
        blocks += partnership_charts(summary.name, detail.history)
    waiting = [m for m in detail.members if not m.answered and not m.paused]
    paused = [m for m in detail.members if m.paused]
    lines = []
    if waiting:
        lines.append("Not yet: " + ", ".join(esc(m.name) for m in waiting[:30]))
    if paused:
        lines.append("Paused: " + ", ".join(esc(m.name) for m in paused[:30]))
    quiet = [m for m in detail.members if m.quiet]
    if quiet:
        lines.append(msg.STATUS_QUIET.format(rounds=calendar.cadence.back_off_after,
                                             names=", ".join(esc(m.name) for m in quiet[:30])))
    if lines:
        blocks.append(context("\n".join(lines)))
    if summary.objectives:
        objective_lines = []
        for objective in summary.objectives[:40]:
            age = days_at(objective.status_since, now)
            since = (f" for {age} days" if age and objective.status in ("at_risk", "stalled")
                     else "")
            objective_lines.append(f"{STATUS_ICON[objective.status]} {esc(objective.title)} "
                                   f"_({STATUS_WORD[objective.status]}{since})_")
        blocks.append(mrkdwn_section("*Objectives*\n" + "\n".join(objective_lines)))
    other_flags = [f for f in summary.flags if f not in summary.reasons]
    if other_flags:
        blocks.append(context("⚠️ " + "; ".join(other_flags)))
    if detail.blockers:
        blocks.append(mrkdwn_section(_notes("Open blockers", detail.blockers, tz)))
    if detail.help:
        blocks.append(mrkdwn_section(_notes("Help requested", detail.help, tz)))
    calendar_line = _calendar_line(calendar)
    if calendar_line:
        blocks.append(context(calendar_line))
    return blocks


def overview_line(summary: Summary) -> str:
    current = summary.current
    rate = percent(current.response_rate) if current else "n/a"
    flag = "🚩 " if summary.reasons else ""
    issues = "; ".join(summary.flags)
    return (f"{flag}*{esc(summary.name)}* · {momentum_line(summary)} · response {rate}"
            + (f" · _{esc(issues)}_" if issues else ""))


def overview_blocks(summaries: Sequence[Summary], calendar: CalendarDay,
                    limit: int = 45) -> list[Block]:
    """One line per partnership, worst first, for staff."""
    blocks: list[Block] = [HeaderBlock(text=plain(f"{calendar.programme_name}: all "
                                                  "partnerships", 150))]
    calendar_line = _calendar_line(calendar)
    if calendar_line:
        blocks.append(context(calendar_line))
    for start in range(0, min(len(summaries), limit * 8), 8):
        chunk = summaries[start:start + 8]
        blocks.append(mrkdwn_section("\n".join(overview_line(s) for s in chunk)))
        if len(blocks) >= limit:
            blocks.append(context(f"…{len(summaries) - start - len(chunk)} more partnerships"))
            break
    return blocks


def overview_page_blocks(view: Overview) -> list[Block]:
    """A page of the overview with buttons to the pages either side."""
    blocks = overview_blocks(view.summaries, view.today)
    blocks.append(context(msg.OVERVIEW_PAGE.format(page=view.page, pages=view.pages,
                                                   total=view.total)))
    buttons = [ButtonElement(text=plain(label), action_id=f"{ids.OVERVIEW_PAGE}_{where}",
                             value=str(page))
               for label, where, page in ((msg.PREVIOUS, "previous", view.page - 1),
                                          (msg.MORE, "next", view.page + 1))
               if 1 <= page <= view.pages]
    if buttons:
        blocks.append(ActionsBlock(block_id=ids.OVERVIEW_PAGE, elements=buttons))
    return blocks


def own_checkin_blocks(checkins: Sequence[OwnCheckin], tz: str, *,
                       preface: str | None = None) -> list[Block]:
    """A member's own answers, and nobody else's."""
    blocks: list[Block] = []
    if preface:
        blocks.append(mrkdwn_section(preface))
    if not checkins:
        blocks.append(mrkdwn_section(msg.NO_CHECKINS_YET))
        return blocks
    latest = checkins[0]
    parts = [f"*Your latest check-in* ({esc(latest.partnership)}, "
             f"{when(latest.submitted_at, tz)}): momentum {latest.momentum}/5"]
    for label, text in (("Highlights", latest.highlights), ("Blockers", latest.blockers),
                        ("Help wanted", latest.help_text if latest.help_wanted else ""),
                        ("Next steps", latest.next_steps)):
        if text:
            parts.append(f"*{label}:* {quoted(text, 600)}")
    blocks.append(mrkdwn_section("\n".join(parts)))
    if len(checkins) > 1:
        blocks.append(context("Earlier: " + ", ".join(
            f"{when(c.submitted_at, tz)} {c.momentum}/5" for c in checkins[1:])))
    return blocks



def status_view_blocks(view: StatusView, now: datetime) -> list[Block]:
    """Render whatever `/lp status` decided this person may see."""
    if isinstance(view, Overview):
        return overview_page_blocks(view)
    if isinstance(view, OwnStatus):
        return own_checkin_blocks(view.checkins, view.tz,
                                  preface=msg.STATUS_FOR_LEADS if view.for_leads_note else None)
    if isinstance(view, PartnershipStatus):
        blocks = status_blocks(view.detail, view.today, now)
        if view.other_led_slug:
            blocks.append(mrkdwn_section(msg.SEVERAL_LED.format(command="status",
                                                                slug=view.other_led_slug)))
        return blocks
    return [mrkdwn_section(refusal_text(view))]


def refusal_text(refusal: Refusal) -> str:
    if refusal.reason == "unknown":
        return msg.UNKNOWN_PARTNERSHIP.format(key=echo(refusal.key, 80))
    if refusal.reason == "not_yours":
        return msg.NOT_YOUR_PARTNERSHIP
    return msg.HELP_OUTSIDER
