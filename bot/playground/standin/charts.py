"""Slack's limits for ``data_visualization`` and ``table`` blocks, checked like the others.

From Slack's Block Kit reference: a chart's title <= 50 characters; line, bar and area
charts carry 1-6 uniquely named series over 1-20 categories, each series one point per
category, labels and names <= 20 characters; a pie 1-6 segments with values above 0; at
most two charts per message. A table: at most 100 rows of at most 20 cells, each cell
``raw_text`` or ``rich_text``, at most 20 column settings. The stand-in holds App Home and
modals to the same two charts as a message (the reference names messages only).
"""

from __future__ import annotations

import math
from typing import Any

MAX_TITLE = 50
MAX_LABEL = 20
MAX_SERIES = 6
MAX_CATEGORIES = 20
MAX_CHARTS = 2
MAX_TABLE_ROWS = 100
MAX_TABLE_CELLS = 20
SERIES_CHARTS = {"line", "bar", "area"}


def _label_ok(value: Any) -> bool:
    return isinstance(value, str) and 0 < len(value) <= MAX_LABEL


def _number_ok(value: Any) -> bool:
    return (isinstance(value, int | float) and not isinstance(value, bool)
            and math.isfinite(value))


def check_chart(block: dict[str, Any], where: str, problems: list[str]) -> None:
    """Problems with one ``data_visualization`` block."""
    title = block.get("title")
    if not isinstance(title, str) or not 0 < len(title) <= MAX_TITLE:
        problems.append(f"{where}.title: 1 to {MAX_TITLE} characters")
    chart = block.get("chart")
    if not isinstance(chart, dict):
        problems.append(f"{where}.chart: required")
        return
    kind = chart.get("type")
    if kind == "pie":
        segments = chart.get("segments")
        if not isinstance(segments, list) or not 1 <= len(segments) <= MAX_SERIES:
            problems.append(f"{where}.chart.segments: 1 to {MAX_SERIES}")
            return
        for i, seg in enumerate(segments):
            if not isinstance(seg, dict) or not _label_ok(seg.get("label")):
                problems.append(f"{where}.chart.segments[{i}].label: 1 to {MAX_LABEL}")
            elif not _number_ok(seg.get("value")) or seg["value"] <= 0:
                problems.append(f"{where}.chart.segments[{i}].value: must be above 0")
        return
    if kind not in SERIES_CHARTS:
        problems.append(f"{where}.chart.type: line, bar, area or pie")
        return
    _check_series(chart, f"{where}.chart", problems)


def _check_series(chart: dict[str, Any], where: str, problems: list[str]) -> None:
    axis = chart.get("axis_config")
    categories = axis.get("categories") if isinstance(axis, dict) else None
    if not isinstance(categories, list) or not 1 <= len(categories) <= MAX_CATEGORIES:
        problems.append(f"{where}.axis_config.categories: 1 to {MAX_CATEGORIES}")
        return
    if not all(_label_ok(c) for c in categories) or len(set(categories)) != len(categories):
        problems.append(f"{where}.axis_config.categories: distinct, 1 to {MAX_LABEL} "
                        "characters each")
    for key in ("x_label", "y_label"):
        value = axis.get(key) if isinstance(axis, dict) else None
        if value is not None and (not isinstance(value, str) or len(value) > MAX_TITLE):
            problems.append(f"{where}.axis_config.{key}: at most {MAX_TITLE} characters")
    series = chart.get("series")
    if not isinstance(series, list) or not 1 <= len(series) <= MAX_SERIES:
        problems.append(f"{where}.series: 1 to {MAX_SERIES}")
        return
    names = [s.get("name") if isinstance(s, dict) else None for s in series]
    if not all(_label_ok(n) for n in names) or len(set(map(str, names))) != len(names):
        problems.append(f"{where}.series: distinct names of 1 to {MAX_LABEL} characters")
    for i, one in enumerate(series):
        data = one.get("data") if isinstance(one, dict) else None
        if not isinstance(data, list) or [
                p.get("label") if isinstance(p, dict) else None for p in data] != categories:
            problems.append(f"{where}.series[{i}].data: one point per category, in order")
        elif not all(_number_ok(p.get("value")) for p in data):
            problems.append(f"{where}.series[{i}].data: values must be numbers")


def check_table(block: dict[str, Any], where: str, problems: list[str]) -> None:
    """Problems with one ``table`` block."""
    rows = block.get("rows")
    if not isinstance(rows, list) or not 1 <= len(rows) <= MAX_TABLE_ROWS:
        problems.append(f"{where}.rows: 1 to {MAX_TABLE_ROWS}")
        return
    for i, row in enumerate(rows):
        if not isinstance(row, list) or not 1 <= len(row) <= MAX_TABLE_CELLS:
            problems.append(f"{where}.rows[{i}]: 1 to {MAX_TABLE_CELLS} cells")
        elif not all(isinstance(c, dict) and c.get("type") in ("raw_text", "rich_text")
                     for c in row):
            problems.append(f"{where}.rows[{i}]: cells are raw_text or rich_text")
    settings = block.get("column_settings")
    if settings is not None and (not isinstance(settings, list)
                                 or len(settings) > MAX_TABLE_CELLS):
        problems.append(f"{where}.column_settings: at most {MAX_TABLE_CELLS}")


def check_chart_count(blocks: list[Any], problems: list[str]) -> None:
    """At most two charts in one message (and, here, one view)."""
    count = sum(1 for b in blocks if isinstance(b, dict) and b.get("type") ==
                "data_visualization")
    if count > MAX_CHARTS:
        problems.append(f"blocks: {count} data_visualization blocks, more than {MAX_CHARTS}")
