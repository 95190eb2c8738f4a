"""Slack's ``data_visualization`` block as a typed slack_sdk block, with Slack's limits.

slack_sdk has no class for it yet. The JSON shape follows Slack's Block Kit reference
(docs.slack.dev/reference/block-kit/blocks/data-visualization-block, changelog 2026-06-16):

    {"type": "data_visualization", "title": "...", "block_id": "...",
     "chart": {"type": "line" | "bar" | "area",
               "series": [{"name": "...", "data": [{"label": "...", "value": 3.2}]}],
               "axis_config": {"categories": ["..."], "x_label": "...", "y_label": "..."}}}
    {"type": "data_visualization", "title": "...",
     "chart": {"type": "pie", "segments": [{"label": "...", "value": 4}]}}

Limits: title <= 50 characters; 1-6 series (or pie segments); at most 20 categories; every
label, category and series name <= 20 characters; each series has one point per category;
pie values > 0; at most two such blocks in one message. Axis labels share the title's 50.
Where the reference was silent (whether a series may skip a category), every series here
carries one finite value per category, the strictest reading.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block

MAX_TITLE = 50
MAX_LABEL = 20
MAX_SERIES = 6
MAX_SEGMENTS = 6
MAX_CATEGORIES = 20
MAX_CHARTS_PER_MESSAGE = 2

ChartKind = Literal["line", "bar", "area", "pie"]
SERIES_KINDS = ("line", "bar", "area")


def short(text: str, limit: int = MAX_LABEL) -> str:
    """A label within Slack's limit: whitespace collapsed, cut with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def unique_labels(labels: Iterable[str], limit: int = MAX_LABEL) -> list[str]:
    """Shortened labels, made distinct (``Jun 3``, ``Jun 3 ·2``) so no category merges."""
    out: list[str] = []
    for label in labels:
        candidate = short(label, limit)
        n = 2
        while candidate in out:
            suffix = f" ·{n}"
            candidate = short(label, limit - len(suffix)) + suffix
            n += 1
        out.append(candidate)
    return out


@dataclass(frozen=True)
class Series:
    """One named line (or group of bars), one value per category."""

    name: str
    values: tuple[float, ...]


@dataclass(frozen=True)
class Segment:
    """One slice of a pie."""

    label: str
    value: float


class DataVisualizationBlock(Block):
    """A chart in a message or App Home; always sent beside a text line saying the same."""

    type = "data_visualization"
    attributes = {"block_id", "type", "title"}  # noqa: RUF012 (as slack_sdk declares it)

    def __init__(self, *, title: str, kind: ChartKind, categories: Sequence[str] = (),
                 series: Sequence[Series] = (), segments: Sequence[Segment] = (),
                 x_label: str | None = None, y_label: str | None = None,
                 block_id: str | None = None) -> None:
        super().__init__(type=self.type, block_id=block_id)
        self.title = title
        self.kind = kind
        self.categories = list(categories)
        self.series = list(series)
        self.segments = list(segments)
        self.x_label = x_label
        self.y_label = y_label
        problems = self.problems()
        if problems:
            raise ValueError("; ".join(problems))

    def problems(self) -> list[str]:
        """Every way this chart breaks Slack's limits; empty when Slack would accept it."""
        problems = []
        if not self.title or len(self.title) > MAX_TITLE:
            problems.append(f"title: 1 to {MAX_TITLE} characters")
        for name, text in (("x_label", self.x_label), ("y_label", self.y_label)):
            if text is not None and len(text) > MAX_TITLE:
                problems.append(f"{name}: longer than {MAX_TITLE}")
        if self.kind == "pie":
            problems += _segment_problems(self.segments)
        elif self.kind in SERIES_KINDS:
            problems += _series_problems(self.categories, self.series)
        else:
            problems.append(f"chart type {self.kind!r} is not line, bar, area or pie")
        return problems

    def _chart(self) -> dict[str, Any]:
        if self.kind == "pie":
            return {"type": "pie", "segments": [{"label": s.label, "value": _number(s.value)}
                                                for s in self.segments]}
        axis: dict[str, Any] = {"categories": list(self.categories)}
        if self.x_label:
            axis["x_label"] = self.x_label
        if self.y_label:
            axis["y_label"] = self.y_label
        return {"type": self.kind, "axis_config": axis, "series": [
            {"name": s.name, "data": [{"label": c, "value": _number(v)}
                                      for c, v in zip(self.categories, s.values, strict=True)]}
            for s in self.series]}

    def to_dict(self, *args: Any) -> dict[str, Any]:
        problems = self.problems()
        if problems:
            raise SlackObjectFormationError("; ".join(problems))
        return {**self.get_non_null_attributes(), "chart": self._chart()}


def _number(value: float) -> float | int:
    rounded = round(float(value), 2)
    return int(rounded) if rounded.is_integer() else rounded


def _segment_problems(segments: Sequence[Segment]) -> list[str]:
    problems = []
    if not 1 <= len(segments) <= MAX_SEGMENTS:
        problems.append(f"segments: 1 to {MAX_SEGMENTS}")
    for s in segments:
        if not s.label or len(s.label) > MAX_LABEL:
            problems.append(f"segment label {s.label!r}: 1 to {MAX_LABEL} characters")
        if not math.isfinite(s.value) or s.value <= 0:
            problems.append(f"segment {s.label!r}: value must be above 0")
    return problems


def _series_problems(categories: Sequence[str], series: Sequence[Series]) -> list[str]:
    problems = []
    if not 1 <= len(categories) <= MAX_CATEGORIES:
        problems.append(f"categories: 1 to {MAX_CATEGORIES}")
    if len(set(categories)) != len(categories):
        problems.append("categories: must be distinct")
    problems += [f"category {c!r}: 1 to {MAX_LABEL} characters" for c in categories
                 if not c or len(c) > MAX_LABEL]
    if not 1 <= len(series) <= MAX_SERIES:
        problems.append(f"series: 1 to {MAX_SERIES}")
    if len({s.name for s in series}) != len(series):
        problems.append("series: names must be distinct")
    for s in series:
        if not s.name or len(s.name) > MAX_LABEL:
            problems.append(f"series name {s.name!r}: 1 to {MAX_LABEL} characters")
        if len(s.values) != len(categories):
            problems.append(f"series {s.name!r}: one value per category")
        if not all(math.isfinite(v) for v in s.values):
            problems.append(f"series {s.name!r}: values must be finite numbers")
    return problems


def chart_count(blocks: Iterable[Block]) -> int:
    return sum(1 for b in blocks if isinstance(b, DataVisualizationBlock))


def within_chart_limit(blocks: list[Block], limit: int = MAX_CHARTS_PER_MESSAGE
                       ) -> list[Block]:
    """Drop charts past the first ``limit``: their text line beside them stays."""
    kept: list[Block] = []
    seen = 0
    for block in blocks:
        if isinstance(block, DataVisualizationBlock):
            seen += 1
            if seen > limit:
                continue
        kept.append(block)
    return kept
