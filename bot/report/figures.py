"""Charts for the report-back pack, drawn by matplotlib's SVG backend as inline SVG.

No pyplot and no display: a ``Figure`` on the SVG canvas, text kept as text (so it reads
and prints crisply), the XML prologue dropped so the SVG sits inside the HTML page.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import matplotlib
from matplotlib.artist import Artist
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

MOMENTUM_COLOUR = "#1264a3"
RESPONSE_COLOUR = "#2bac76"
LULL_COLOUR = "#f2c744"
# A fixed title position spares matplotlib measuring every tick label to place it.
STYLE: dict[str, Any] = {"svg.fonttype": "none", "font.size": 8, "axes.spines.top": False,
         "axes.spines.right": False, "font.family": "sans-serif", "axes.titley": 1.02}


@dataclass(frozen=True)
class Point:
    """One round or week: when, momentum (1-5) and response (0-1), if known."""

    day: date
    momentum: float | None
    response: float | None


def safe(text: str) -> str:
    """A label matplotlib draws as written: ``$`` would start mathtext."""
    return text.replace("\\", "\\\\").replace("$", r"\$")


class MomentumChart:
    """One figure, drawn again for each partnership: building a figure costs more than
    drawing it, and the pack draws a thousand. Not shared between threads."""

    def __init__(self) -> None:
        with matplotlib.rc_context(STYLE):  # type: ignore[arg-type]
            self.figure = Figure(figsize=(7.2, 3.2))
            FigureCanvasSVG(self.figure)
            self.top = self.figure.add_axes((0.09, 0.42, 0.89, 0.5))
            self.bottom = self.figure.add_axes((0.09, 0.1, 0.89, 0.27), sharex=self.top)
            self.top.set_ylim(1, 5)
            self.top.set_yticks([1, 2, 3, 4, 5])
            self.top.set_ylabel("Momentum (1–5)")
            self.top.tick_params(labelbottom=False)
            self.bottom.set_ylim(0, 100)
            self.bottom.set_yticks([0, 50, 100])
            self.bottom.set_ylabel("Response %")
            for axes in (self.top, self.bottom):
                axes.grid(axis="y", linewidth=0.3)
            self.drawn: list[Artist] = []

    def svg(self, points: Sequence[Point], lulls: Sequence[tuple[date, date]],
            report_back: date | None, title: str) -> str:
        """Momentum and response over the whole programme, lull windows shaded."""
        for artist in self.drawn:
            artist.remove()
        top, bottom = self.top, self.bottom
        days = [p.day.toordinal() for p in points]
        known = [(p.day.toordinal(), p.momentum) for p in points if p.momentum is not None]
        top.set_title(safe(title), loc="left", fontsize=9)
        drawn: list[Artist] = []
        if known:
            drawn += top.plot([d for d, _ in known], [m for _, m in known],
                              color=MOMENTUM_COLOUR, linewidth=1.4)
        # The bars as one path (NaN breaks between them), not a shape per round.
        xs: list[float] = []
        ys: list[float] = []
        for day, point in zip(days, points, strict=True):
            xs += [day, day, math.nan]
            ys += [0, round((point.response or 0) * 100), math.nan]
        drawn += bottom.plot(xs, ys, color=RESPONSE_COLOUR, linewidth=2.5,
                             solid_capstyle="butt")
        span = [*days, *([report_back.toordinal()] if report_back else [])] or [1]
        first, last = min(span), max(span)
        for axes in (top, bottom):
            for starts, ends in lulls:
                drawn.append(axes.axvspan(starts.toordinal(), ends.toordinal() + 1,
                                          color=LULL_COLOUR, alpha=0.25, linewidth=0))
            if report_back is not None:
                drawn.append(axes.axvline(report_back.toordinal(), color="#e01e5a",
                                          linewidth=1, linestyle="--"))
        self.drawn = drawn
        top.set_xlim(first - 7, last + 7)
        ticks = _month_ticks(date.fromordinal(max(1, first)), date.fromordinal(max(1, last)))
        bottom.set_xticks([t.toordinal() for t in ticks], [f"{t:%b %Y}" for t in ticks])
        with matplotlib.rc_context(STYLE):  # type: ignore[arg-type]
            return _svg(self.figure)


def _month_ticks(first: date, last: date, most: int = 9) -> list[date]:
    months = []
    day = date(first.year, first.month, 1)
    while day <= last:
        months.append(day)
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    step = max(1, -(-len(months) // most))
    return months[::step]


def _svg(figure: Figure) -> str:
    out = io.StringIO()
    figure.savefig(out, format="svg")
    text = out.getvalue()
    text = text[text.index("<svg"):]
    start, end = text.find("<metadata>"), text.find("</metadata>")
    if start != -1 and end != -1:  # its creation date and RDF: noise in a printed page
        text = text[:start] + text[end + len("</metadata>"):]
    return text
