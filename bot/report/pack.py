"""Build the report-back pack: a page per partnership (its own copy and staff's), and the
programme overview, written one page at a time to a folder or a zip file."""

from __future__ import annotations

import io
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bot.report.figures import MomentumChart, Point
from bot.report.pages import overview_page, partnership_page, points, week_of
from storage.pack import PackPartnership, PackProgramme

Write = Callable[[str, str], None]  # (path inside the pack, HTML)


@dataclass(frozen=True)
class PackResult:
    pages: int
    partnerships: int


def build_pack(programme: PackProgramme, partnerships: Iterable[PackPartnership],
               write: Write) -> PackResult:
    """Write every page, one partnership at a time (nothing is held but the overview's
    figures); the overview last, from the figures gathered on the way. One process: with
    the charts' axes drawn once (bot/report/figures.py) a chart costs a few milliseconds,
    less than handing it to another process would."""
    calendar = programme.calendar
    lulls = [(w.starts, w.ends) for w in calendar.lulls]
    chart = MomentumChart()
    rows: list[tuple[str, str, float | None, float | None, str]] = []
    weeks: dict[date, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
    count = 0
    for partnership in partnerships:
        svg = chart.svg(points(partnership), lulls, calendar.report_back, partnership.name,
                        starts=calendar.start)
        write(f"partnerships/{partnership.slug}.html",
              partnership_page(partnership, programme, svg, "partnership"))
        write(f"staff/{partnership.slug}.html",
              partnership_page(partnership, programme, svg, "staff"))
        for r in partnership.rounds:
            week = weeks[week_of(r.opens_on)]  # answered, eligible, momentum sum, its weight
            week[0] += r.answered
            week[1] += r.eligible
            if r.momentum is not None:
                week[2] += r.momentum * r.answered
                week[3] += r.answered
        last = partnership.rounds[-1] if partnership.rounds else None
        rows.append((partnership.slug, partnership.name, last.momentum if last else None,
                     last.answered / last.eligible if last and last.eligible else None,
                     partnership.sharing))
        count += 1
    programme_points = [Point(day, w[2] / w[3] if w[3] else None,
                              min(1.0, w[0] / w[1]) if w[1] else None)
                        for day, w in sorted(weeks.items())]
    svg = chart.svg(programme_points, lulls, calendar.report_back,
                    f"{calendar.name}: momentum and response by week", starts=calendar.start)
    write("index.html", overview_page(programme, svg, rows))
    return PackResult(pages=2 * count + 1, partnerships=count)


def to_folder(folder: Path) -> Write:
    """Write pages under ``folder`` (created as needed)."""
    def write(name: str, html: str) -> None:
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
    return write


def zipped(programme: PackProgramme, partnerships: Iterable[PackPartnership]
           ) -> tuple[bytes, PackResult]:
    """The whole pack as one zip file (for sending in Slack)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        result = build_pack(programme, partnerships,
                            lambda name, html: archive.writestr(f"report-back/{name}", html))
    return buffer.getvalue(), result
