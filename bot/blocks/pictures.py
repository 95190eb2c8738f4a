"""Charts for status, App Home and the digest, each with a text line saying the same.

Every chart here fits Slack's limits by construction: the last 20 rounds or weeks, the six
partnerships most in need, labels shortened to 20 characters (and escaped like any text a
person could have typed).
"""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import Block

from bot.blocks import messages as msg
from bot.blocks.charts import (
    MAX_CATEGORIES,
    MAX_LABEL,
    MAX_SERIES,
    DataVisualizationBlock,
    Segment,
    Series,
    short,
)
from bot.blocks.common import esc, mrkdwn_section, percent
from storage.series import OwnPoint, RoundPoint, Week
from storage.summaries import Summary

STATUS_LABELS = {"on_track": "On track", "at_risk": "At risk", "stalled": "Stalled",
                 "done": "Done", "none": "Not rated yet"}


def label(text: str, limit: int = MAX_LABEL) -> str:
    """A chart label: escaped like every other text, and within ``limit`` once escaped."""
    cut = short(text, limit)
    while len(esc(cut)) > limit:
        cut = short(cut[:-1], len(cut) - 1)
    return esc(cut)


def distinct_labels(texts: Sequence[str]) -> list[str]:
    """Chart labels that stay distinct after shortening (``Hull ·2``)."""
    out: list[str] = []
    for text in texts:
        candidate, n = label(text), 2
        while candidate in out:
            suffix = f" ·{n}"
            candidate, n = label(text, MAX_LABEL - len(suffix)) + suffix, n + 1
        out.append(candidate)
    return out


def _day_label(day_text: str, lull: bool) -> str:
    return f"{day_text} lull" if lull else day_text


def _figure(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _lulled(values: Sequence[str], lulls: Sequence[bool]) -> str:
    return ", ".join(f"{v} _lull_" if lull else v for v, lull in zip(values, lulls, strict=True))


def partnership_charts(name: str, history: Sequence[RoundPoint]) -> list[Block]:
    """Momentum and response over a partnership's last rounds (up to 20): two charts."""
    points = list(history)[-MAX_CATEGORIES:]
    if not points:
        return [mrkdwn_section(msg.NO_ROUNDS_YET)]
    categories = distinct_labels([_day_label(f"{p.opens_on:%-d %b}", p.lull) for p in points])
    lulls = [p.lull for p in points]
    momentum = [p.figures.momentum for p in points]
    response = [p.figures.response_rate for p in points]
    line = msg.LINE_ROUNDS.format(
        name=esc(name), n=len(points), momentum=_lulled([_figure(v) for v in momentum], lulls),
        response=_lulled([percent(r) for r in response], lulls))
    series_name = label(name)
    return [
        mrkdwn_section(line),
        DataVisualizationBlock(
            title=msg.CHART_MOMENTUM.format(n=len(points)), kind="line", categories=categories,
            series=[Series(series_name, tuple(v or 0.0 for v in momentum))],
            y_label=f"Momentum 1–5 ({msg.CHART_NO_ANSWERS})"),
        DataVisualizationBlock(
            title=msg.CHART_RESPONSE.format(n=len(points)), kind="bar", categories=categories,
            series=[Series(series_name, tuple(round((r or 0.0) * 100) for r in response))],
            y_label="% of members who answered"),
    ]


def own_chart(name: str, points: Sequence[OwnPoint]) -> list[Block]:
    """A member's own momentum next to their partnership's, over its last rounds."""
    points = list(points)[-MAX_CATEGORIES:]
    if not points:
        return []
    lulls = [p.lull for p in points]
    line = msg.LINE_OWN.format(
        own=_lulled([_figure(p.own, 0) for p in points], lulls), name=esc(name),
        partnership=_lulled([_figure(p.partnership) for p in points], lulls))
    you, theirs = distinct_labels([msg.CHART_YOU, name])
    return [
        mrkdwn_section(line),
        DataVisualizationBlock(
            title=msg.CHART_OWN, kind="line",
            categories=distinct_labels([_day_label(f"{p.opens_on:%-d %b}", p.lull)
                                        for p in points]),
            series=[Series(you, tuple(p.own or 0.0 for p in points)),
                    Series(theirs, tuple(p.partnership or 0.0 for p in points))],
            y_label=f"Momentum 1–5 ({msg.CHART_NO_ANSWERS})"),
    ]


def most_in_need(summaries: Sequence[Summary], limit: int = MAX_SERIES) -> list[Summary]:
    """The partnerships a chart has room for: the most in need (``summaries`` come worst
    first from storage; sorted again here so a caller's order cannot change who shows)."""
    return sorted(summaries, key=lambda s: (-s.score, s.name))[:limit]


def programme_charts(weeks: Sequence[Week], summaries: Sequence[Summary], *,
                     response_chart: bool = True) -> list[Block]:
    """The programme week by week: momentum of the six most in need, and response."""
    weeks = list(weeks)[-MAX_CATEGORIES:]
    if not weeks or not summaries:
        return []
    categories = distinct_labels([_day_label(f"w/c {w.starts:%-d %b}", w.lull) for w in weeks])
    lulls = [w.lull for w in weeks]
    needy = most_in_need(summaries)
    names = distinct_labels([s.name for s in needy])
    blocks: list[Block] = [
        mrkdwn_section(msg.LINE_PROGRAMME.format(
            momentum=_lulled([_figure(w.momentum) for w in weeks], lulls),
            response=_lulled([percent(w.response_rate) for w in weeks], lulls))
            + "\n" + msg.LINE_MOST_IN_NEED.format(names=", ".join(esc(s.name) for s in needy))),
        DataVisualizationBlock(
            title=msg.CHART_PROGRAMME_MOMENTUM, kind="line", categories=categories,
            series=[Series(n, tuple(w.by_partnership.get(s.partnership_id) or 0.0
                                    for w in weeks)) for n, s in zip(names, needy, strict=True)],
            y_label=f"Momentum 1–5 ({msg.CHART_NO_ANSWERS})"),
    ]
    if response_chart:
        blocks.append(DataVisualizationBlock(
            title=msg.CHART_PROGRAMME_RESPONSE, kind="bar", categories=categories,
            series=[Series(msg.CHART_PROGRAMME, tuple(round((w.response_rate or 0.0) * 100)
                                                      for w in weeks))],
            y_label="% of members who answered"))
    return blocks


def objectives_chart(counts: dict[str, int]) -> list[Block]:
    """Objectives by status as a pie, with the counts in words."""
    words = ", ".join(f"{STATUS_LABELS[k]} {v}" for k, v in counts.items() if v) or "none yet"
    blocks: list[Block] = [mrkdwn_section(msg.LINE_OBJECTIVES.format(counts=words))]
    segments = [Segment(STATUS_LABELS[k], v) for k, v in counts.items() if v > 0]
    if segments:
        blocks.append(DataVisualizationBlock(title=msg.CHART_OBJECTIVES, kind="pie",
                                             segments=segments[:MAX_SERIES]))
    return blocks
