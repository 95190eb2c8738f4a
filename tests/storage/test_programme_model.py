"""The pydantic programme model: defaults, the rules the file reader always had, and
problems keyed by their place for the Slack editors."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml
from hypothesis import assume, given
from hypothesis import strategies as st

from storage.programme import (
    DEFAULT_THEMES,
    WEEKDAYS,
    ProgrammeError,
    parse_programme,
    programme_file,
)
from storage.programme_store import programme_yaml
from tests.conftest import EXAMPLE

RAW = yaml.safe_load(EXAMPLE.read_text())


def minimal(**programme: Any) -> dict[str, Any]:
    return {"programme": {"name": "P", "start": "2026-04-14", "report_back": "2027-01-28",
                          **programme}, "partnerships": []}


def problems(raw: Any) -> ProgrammeError:
    with pytest.raises(ProgrammeError) as caught:
        parse_programme(raw)
    return caught.value


def test_defaults_everywhere_the_file_is_silent() -> None:
    spec = parse_programme(minimal())
    p = spec.programme
    assert (p.timezone, p.holiday_region, p.reminder_days) == ("Europe/London", "GB-ENG", (2, 4))
    assert (p.cadence.every_weeks, p.cadence.weekday, p.cadence.hour) == (2, 1, 10)
    assert (p.digest.channel, p.digest.weekday, p.digest.hour, p.digest.dm_staff) == (
        None, 0, 9, True)
    assert (p.thresholds.stall_days, p.thresholds.momentum_drop) == (21, 1.0)
    assert {k: list(v) for k, v in p.themes.items()} == DEFAULT_THEMES
    assert [w.name for w in p.lulls] == ["summer hiatus", "winter pressure"]
    assert spec.staff == () and spec.partnerships == ()
    assert parse_programme(programme_file(spec)) == spec  # the file shape reads back


@pytest.mark.parametrize("name,code", [("England", "GB-ENG"), ("scotland", "GB-SCT"),
                                       ("Northern Ireland", "GB-NIR"), ("GB-WLS", "GB-WLS")])
def test_region_names_become_codes(name: str, code: str) -> None:
    assert parse_programme(minimal(holiday_region=name)).programme.holiday_region == code


def test_lulls_take_a_name_and_the_programmes_weekday_when_left_out() -> None:
    spec = parse_programme(minimal(cadence={"weekday": "Thursday"}, lulls=[
        {"start": "2026-08-01", "end": "2026-08-20"}]))
    (lull,) = spec.lulls
    assert (lull.name, lull.weekday, lull.every_weeks) == ("lull 1", 3, 1)
    assert parse_programme(minimal(lulls=[])).lulls == ()


def test_problems_are_keyed_by_their_place() -> None:
    raw = copy.deepcopy(RAW)
    raw["programme"]["timezone"] = "Mars/Olympus"
    raw["programme"]["holiday_region"] = "Atlantis"
    raw["programme"]["digest"]["hour"] = 25
    raw["programme"]["reminder_day"] = [1]  # a typo
    raw["staff"][1]["slack_id"] = raw["staff"][0]["slack_id"]
    raw["partnerships"][1]["slug"] = raw["partnerships"][0]["slug"]
    raw["partnerships"][2]["channel"] = "#general"
    error = problems(raw)
    slug0 = raw["partnerships"][0]["slug"]
    assert error.fields == {
        ("programme", "timezone"): "'Mars/Olympus' is not a known time zone (e.g. Europe/London)",
        ("programme", "holiday_region"): "'Atlantis' is not a known holiday region",
        ("programme", "digest", "hour"): "should be a whole number from 0 to 23",
        ("programme", "reminder_day"): "is not a key lpbot knows (a typo?)",
        ("staff", 1, "slack_id"): f"duplicate Slack id {raw['staff'][0]['slack_id']}",
        ("partnerships", 1, "slug"): f"duplicate slug {slug0!r}",
        ("partnerships", 2, "channel"): "'#general' is not a Slack channel id",
    }
    assert f"partnerships[1] ({slug0}).slug: duplicate slug" in "\n".join(error.problems)
    assert len(error.problems) == 7


def test_a_programme_may_have_no_partnerships_but_must_say_so() -> None:
    assert parse_programme(minimal()).partnerships == ()
    raw = minimal()
    del raw["partnerships"]
    assert problems(raw).problems == ["partnerships: is missing"]


@pytest.mark.parametrize("key,value,where", [
    ("name", "", "programme.name: is missing"),
    ("start", "2026-02-30", "programme.start: '2026-02-30' is not a date"),
    ("reminder_days", [1, 2, 3], "programme.reminder_days: should be up to two"),
    ("reminder_days", [True], "programme.reminder_days: should be up to two"),
    ("cadence", {"every_weeks": 9}, "programme.cadence.every_weeks: should be a whole number"),
    ("cadence", {"weekday": "funday"}, "programme.cadence.weekday: 'funday' is not a weekday"),
    ("thresholds", {"low_response": 2}, "programme.thresholds.low_response: should be a num"),
    ("themes", {"x": "words"}, "programme.themes.x: should be a list of keywords"),
    ("digest", {"dm_staff": "yes"}, "programme.digest.dm_staff: should be true or false"),
    ("cadence", [], "programme.cadence: should be a mapping of keys to values"),
])
def test_each_rule_names_its_key(key: str, value: Any, where: str) -> None:
    assert any(p.startswith(where) for p in problems(minimal(**{key: value})).problems)


def test_same_person_with_two_names_and_leads_among_members() -> None:
    raw = copy.deepcopy(RAW)
    first = raw["partnerships"][0]["members"][0]
    raw["partnerships"][3]["members"].append({**first, "name": "Someone Else"})
    raw["partnerships"][4]["leads"] = ["U0NOBODY"]
    lines = sorted(problems(raw).problems)
    assert len(lines) == 2
    assert "members: Slack id U0INV0001 is 'Hamid Das' elsewhere but 'Someone Else' here" \
        in lines[0]
    assert lines[1].endswith("leads: unknown lead 'U0NOBODY': not among this partnership's "
                             "members")


words = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40)
slack_ids = st.from_regex(r"\AU[A-Z0-9]{2,8}\Z")
people = st.lists(st.fixed_dictionaries({"slack_id": slack_ids, "name": words},
                                        optional={"institution": words}), max_size=4,
                  unique_by=lambda p: p["slack_id"])


@st.composite
def programmes(draw: st.DrawFn) -> dict[str, Any]:
    partnerships = []
    for slug in draw(st.lists(st.from_regex(r"\A[a-z0-9][a-z0-9-]{0,20}\Z"), max_size=3,
                              unique=True)):
        members = draw(people)
        partnerships.append({
            "slug": slug, "name": draw(words), "place": draw(words), "challenge": draw(words),
            "objectives": draw(st.lists(words, max_size=3, unique_by=str.strip)),
            "members": members, "leads": [m["slack_id"] for m in members[:1]]})
    return {"programme": {
        "name": draw(words), "start": "2026-04-14", "report_back": "2027-01-28",
        "cadence": {"weekday": draw(st.sampled_from(WEEKDAYS)),
                    "hour": draw(st.integers(0, 16))},
        "digest": {"channel": draw(st.none() | st.from_regex(r"\AC[A-Z0-9]{2,8}\Z"))},
        "themes": draw(st.dictionaries(words, st.lists(words, min_size=1, max_size=2),
                                       max_size=2)),
    }, "staff": draw(people), "partnerships": partnerships}


@given(raw=programmes())
def test_any_programme_the_model_accepts_reads_back_from_its_export(raw: dict[str, Any]) -> None:
    try:
        spec = parse_programme(raw)
    except ProgrammeError:
        assume(False)  # e.g. one person with two names across partnerships
        return
    assert parse_programme(yaml.safe_load(programme_yaml(spec))) == spec
