"""Momentum insight: the rules on hand-built histories, query counts, digest, exports."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, event, select

from bench.data import build_programme
from bot.blocks.terminal import report_markdown
from storage.calendar_store import load_calendar
from storage.checkins import CheckinInput, ObjectiveAnswer, record_checkin
from storage.db import SessionFactory
from storage.digest import build_digest
from storage.export import write_csv
from storage.insight import (
    RoundFigures,
    Thresholds,
    common_themes,
    days_at,
    momentum_falling,
    response_rate,
    single_institution,
    sparkline,
    stall_reasons,
    tag_themes,
    theme_patterns,
    trend_arrow,
)
from storage.models import Checkin, CheckinRound, Objective, ObjectiveUpdate, Partnership
from storage.report import report_data
from storage.status import partnership_detail
from storage.summaries import summaries

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)


def rounds(momenta: list[float | None], answered: list[int] | None = None, eligible: int = 6,
           weeks_ago: int | None = None) -> list[RoundFigures]:
    count = len(momenta)
    start = weeks_ago if weeks_ago is not None else count
    answered = answered or [3] * count
    return [RoundFigures(i, NOW - timedelta(weeks=start - i), NOW - timedelta(weeks=start - i - 1),
                         "regular", answered[i], eligible, m) for i, m in enumerate(momenta)]


def test_sparkline_and_trend() -> None:
    assert sparkline([1, 2, 3, 4, 5, None]) == "▁▃▅▆█·"
    assert trend_arrow([3, 3.5, 4]) == "↗" and trend_arrow([4, 3.4, 3]) == "↘"
    assert trend_arrow([3, 3.2, 3.1]) == "→" and trend_arrow([None]) == "→"


def test_momentum_drop_is_a_point_over_three_rounds() -> None:
    assert momentum_falling([4.0, 3.6, 3.0], 1.0)
    assert not momentum_falling([4.0, 3.6, 3.2], 1.0)
    assert momentum_falling([5, None, 4.5, None, 3.9], 1.0)  # rounds without answers skipped


def test_response_rate_excludes_paused_and_empty_rounds() -> None:
    assert response_rate(2, 4) == 0.5 and response_rate(0, 0) is None
    assert response_rate(5, 4) == 1.0


def test_stalling_rules() -> None:
    limits = Thresholds()
    quiet = rounds([3, 3, 3, 3], weeks_ago=5)
    assert stall_reasons(now=NOW, rounds=quiet, last_checkin_at=NOW - timedelta(days=22),
                         thresholds=limits) == ["no check-in for 3 weeks"]
    assert stall_reasons(now=NOW, rounds=quiet, last_checkin_at=NOW - timedelta(days=10),
                         thresholds=limits) == []
    fresh = rounds([None], weeks_ago=1)  # a new partnership is not quiet yet
    assert stall_reasons(now=NOW, rounds=fresh, last_checkin_at=None, thresholds=limits) == []
    low = rounds([3, 3, 3], answered=[5, 1, 1])
    assert "low response two rounds running" in stall_reasons(
        now=NOW, rounds=low, last_checkin_at=NOW, thresholds=limits)
    falling = rounds([4.5, 4, 3.2])
    assert stall_reasons(now=NOW, rounds=falling, last_checkin_at=NOW,
                         thresholds=limits) == ["momentum falling"]


def test_objective_age_and_connected_leadership() -> None:
    assert days_at(NOW - timedelta(days=12, hours=3), NOW) == 12 and days_at(None, NOW) is None
    assert single_institution({"Council", "University"}, {"University"}) == "University"
    assert single_institution({"Council", "University"}, {"University", "Council"}) is None
    assert single_institution({"Council"}, {"Council"}) is None


def test_themes_across_partnerships() -> None:
    vocabulary = {"data sharing": ["data", "gdpr"], "evaluation": ["evaluation", "impact"]}
    patterns = theme_patterns(vocabulary)
    assert tag_themes("Waiting on GDPR sign-off", patterns) == {"data sharing"}
    assert tag_themes("metadata is fine", patterns) == set()  # whole words only
    # One pattern per theme still finds a keyword that extends another one.
    assert tag_themes("the Database is down", theme_patterns({"x": ["data", "database"]})) \
        == {"x"}
    themes = common_themes([("Hull", "evaluation of cultural impact"),
                            ("Brighton and Hove", "Impact evaluation framework"),
                            ("Lincoln", "data access")], vocabulary)
    assert [(t.name, t.partnerships) for t in themes] == [
        ("evaluation", ("Brighton and Hove", "Hull"))]


@contextmanager
def counting(engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(conn: object, cursor: object, statement: str, *args: object) -> None:
        if not statement.startswith(("BEGIN", "SAVEPOINT", "RELEASE")):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


@pytest.mark.parametrize("size", [5, 500])
def test_query_count_does_not_grow_with_partnerships(session_factory: SessionFactory,
                                                     size: int) -> None:
    build_programme(session_factory, partnerships=size, members=4, weeks=6, now=NOW)
    with session_factory() as session:
        bind = session.get_bind()  # reads may use their own engine (SQLite)
        with counting(bind) as statuses:
            detail = partnership_detail(session, NOW, load_calendar(session).on(NOW), 1)
        with counting(bind) as overview:
            found = summaries(session, NOW, load_calendar(session).on(NOW))
        with counting(bind) as digest:
            built = build_digest(session, NOW)
    assert detail is not None and len(found) == size == len(built.partnerships)
    # A fixed handful of statements for 5 partnerships or 500: a query per partnership
    # would blow through these ceilings at once.
    assert len(overview) == 6
    assert len(statuses) <= 12 and len(digest) <= 12


def seed_history(example: SessionFactory, now: datetime) -> int:
    with example.begin() as session:
        hull = session.scalar(select(Partnership).where(
            Partnership.slug == "hull-inclusive-growth"))
        assert hull is not None
        objective = session.scalars(select(Objective).where(
            Objective.partnership_id == hull.id)).first()
        assert objective is not None
        person_ids = [m.person_id for m in hull.memberships]
        for week, status in enumerate(("on_track", "at_risk", "at_risk", "stalled")):
            moment = now - timedelta(weeks=4 - week)
            session.add(CheckinRound(partnership_id=hull.id, kind="regular", opens_at=moment,
                                     due_at=moment + timedelta(weeks=1)))
            session.flush()
            record_checkin(session, person_id=person_ids[week % 2], partnership_id=hull.id,
                           data=CheckinInput(momentum=4 - week // 2, highlights=f"Week {week}",
                                             blockers="Data sharing, \"quoted\", commas",
                                             help_wanted=week == 3, help_text="Funders",
                                             objectives={objective.id: ObjectiveAnswer(
                                                 status, f"note {week}")}),
                           now=moment + timedelta(hours=2))
        return hull.id


def test_status_shows_objective_age(example_programme: SessionFactory) -> None:
    hull_id = seed_history(example_programme, NOW)
    with example_programme() as session:
        detail = partnership_detail(session, NOW, load_calendar(session).on(NOW), hull_id)
    assert detail is not None
    stalled = [o for o in detail.summary.objectives if o.status == "stalled"]
    assert len(stalled) == 1 and days_at(stalled[0].status_since, NOW) == 6  # 6 days 22 h
    assert detail.help and detail.blockers


def test_csv_export_round_trips(example_programme: SessionFactory) -> None:
    seed_history(example_programme, NOW)
    out = io.StringIO()
    count = write_csv(example_programme, out)
    with example_programme() as session:
        stored = session.scalars(select(Checkin).order_by(Checkin.submitted_at)).all()
        updates = session.scalars(select(ObjectiveUpdate)).all()
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert count == len(rows) == len(stored) + len(updates)
    checkins = [r for r in rows if r["row_type"] == "checkin"]
    assert [(int(r["checkin_id"]), int(r["momentum"]), r["highlights"], r["blockers"],
             r["help_wanted"] == "True", datetime.fromisoformat(r["submitted_at"]))
            for r in checkins] == [(c.id, c.momentum, c.highlights, c.blockers, c.help_wanted,
                                    c.submitted_at) for c in stored]
    assert sorted((int(r["checkin_id"]), r["status"], r["note"]) for r in rows
                  if r["row_type"] == "objective_update") == sorted(
        (u.checkin_id, u.status, u.note) for u in updates)


def test_report_back_summary(example_programme: SessionFactory) -> None:
    seed_history(example_programme, NOW)
    with example_programme() as session:
        data = report_data(session, "hull-inclusive-growth")
    assert data is not None
    text = report_markdown(data)
    assert "On track" in text and "At risk" in text and "Stalled" in text
    assert "Week 3" in text and "Funders" in text and "## What helped" in text
