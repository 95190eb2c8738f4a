"""The overview ranked from the partnerships' standings says exactly what ranking every
summary from its rounds says: through a simulated programme with check-ins, amendments,
pulses, edits, pauses, erasure, leavers, rounds opening and closing (and a round opened
behind the standings' back), on both databases; in a fixed number of statements."""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

import pytest
from alembic import command
from sqlalchemy import select, update

from bench.data import build_programme
from storage.calendar import PlannedRound
from storage.calendar_store import load_calendar
from storage.checkin_edits import edit_checkin
from storage.checkins import CheckinInput, ObjectiveAnswer, Outcome, record_checkin, version
from storage.clock import SteppingClock
from storage.db import SessionFactory, alembic_config
from storage.erasure import erase
from storage.leavers import mark_left
from storage.models import Checkin, CheckinRound, Membership, Objective, PartnershipStanding, Person
from storage.rounds import open_rounds
from storage.standing import catch_up, ranking, refresh, refresh_all
from storage.status import OVERVIEW_PAGE, overview_page
from storage.summaries import Summary, summaries
from tests.storage.test_insight import counting

STANDING = [c.name for c in PartnershipStanding.__table__.columns]


def _same_as_a_recount(db: SessionFactory, now: datetime) -> list[Summary]:
    """The fast ranking and every overview page equal the summaries of every partnership."""
    with db() as session:
        today = load_calendar(session).on(now)
        slow = summaries(session, now, today)
        assert ranking(session, now, today) == [s.partnership_id for s in slow]
        pages = -(-len(slow) // OVERVIEW_PAGE)
        for page in range(1, pages + 1):
            shown = overview_page(session, now, today, page)
            expected = slow[(page - 1) * OVERVIEW_PAGE:page * OVERVIEW_PAGE]
            assert (shown.page, shown.pages, shown.total) == (page, pages, len(slow))
            assert [(s.partnership_id, s.score, s.reasons, s.flags, s.rounds, s.eligible)
                    for s in shown.summaries] == [
                (s.partnership_id, s.score, s.reasons, s.flags, s.rounds, s.eligible)
                for s in expected]
    return slow


def _standings(db: SessionFactory) -> dict[int, tuple[Any, ...]]:
    with db() as session:
        return {row[0]: tuple(row) for row in session.execute(
            select(*PartnershipStanding.__table__.columns))}


def _members(db: SessionFactory) -> list[tuple[int, int, str]]:
    with db() as session:
        return [tuple(row) for row in session.execute(  # type: ignore[misc]
            select(Membership.partnership_id, Person.id, Person.slack_user_id)
            .join(Person, Person.id == Membership.person_id)
            .where(Membership.active, Person.active).order_by(Person.id))]


def _tick(db: SessionFactory, planned: PlannedRound | None, ids: list[int], now: datetime
          ) -> None:
    """What the tick does with rounds: open the one due, then move the standings on."""
    if planned is None:
        return
    with db.begin() as session:
        opened, _ = open_rounds(session, planned, ids)
    _same_as_a_recount(db, now)  # the standings behind the rounds for a moment
    with db.begin() as session:
        catch_up(session, opened, now)


def _answer(db: SessionFactory, rng: random.Random, pid: int, person: int, now: datetime
            ) -> None:
    with db.begin() as session:
        objectives = list(session.scalars(select(Objective.id).where(
            Objective.partnership_id == pid, Objective.active)))
        pulse = rng.random() < 0.25
        data = CheckinInput(
            momentum=rng.randint(1, 5), source="pulse" if pulse else "modal",
            objectives={} if pulse else {
                oid: ObjectiveAnswer(rng.choice(("on_track", "at_risk", "stalled", "done")))
                for oid in objectives if rng.random() < 0.5})
        record_checkin(session, person_id=person, partnership_id=pid, data=data, now=now)


def _edit_one(db: SessionFactory, rng: random.Random, now: datetime) -> None:
    """A member edits their answer in a round still open (a recount of that round)."""
    with db() as session:
        found = session.execute(select(Checkin, Person.slack_user_id)
                                .join(Person, Person.id == Checkin.person_id)
                                .join(CheckinRound, CheckinRound.id == Checkin.round_id)
                                .where(CheckinRound.due_at > now, Person.active)
                                .order_by(Checkin.id.desc()).limit(1)).first()
        if found is None:
            return
        checkin, slack_id = found
        base = version(checkin)
        person_id, checkin_id = checkin.person_id, checkin.id
    outcome, _ = edit_checkin(db, person_id=person_id, slack_id=slack_id, checkin_id=checkin_id,
                              data=CheckinInput(momentum=rng.randint(1, 5), base=base),
                              now=now, confirmation=lambda _o, m: f"{m}")
    assert outcome is Outcome.AMENDED


def _events(db: SessionFactory, rng: random.Random, step: int, now: datetime) -> None:
    """What else happens to a programme now and then."""
    members = _members(db)
    if step % 5 == 2:  # a pause of two weeks, and one ending now
        with db.begin() as session:
            session.execute(update(Person).where(Person.id == rng.choice(members)[1])
                            .values(paused_until=now + timedelta(weeks=2)))
    if step == 6:
        with db.begin() as session:
            erase(session, rng.choice(members)[2], actor="test", now=now)
    if step == 9:
        mark_left(db, rng.choice(members)[2], now)
    if step % 4 == 3:
        _edit_one(db, rng, now)
    if step == 11:  # a round opened behind the standings' back, then answered
        pid = members[0][0]
        with db.begin() as session:
            session.add(CheckinRound(partnership_id=pid, kind="adhoc", opens_at=now,
                                     due_at=now + timedelta(days=3)))
        _answer(db, rng, pid, members[0][1], now + timedelta(minutes=5))


def test_the_overview_ranks_as_every_summary_would(example_programme: SessionFactory,
                                                   clock: SteppingClock,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    db, rng = example_programme, random.Random(15)
    recounted: list[int] = []  # partnerships ranked from their rounds, not their standing

    def spy(*args: Any, **kwargs: Any) -> list[Summary]:
        recounted.extend(args[3])
        return summaries(*args, **kwargs)

    monkeypatch.setattr("storage.standing.summaries", spy)
    reasons: set[str] = set()
    fallbacks = 0
    with db() as session:
        calendar = load_calendar(session)
    ids = sorted({pid for pid, _, _ in _members(db)})
    for step in range(40):  # 40 × 38 hours: past the report-back, through the winter lull
        now = clock.advance(timedelta(hours=38))
        _tick(db, calendar.round_at(now), ids, now)
        for pid, person, _ in _members(db):
            if rng.random() < (0.6 if pid % 3 else 0.15):  # some partnerships go quiet
                _answer(db, rng, pid, person, now + timedelta(minutes=rng.randint(1, 600)))
        _events(db, rng, step, now + timedelta(hours=11))
        recounted.clear()  # the moments just after a round opened, when all are recounted
        for later in (timedelta(hours=12), timedelta(days=1, hours=2), timedelta(days=3)):
            reasons.update(r for s in _same_as_a_recount(db, now + later) for r in s.reasons)
        fallbacks += len(recounted)
    assert fallbacks < 40 * 3 * len(ids) / 10  # the standings ranked nine in ten
    assert {"momentum falling", "low response two rounds running"} <= reasons
    assert any(r.startswith("no check-in") for r in reasons)
    kept = _standings(db)
    with db.begin() as session:
        refresh_all(session, clock() + timedelta(days=3))
    recounted = _standings(db)
    assert any(row[1] is not None for row in kept.values())
    assert {pid: row for pid, row in kept.items() if row[1] is not None} == {
        pid: recounted[pid] for pid, row in kept.items() if row[1] is not None}


def test_a_late_answer_to_an_earlier_round_marks_the_standing_for_a_recount(
        example_programme: SessionFactory, clock: SteppingClock) -> None:
    db, rng = example_programme, random.Random(3)
    with db() as session:
        calendar = load_calendar(session)
    ids = sorted({pid for pid, _, _ in _members(db)})
    first = calendar.round_at(clock())
    assert first is not None
    _tick(db, first, ids, clock())
    later = clock.advance(timedelta(days=8))
    second = calendar.round_at(later)
    assert second is not None and second.opens_at > first.opens_at
    _tick(db, second, ids, later)
    pid, person, _ = _members(db)[0]
    _answer(db, rng, pid, person, second.opens_at - timedelta(hours=1))  # the earlier round
    assert _standings(db)[pid][1] is None
    _same_as_a_recount(db, later + timedelta(days=1))
    _tick(db, second, ids, later)  # the next tick stands it on its latest round again
    assert _standings(db)[pid][1] is not None
    _same_as_a_recount(db, later + timedelta(days=1))


@pytest.mark.parametrize("size", [5, 40])
def test_the_overview_reads_a_fixed_number_of_statements(session_factory: SessionFactory,
                                                         size: int) -> None:
    now = datetime.fromisoformat("2026-11-24T12:00:00+00:00")
    build_programme(session_factory, partnerships=size, members=4, weeks=10, now=now)
    _same_as_a_recount(session_factory, now)
    with session_factory() as session:
        today = load_calendar(session).on(now)
        with counting(session.get_bind()) as statements:
            page = overview_page(session, now, today, 1)
    assert page.total == size
    assert len(statements) == 8  # three to rank, four for the page's summaries, its flags


def test_the_migration_fills_in_every_standing(database_url: str,
                                              session_factory: SessionFactory) -> None:
    now = datetime.fromisoformat("2026-11-24T12:00:00+00:00")
    build_programme(session_factory, partnerships=6, members=4, weeks=12, now=now)
    counted = _standings(session_factory)
    config = alembic_config(database_url)
    command.downgrade(config, "0006")
    command.upgrade(config, "heads")
    assert _standings(session_factory) == counted
    assert all(row[1] is not None for row in counted.values())
    _same_as_a_recount(session_factory, now)


def test_simultaneous_answers_and_recounts_leave_a_true_standing(
        example_programme: SessionFactory, clock: SteppingClock) -> None:
    db = example_programme
    with db() as session:
        calendar = load_calendar(session)
    members = _members(db)
    ids = sorted({pid for pid, _, _ in members})
    _tick(db, calendar.round_at(clock()), ids, clock())
    now = clock()

    def answer(member: tuple[int, int, str]) -> None:
        _answer(db, random.Random(member[1]), member[0], member[1], now)

    def recount(_: int) -> None:
        with db.begin() as session:
            refresh(session, ids, now)

    with ThreadPoolExecutor(max_workers=8) as pool:
        jobs = [pool.submit(answer, m) for m in members * 2]
        jobs += [pool.submit(recount, n) for n in range(6)]
        for job in jobs:
            job.result()
    kept = _standings(db)
    with db.begin() as session:
        refresh_all(session, now)
    assert kept == _standings(db)
    _same_as_a_recount(db, now + timedelta(days=1))
