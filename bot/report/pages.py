"""The pack's HTML pages: self-contained (inline CSS and SVG), offline, A4 when printed.

Everything a person typed, and every name, goes through the one sanitiser (``shown``:
bot/sanitise.py's ``typed``, on one line, no bidi or invisible characters, escaped for
HTML). A partnership's own copy shows free text only as its sharing setting allows;
staff's copy shows it all.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import lru_cache
from html import escape
from typing import Literal

from bot.report.figures import Point
from bot.sanitise import typed
from storage.pack import PackNote, PackPartnership, PackProgramme
from storage.sharing import shows_names, shows_text

Copy = Literal["partnership", "staff"]
STATUS = {"on_track": "On track", "at_risk": "At risk", "stalled": "Stalled", "done": "Done",
          None: "Not rated yet"}
CSS = """
@page { size: A4; margin: 16mm 14mm; }
body { font: 10.5pt/1.45 system-ui, "Segoe UI", Helvetica, Arial, sans-serif; color: #1d1c1d;
       max-width: 182mm; margin: 1rem auto; padding: 0 .5rem; }
h1 { font-size: 18pt; margin: 0 0 .2rem; } h2 { font-size: 12.5pt; margin: 1.2rem 0 .3rem; }
.meta { color: #616061; font-size: 9pt; }
figure { margin: .6rem 0; break-inside: avoid; } figure svg { width: 100%; height: auto; }
figcaption { font-size: 9pt; color: #616061; }
table { border-collapse: collapse; width: 100%; font-size: 9.5pt; break-inside: auto; }
th, td { text-align: left; padding: .2rem .4rem; border-bottom: 1px solid #ddd; }
tr { break-inside: avoid; }
.status { display: inline-block; padding: 0 .35rem; border-radius: .25rem; font-size: 8.5pt; }
.on_track { background: #d9f2e6; } .at_risk { background: #fde7c8; }
.stalled { background: #fbd3dd; } .done { background: #dbe9f7; } .none { background: #eee; }
ul.notes li { margin: .15rem 0; break-inside: avoid; }
.key { display: inline-block; width: .8rem; height: .8rem; background: #f2c744;
       opacity: .5; vertical-align: middle; }
@media print { a { color: inherit; text-decoration: none; } .noprint { display: none; } }
"""


def shown(text: str) -> str:
    """Typed text (an answer, a name, a title) as it goes into a page."""
    return typed(text, markup="html")


def page(title: str, body: str) -> str:
    """A whole HTML document: no external file, font, script or network request."""
    return (f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{shown(title)}</title><style>{CSS}</style></head>"
            f"<body>{body}</body></html>\n")


def points(partnership: PackPartnership) -> list[Point]:
    return [Point(r.opens_on, r.momentum, min(1.0, r.answered / r.eligible)
                  if r.eligible else None) for r in partnership.rounds]


def _countdown(programme: PackProgramme) -> str:
    days = programme.days_to_report_back
    when = f"{programme.calendar.report_back:%-d %B %Y}"
    if days > 0:
        return f"{days} days to the report-back conference ({when})."
    return f"The report-back conference: {when}."


def _figure(svg: str, caption: str) -> str:
    return (f'<figure>{svg}<figcaption>{escape(caption)} <span class="key"></span> lull '
            "windows; dashed line: the report-back conference.</figcaption></figure>")


@lru_cache(maxsize=4096)
def _step(day: date, status: str) -> str:
    """One change in an objective's history: a programme has a few hundred distinct ones,
    and its pack shows them hundreds of thousands of times."""
    return (f'<span class="status {escape(status)}">{STATUS.get(status) or escape(status)}'
            f'</span> <span class="meta">{day:%-d %b}</span>')


def _objectives(partnership: PackPartnership, titles: bool) -> str:
    if not partnership.objectives:
        return "<p>No objectives were set.</p>"
    rows = []
    for index, objective in enumerate(partnership.objectives, 1):
        name = shown(objective.title) if titles else f"Objective {index}"
        history = " → ".join(_step(day, status) for day, status in objective.history)
        latest = objective.status or (objective.history[-1][1] if objective.history else None)
        rows.append(f'<tr><td>{name}</td><td><span class="status {latest or "none"}">'
                    f"{STATUS.get(latest, '')}</span></td>"
                    f"<td>{history or '<span class=meta>no updates</span>'}</td></tr>")
    return ("<table><tr><th>Objective</th><th>Now</th><th>Status history</th></tr>"
            + "".join(rows) + "</table>")


def _notes(title: str, notes: Sequence[PackNote], names: bool) -> str:
    if not notes:
        return ""
    items = "".join(
        f"<li>{shown(n.text)}"
        + (f' <span class="meta">({shown(n.person)}, {n.at:%-d %b %Y})</span>' if names
           else f' <span class="meta">({n.at:%b %Y})</span>') + "</li>"
        for n in reversed(notes))
    return f'<h2>{escape(title)}</h2><ul class="notes">{items}</ul>'


def partnership_page(partnership: PackPartnership, programme: PackProgramme, svg: str,
                     copy: Copy) -> str:
    """One partnership's page: staff's copy in full, the partnership's as it shares."""
    staff = copy == "staff"
    text = staff or shows_text(partnership.sharing)
    names = staff or shows_names(partnership.sharing)
    answered = sum(r.answered for r in partnership.rounds)
    body = [
        f"<h1>{shown(partnership.name)}</h1>",
        f'<p class="meta">{shown(partnership.place)} · '
        f"{shown(programme.calendar.name)} · {_countdown(programme)}</p>",
    ]
    if text:
        body.append(f"<p>{shown(partnership.challenge)}</p>")
    body += [
        f"<p>{len(partnership.rounds)} check-in rounds, {answered} check-ins from "
        f"{partnership.eligible} members.</p>",
        _figure(svg, "Momentum and response over the whole programme."),
        "<h2>Institutions taking part</h2>",
        "<p>" + (", ".join(shown(i) for i in partnership.institutions) or "Not recorded.")
        + "</p>",
        "<h2>Objectives</h2>", _objectives(partnership, titles=text),
    ]
    if text:
        body.append(_notes("Highlights", partnership.highlights, names))
        body.append(_notes("Blockers", partnership.blockers, names))
    else:
        body.append("<p class=meta>This partnership shares figures only, so what its "
                    "members wrote stays with them.</p>")
    who = "programme staff" if staff else "the partnership"
    body.append(f'<p class="meta">Prepared for {who} on '
                f"{programme.generated_at:%-d %B %Y}.</p>")
    return page(f"{partnership.name}: report-back", "".join(body))


def overview_page(programme: PackProgramme, svg: str,
                  rows: Sequence[tuple[str, str, float | None, float | None, str]]) -> str:
    """The programme at a glance: its weeks charted, one line per partnership linked."""
    lines = "".join(
        f'<tr><td>{shown(name)}</td><td><a href="partnerships/{escape(slug)}.html">'
        f'theirs</a> · <a href="staff/{escape(slug)}.html">staff</a></td>'
        f"<td>{'–' if momentum is None else f'{momentum:.1f}'}</td>"
        f"<td>{'–' if rate is None else f'{round(rate * 100)}%'}</td>"
        f"<td>{escape(sharing)}</td></tr>"
        for slug, name, momentum, rate, sharing in rows)
    body = (f"<h1>{shown(programme.calendar.name)}: report-back pack</h1>"
            f'<p class="meta">{_countdown(programme)} {len(rows)} partnerships.</p>'
            + _figure(svg, "The programme week by week.")
            + "<h2>Partnerships</h2><table><tr><th>Partnership</th><th>Pages</th>"
            "<th>Momentum (last)</th><th>Response (last)</th><th>Sharing</th></tr>"
            + lines + "</table>"
            + f'<p class="meta">Generated {programme.generated_at:%-d %B %Y}.</p>')
    return page(f"{programme.calendar.name}: report-back pack", body)


def week_of(day: date) -> date:
    return date.fromordinal(day.toordinal() - day.weekday())


