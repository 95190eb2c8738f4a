"""Build the report-back pack: a page per partnership (its own copy and staff's), and the
programme overview, written one page at a time to a folder or a zip file."""

from __future__ import annotations

import io
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from itertools import islice
from multiprocessing import get_context
from pathlib import Path

from bot.report.figures import MomentumChart, Point
from bot.report.pages import overview_page, partnership_page, points, week_of
from storage.pack import PackPartnership, PackProgramme

Write = Callable[[str, str], None]  # (path inside the pack, HTML)


@dataclass(frozen=True)
class PackResult:
    pages: int
    partnerships: int


_CHART: list[MomentumChart] = []  # one per process (a worker's own, or the caller's)


def _draw(job: tuple[list[Point], list[tuple[date, date]], date, str]) -> str:
    if not _CHART:
        _CHART.append(MomentumChart())
    return _CHART[0].svg(*job)


def _charts(programme: PackProgramme, partnerships: Iterable[PackPartnership],
            workers: int) -> Iterator[tuple[PackPartnership, str]]:
    """Each partnership with its chart; drawn by ``workers`` processes when above 1 (the
    drawing is most of the pack's time), in order, a slice at a time."""
    lulls = [(w.starts, w.ends) for w in programme.calendar.lulls]
    report_back = programme.calendar.report_back
    if workers <= 1:
        for p in partnerships:
            yield p, _draw((points(p), lulls, report_back, p.name))
        return
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        iterator = iter(partnerships)
        while batch := list(islice(iterator, 100)):
            jobs = [(points(p), lulls, report_back, p.name) for p in batch]
            yield from zip(batch, pool.map(_draw, jobs, chunksize=10), strict=True)


def build_pack(programme: PackProgramme, partnerships: Iterable[PackPartnership],
               write: Write, *, workers: int = 1) -> PackResult:
    """Write every page; the overview last, from the figures gathered on the way."""
    calendar = programme.calendar
    lulls = [(w.starts, w.ends) for w in calendar.lulls]
    rows: list[tuple[str, str, float | None, float | None, str]] = []
    weeks: dict[date, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
    count = 0
    for partnership, svg in _charts(programme, partnerships, workers):
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
    svg = _draw((programme_points, lulls, calendar.report_back,
                 f"{calendar.name}: momentum and response by week"))
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
