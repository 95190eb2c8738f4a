"""Plain-text and Markdown renderings for the terminal: status, report-back summary."""

from __future__ import annotations

from datetime import datetime

from bot.blocks.common import percent, quoted, typed
from bot.blocks.status import STATUS_WORD
from storage.calendar import CalendarDay
from storage.insight import days_at, sparkline, trend_arrow
from storage.report import ReportData
from storage.status import Detail
from storage.summaries import Summary


def _momentum(summary: Summary) -> str:
    series = summary.momentum_series
    known = [v for v in series if v is not None]
    return (f"momentum {known[-1]:.1f} {trend_arrow(series)} {sparkline(series) or '·'}"
            if known else "momentum n/a")


def _plain(text: str) -> str:
    return typed(text, markup="plain")


def _md(text: str) -> str:
    return typed(text, markup="markdown")


def overview_text(summaries: list[Summary], calendar: CalendarDay) -> str:
    """`lpbot status all`: one line per partnership, worst first."""
    lines = [f"{calendar.programme_name}: {len(summaries)} partnerships, worst first"]
    if calendar.days_to_report_back is not None:
        lines.append(f"{calendar.days_to_report_back} days to the report-back conference"
                     + (f"; in the {calendar.today_lull}" if calendar.today_lull else ""))
    for s in summaries:
        current = s.current
        flag = "! " if s.reasons else "  "
        lines.append(f"{flag}{s.slug:<28} {_momentum(s):<32} response "
                     f"{percent(current.response_rate if current else None):>4}"
                     + (f"  ({'; '.join(s.flags)})" if s.flags else ""))
    return "\n".join(lines)


def status_text(detail: Detail, calendar: CalendarDay, now: datetime) -> str:
    """`lpbot status <slug>`: the same facts a lead sees in Slack."""
    s = detail.summary
    current = s.current
    lines = [f"{_plain(s.name)} ({_plain(s.place)})", _plain(s.challenge), ""]
    if s.reasons:
        lines.append("STALLING: " + "; ".join(s.reasons))
    if current:
        lines.append(f"{current.answered} of {current.eligible} checked in this round "
                     f"({percent(current.response_rate)}), {s.paused} paused")
    lines.append(_momentum(s))
    lines.append("Not yet: " + (", ".join(_plain(m.name) for m in detail.members
                                          if not m.answered and not m.paused) or "nobody"))
    lines.append("")
    for o in s.objectives:
        age = days_at(o.status_since, now)
        lines.append(f"- {_plain(o.title)}: {STATUS_WORD[o.status]}"
                     + (f" for {age} days" if age and o.status in ("at_risk", "stalled")
                        else ""))
    for title, notes in (("Open blockers", detail.blockers), ("Help requested", detail.help)):
        if notes:
            lines += ["", title + ":"] + [
                f"- {quoted(n.text, markup='plain')} ({_plain(n.person)})" for n in notes]
    other = [f for f in s.flags if f not in s.reasons]
    if other:
        lines += ["", "Also: " + "; ".join(other)]
    return "\n".join(lines)


def report_markdown(data: ReportData) -> str:
    """The report-back summary, as Markdown for the partnership to edit."""
    values = [m for _, m in data.momentum]
    known = [v for v in values if v is not None]
    out = [f"# {_md(data.name)}: report-back summary", "", f"*{_md(data.place)}*", "",
           "## The challenge", "", _md(data.challenge), "", "## Objectives and their journey",
           ""]
    for objective in data.objectives:
        state = "" if objective.active else " (retired)"
        out.append(f"### {_md(objective.title)}{state}")
        if len(objective.wordings) > 1:
            out.append("Earlier wordings: " + "; ".join(_md(w) for w in objective.wordings[:-1]))
        journey = " → ".join(f"{STATUS_WORD[status]} ({at:%d %b})"
                             for at, status in objective.statuses)
        out += [journey or "No status reported yet.", ""]
    out += ["## Momentum over the programme", ""]
    if known:
        out.append(f"`{sparkline(values)}` from {known[0]:.1f} to {known[-1]:.1f} over "
                   f"{len(values)} rounds; {data.checkins} check-ins from {data.people} people.")
    else:
        out.append("No check-ins yet.")
    out += ["", "## Highlights", ""]
    out += [f"- {at:%d %b}: {quoted(text, markup='markdown')} ({_md(who)})"
            for at, who, text in data.highlights[-15:]] or [
        "- (none recorded)"]
    out += ["", "## What we asked for help with", ""]
    out += [f"- {at:%d %b}: {quoted(text, markup='markdown')} ({_md(who)})"
            for at, who, text in data.help] or [
        "- (no help requests)"]
    out += ["", "## What helped", "", "_Add what made the difference here._", ""]
    return "\n".join(out)
