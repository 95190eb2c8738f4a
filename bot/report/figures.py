"""Charts for the report-back pack, drawn by matplotlib's SVG backend as inline SVG.

No pyplot and no display: ``Figure``s on the SVG canvas, text kept as text (so it reads
and prints crisply and the SVG stays small), no XML prologue or metadata, so the SVG sits
inside the HTML page.

Drawing the axes (ticks, their labels, grid, lull windows) is nine tenths of a chart's
cost, and every chart of a programme has the same axes: the whole programme on x, fixed
scales on y. So matplotlib draws two figures of one layout: the *frame* (all but the data,
drawn once per programme and kept) and the *data* (title, momentum line, response bars,
axes off, drawn per chart), and the data's groups take the places the frame keeps for
them (empty lines with known ids, at the data's depth: above the grid, below the
report-back line). Every mark on the page is still matplotlib's.
"""

from __future__ import annotations

import io
import math
import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

import matplotlib
from matplotlib.axes import Axes
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.typing import RcKeyType

from bot.sanitise import typed

MOMENTUM_COLOUR = "#1264a3"
RESPONSE_COLOUR = "#2bac76"
LULL_COLOUR = "#f2c744"
# A fixed title position spares matplotlib measuring every tick label to place it; a
# fixed hash salt makes the SVG's ids (and so the pages) the same from run to run; labels
# are text as typed, never mathtext (``$5 and $6`` stays as it is).
STYLE: dict[RcKeyType, Any] = {
    "svg.fonttype": "none", "font.size": 8, "axes.spines.top": False,
    "axes.spines.right": False, "font.family": "sans-serif", "axes.titley": 1.02,
    "svg.hashsalt": "lpbot-report-pack", "text.parse_math": False}
NO_METADATA = {"Creator": None, "Date": None, "Format": None, "Type": None}
SIZE = (7.2, 3.2)
TOP = (0.09, 0.42, 0.89, 0.5)
BOTTOM = (0.09, 0.1, 0.89, 0.27)
DATA = ("title", "momentum", "response")  # the data's groups, by id
SLOTS = {"title": "slot-top", "momentum": "slot-top", "response": "slot-bottom"}
FRAMES_KEPT = 8


@dataclass(frozen=True)
class Point:
    """One round or week: when, momentum (1-5) and response (0-1), if known."""

    day: date
    momentum: float | None
    response: float | None


_DRAWING = threading.RLock()


@dataclass(frozen=True)
class Frame:
    """What the axes show, the same for every chart of a programme."""

    first: int  # date ordinals, the x axis's ends
    last: int
    lulls: tuple[tuple[date, date], ...]
    report_back: date | None


@contextmanager
def _styled() -> Iterator[None]:
    """The pack's settings for the length of a drawing: only the few it changes are kept
    and put back (``rc_context`` copies all of them, a millisecond a chart). The settings
    are process-wide, so one drawing at a time: two packs built at once in the server's
    answer threads would otherwise draw with each other's settings."""
    with _DRAWING:
        params = matplotlib.rcParams
        saved = {key: params[key] for key in STYLE}
        params.update(STYLE)
        try:
            yield
        finally:
            params.update(saved)


def safe(text: str) -> str:
    """A label matplotlib draws as typed: through the one sanitiser (one line, no bidi or
    invisible characters; matplotlib escapes it for SVG, and reads no mathtext in it)."""
    return typed(text, markup="plain")


def _axes(figure: Figure, frame: Frame) -> tuple[Axes, Axes]:
    """The two axes at their places and scales, the same in the frame and the data."""
    top = figure.add_axes(TOP)
    bottom = figure.add_axes(BOTTOM, sharex=top)
    top.set_ylim(1, 5)
    bottom.set_ylim(0, 100)
    top.set_xlim(frame.first - 7, frame.last + 7)
    return top, bottom


def _draw_frame(frame: Frame) -> str:
    """Everything but the data: scales, labels, grid, lull windows, the conference."""
    with _styled():
        figure = Figure(figsize=SIZE, dpi=72)
        top, bottom = _axes(figure, frame)
        top.set_yticks([1, 2, 3, 4, 5])
        top.set_ylabel("Momentum (1–5)")
        top.tick_params(labelbottom=False)
        bottom.set_yticks([0, 50, 100])
        bottom.set_ylabel("Response %")
        ticks = _month_ticks(date.fromordinal(frame.first), date.fromordinal(frame.last))
        bottom.set_xticks([t.toordinal() for t in ticks], [f"{t:%b %Y}" for t in ticks])
        for axes, slot in ((top, "slot-top"), (bottom, "slot-bottom")):
            axes.grid(axis="y", linewidth=0.3)
            for starts, ends in frame.lulls:
                axes.axvspan(starts.toordinal(), ends.toordinal() + 1, color=LULL_COLOUR,
                             alpha=0.25, linewidth=0)
            axes.plot([], [], gid=slot)
            if frame.report_back is not None:
                axes.axvline(frame.report_back.toordinal(), color="#e01e5a", linewidth=1,
                             linestyle="--")
        return _svg(figure)


class MomentumChart:
    """Momentum and response charts for one programme: the frames drawn once and kept,
    one data figure drawn again per chart. Not shared between threads."""

    def __init__(self) -> None:
        self._frames: dict[Frame, str] = {}
        self._figures: dict[Frame, tuple[Figure, Axes, Axes]] = {}

    def svg(self, points: Sequence[Point], lulls: Sequence[tuple[date, date]],
            report_back: date | None, title: str, starts: date | None = None) -> str:
        """Momentum and response over the whole programme (from ``starts``, when given, to
        the conference), lull windows shaded."""
        days = [p.day.toordinal() for p in points]
        span = [*days, *(d.toordinal() for d in (starts, report_back) if d)] or [1]
        frame = Frame(max(1, min(span)), max(1, max(span)), tuple(lulls), report_back)
        if frame not in self._frames:
            if len(self._frames) >= FRAMES_KEPT:
                self._frames.clear()
                self._figures.clear()
            self._frames[frame] = _draw_frame(frame)
        return _place(self._frames[frame], self._data(frame, points, days, title))

    def _data(self, frame: Frame, points: Sequence[Point], days: list[int], title: str
              ) -> str:
        if frame not in self._figures:
            with _styled():
                figure = Figure(figsize=SIZE, dpi=72)
                top, bottom = _axes(figure, frame)
                figure.patch.set_visible(False)  # the frame has the background
                for axes in (top, bottom):
                    axes.set_axis_off()
                top.plot([], [], color=MOMENTUM_COLOUR, linewidth=1.4, gid="momentum",
                         clip_on=False)
                bottom.plot([], [], color=RESPONSE_COLOUR, linewidth=2.5,
                            solid_capstyle="butt", gid="response", clip_on=False)
                top.set_title(" ", loc="left", fontsize=9).set_gid("title")
            self._figures[frame] = (figure, top, bottom)
        figure, top, bottom = self._figures[frame]
        top.set_title(safe(title), loc="left", fontsize=9)
        known = [(d, p.momentum) for d, p in zip(days, points, strict=True)
                 if p.momentum is not None]
        top.lines[0].set_data([d for d, _ in known], [m for _, m in known])
        # The bars as one path (NaN breaks between them), not a shape per round.
        xs: list[float] = []
        ys: list[float] = []
        for day, point in zip(days, points, strict=True):
            xs += [day, day, math.nan]
            ys += [0, round((point.response or 0) * 100), math.nan]
        bottom.lines[0].set_data(xs, ys)
        with _styled():
            return _svg(figure)


def _place(frame: str, data: str) -> str:
    """The frame with the data's groups in the places kept for them."""
    slots: dict[str, list[str]] = {slot: [] for slot in set(SLOTS.values())}
    for name in DATA:
        found = re.search(rf'<g id="{name}"(?:/>|>.*?</g>)', data, re.DOTALL)
        if found:
            slots[SLOTS[name]].append(found.group(0))
    for slot, groups in slots.items():
        empty = f'<g id="{slot}"/>'
        if empty not in frame:
            raise ValueError(f"the chart's frame has no place for {slot}")
        frame = frame.replace(empty, "\n".join(groups), 1)
    return frame


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
    # The canvas's own printer: savefig's checks and canvas switching cost more than the
    # data's drawing.
    FigureCanvasSVG(figure).print_svg(out, metadata=NO_METADATA)  # type: ignore[no-untyped-call]
    text = out.getvalue()
    return text[text.index("<svg"):]
