"""The pack's charts: matplotlib's frame drawn once, each chart's data set into it; the
result one well-formed SVG per chart that shows that chart's data and nothing else's."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, timedelta

from bot.report.figures import MomentumChart, Point

SVG = "{http://www.w3.org/2000/svg}"
START = date(2025, 9, 1)
LULLS = [(date(2025, 12, 20), date(2026, 1, 4)), (date(2026, 7, 25), date(2026, 8, 31))]
REPORT_BACK = date(2027, 1, 28)


def season(weeks: int, momentum: float, response: float) -> list[Point]:
    return [Point(START + timedelta(weeks=w), momentum, response) for w in range(weeks)]


def groups(svg: str) -> dict[str, ET.Element]:
    """Every element with an id, by id: parsing fails on a badly spliced SVG, and a
    repeated id would leave fewer entries than elements."""
    root = ET.fromstring(svg)
    found = [e for e in root.iter() if e.get("id")]
    by_id = {e.get("id", ""): e for e in found}
    assert len(by_id) == len(found), "an id appears twice"
    return by_id


def line(svg: str, name: str) -> str:
    """The path a data group draws ('' when it draws none)."""
    path = groups(svg)[name].find(f"{SVG}path")
    return "" if path is None else path.get("d", "")


def chart(chart: MomentumChart, points: list[Point], title: str) -> str:
    return chart.svg(points, LULLS, REPORT_BACK, title, starts=START)


def test_each_chart_shows_its_own_data_in_the_shared_frame() -> None:
    drawer = MomentumChart()
    first = chart(drawer, season(40, 4.0, 0.9), "North <b>first</b> & $5")
    second = chart(drawer, season(10, 2.0, 0.3), "South second")
    assert first.startswith("<svg") and first.count("<svg") == 1
    one, two = groups(first), groups(second)
    assert "slot-top" not in one and "slot-bottom" not in one
    for ids in (one, two):
        assert {"title", "momentum", "response"} <= ids.keys()
    title = "".join(one["title"].itertext()).strip()
    assert title == "North <b>first</b> & $5"  # text as typed: escaped, never mathtext
    assert "South" not in first and "North" not in second
    # A longer season, a longer line: the data are each chart's own.
    assert len(line(first, "momentum")) > len(line(second, "momentum")) > 0
    assert chart(drawer, season(40, 4.0, 0.9), "North <b>first</b> & $5") == first


def test_the_frame_holds_ticks_lulls_and_the_conference() -> None:
    svg = chart(MomentumChart(), season(20, 3.0, 0.5), "Lulls")
    assert "Momentum (1–5)" in svg and "Response %" in svg and "Sep 2025" in svg
    assert svg.count("#f2c744") == 2 * len(LULLS)  # shaded in both axes
    assert svg.count("#e01e5a") == 2  # the conference, dashed, in both
    assert "<metadata>" not in svg and "<?xml" not in svg


def test_a_partnership_without_rounds_still_gets_its_frame() -> None:
    svg = chart(MomentumChart(), [], "Nobody yet")
    assert "title" in groups(svg) and not line(svg, "momentum")
    assert svg.count("#f2c744") == 2 * len(LULLS)
    unknown = chart(MomentumChart(), [Point(START, None, None)], "Unknown")
    assert not line(unknown, "momentum") and line(unknown, "response")
