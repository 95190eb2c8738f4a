"""Charts as pure builders, at Slack's edges: every payload passes the stand-in's checks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from slack_sdk.models.blocks import Block

from bot.blocks.charts import DataVisualizationBlock, Segment, Series, within_chart_limit
from bot.blocks.digest import split
from bot.blocks.pictures import objectives_chart, own_chart, partnership_charts, programme_charts
from bot.playground.standin.blockkit import check_message, check_view
from storage.insight import RoundFigures
from storage.series import OwnPoint, RoundPoint, Week
from storage.summaries import Summary

START = datetime(2026, 1, 5, 9, tzinfo=UTC)
LONG = "Greater Kingston upon Hull & East Riding <@U1> partnership"


def _rounds(n: int, *, lull_every: int = 4) -> list[RoundPoint]:
    out = []
    for i in range(n):
        opens = START + timedelta(weeks=2 * i)
        out.append(RoundPoint(opens.date(), i % lull_every == 3, RoundFigures(
            i + 1, opens, opens + timedelta(days=5), "regular", i % 5, 5,
            None if i % 7 == 6 else 1 + (i % 5))))
    return out


def _charts(blocks: list[Block]) -> list[dict[str, Any]]:
    return [b.to_dict() for b in blocks if isinstance(b, DataVisualizationBlock)]


def _valid(blocks: list[Block]) -> None:
    assert check_message("text", [b.to_dict() for b in blocks]) == []


@pytest.mark.parametrize("rounds", [1, 20, 27])
def test_partnership_charts_show_the_last_twenty_rounds_at_most(rounds: int) -> None:
    blocks = partnership_charts(LONG, _rounds(rounds))
    _valid(blocks)
    momentum, response = _charts(blocks)
    categories = momentum["chart"]["axis_config"]["categories"]
    assert len(categories) == min(rounds, 20)
    assert categories == response["chart"]["axis_config"]["categories"]
    last = _rounds(rounds)[-1]
    assert categories[-1].startswith(f"{last.opens_on:%-d %b}")
    if rounds >= 4:
        assert any(c.endswith("lull") for c in categories)  # lull rounds recognisable
    name = momentum["chart"]["series"][0]["name"]
    assert len(name) <= 20 and name.endswith("…")
    text = blocks[0].to_dict()["text"]["text"]
    assert "<@U1>" not in text and "&lt;@U1&gt;" in text  # the text line says the same
    assert text.count(",") >= len(categories) - 1


def test_labels_are_escaped_before_they_are_measured() -> None:
    blocks = partnership_charts("<<<<<<<<<<<<<<<<<<<<<<<<", _rounds(2))
    name = _charts(blocks)[0]["chart"]["series"][0]["name"]
    assert "<" not in name and len(name) <= 20


def test_six_most_in_need_of_eight_partnerships_on_one_chart() -> None:
    summaries = []
    for i in range(8):
        summary = Summary(i, f"p{i}", f"Partnership number {i} with a long name", "Place", "",
                          None)
        summary.reasons = ["quiet"] * i  # p7 is the most in need
        summaries.append(summary)
    weeks = [Week(date(2026, 1, 5) + timedelta(weeks=w), w == 3, 3.0, 3, 10,
                  {i: 1.0 + i / 4 for i in range(8)}) for w in range(25)]
    blocks = programme_charts(weeks, list(reversed(summaries)))
    _valid(blocks)
    momentum, response = _charts(blocks)
    names = [s["name"] for s in momentum["chart"]["series"]]
    assert len(names) == 6 and len(set(names)) == 6
    assert all(len(n) <= 20 for n in names)
    assert "Partnership number 7" in blocks[0].to_dict()["text"]["text"]
    assert "Partnership number 0" not in blocks[0].to_dict()["text"]["text"]
    assert len(momentum["chart"]["axis_config"]["categories"]) == 20
    assert response["chart"]["series"][0]["data"][0]["value"] == 30


def test_own_chart_and_objectives_pie_pass() -> None:
    points = [OwnPoint(date(2026, 1, 5) + timedelta(weeks=i), False, None if i == 1 else 4.0,
                       3.5) for i in range(3)]
    pie = objectives_chart({"on_track": 3, "at_risk": 1, "stalled": 0, "done": 2, "none": 0})
    blocks = own_chart("Hull", points) + pie
    _valid(blocks)
    assert [s["name"] for s in _charts(blocks)[0]["chart"]["series"]] == ["You", "Hull"]
    assert [s["label"] for s in _charts(blocks)[1]["chart"]["segments"]] == [
        "On track", "At risk", "Done"]
    assert objectives_chart({"on_track": 0})[-1].to_dict()["type"] == "section"


@pytest.mark.parametrize("kwargs, problem", [
    ({"title": "x" * 51}, "title"),
    ({"categories": [f"c{i}" for i in range(21)]}, "categories"),
    ({"series": [Series(f"s{i}", (1.0,)) for i in range(7)]}, "series"),
    ({"categories": ["a" * 21]}, "category"),
    ({"series": [Series("s", (1.0, 2.0))]}, "one value per category"),
    ({"series": [Series("s", (float("nan"),))]}, "finite"),
])
def test_the_block_refuses_what_slack_would(kwargs: dict[str, Any], problem: str) -> None:
    args: dict[str, Any] = {"title": "t", "kind": "line", "categories": ["a"],
                            "series": [Series("s", (1.0,))], **kwargs}
    with pytest.raises(ValueError, match=problem):
        DataVisualizationBlock(**args)
    with pytest.raises(ValueError, match="above 0"):
        DataVisualizationBlock(title="t", kind="pie", segments=[Segment("a", 0)])


def test_the_stand_in_refuses_three_charts_and_bad_shapes() -> None:
    chart = DataVisualizationBlock(title="t", kind="bar", categories=["a"],
                                   series=[Series("s", (1.0,))])
    three = [chart.to_dict()] * 3
    assert any("more than 2" in p for p in check_message("t", three))
    assert any("more than 2" in p for p in check_view({"type": "home", "blocks": three}))
    assert check_message("t", [b.to_dict() for b in within_chart_limit([chart] * 3)]) == []
    bad = {**chart.to_dict(), "chart": {"type": "line", "axis_config": {"categories": ["a"]},
                                        "series": [{"name": "s", "data": []}]}}
    assert any("one point per category" in p for p in check_message("t", [bad]))
    table = {"type": "table", "rows": [[{"type": "raw_text", "text": "x"}] * 21]}
    assert any("cells" in p for p in check_message("t", [table]))


def test_digest_parts_hold_two_charts_each() -> None:
    blocks = partnership_charts("A", _rounds(3)) + partnership_charts("B", _rounds(3))
    messages = split(blocks, "digest")
    assert len(messages) == 2
    for message in messages:
        _valid(message.blocks)
        assert message.blocks[0].to_dict()["type"] == "section"  # the text line leads
