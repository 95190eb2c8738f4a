"""Round tallies kept as check-ins arrive always equal a recount from the check-ins:
after new answers, amendments, pulses and simultaneous submissions, on both databases."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from sqlalchemy import func, select

from storage.checkins import CheckinInput, record_checkin
from storage.clock import SteppingClock
from storage.db import SessionFactory
from storage.models import Checkin, CheckinRound, Membership, Partnership, Person, RoundInstitution
from storage.tallies import retally_all


def _recount(db: SessionFactory) -> dict[int, tuple[int, int, object, set[str]]]:
    with db() as session:
        counts = {rid: (n, total, last) for rid, n, total, last in session.execute(
            select(Checkin.round_id, func.count(), func.sum(Checkin.momentum),
                   func.max(Checkin.submitted_at)).group_by(Checkin.round_id))}
        places: dict[int, set[str]] = {}
        for rid, institution in session.execute(
                select(Checkin.round_id, Person.institution).distinct()
                .join(Person, Person.id == Checkin.person_id)):
            if institution:
                places.setdefault(rid, set()).add(institution)
        return {rid: (*counts[rid], places.get(rid, set())) for rid in counts}


def _tallies(db: SessionFactory) -> dict[int, tuple[int, int, object, set[str]]]:
    with db() as session:
        places: dict[int, set[str]] = {}
        for rid, institution in session.execute(select(RoundInstitution.round_id,
                                                       RoundInstitution.institution)):
            places.setdefault(rid, set()).add(institution)
        return {r.id: (r.answered, r.momentum_total, r.last_checkin_at, places.get(r.id, set()))
                for r in session.scalars(select(CheckinRound).where(CheckinRound.answered > 0))}


def _hull(db: SessionFactory) -> tuple[int, list[int]]:
    with db() as session:
        hull = session.scalar(select(Partnership).where(
            Partnership.slug == "hull-inclusive-growth"))
        assert hull is not None
        people = list(session.scalars(select(Membership.person_id).where(
            Membership.partnership_id == hull.id)))
        return hull.id, people


def test_tallies_follow_answers_amendments_and_pulses(example_programme: SessionFactory,
                                                      clock: SteppingClock) -> None:
    hull, people = _hull(example_programme)
    steps = [(people[0], "modal", 2), (people[1], "modal", 4), (people[0], "modal", 5),
             (people[1], "pulse", 1), (people[2], "pulse", 3), (people[2], "pulse", 3)]
    for person, source, momentum in steps:
        clock.advance(timedelta(hours=1))
        with example_programme.begin() as session:
            record_checkin(session, person_id=person, partnership_id=hull,
                           data=CheckinInput(momentum=momentum, source=source), now=clock())
    assert _tallies(example_programme) == _recount(example_programme)
    (answered, total, _, _), = _tallies(example_programme).values()
    assert (answered, total) == (3, 5 + 1 + 3)


def test_simultaneous_answers_are_all_counted(example_programme: SessionFactory,
                                              clock: SteppingClock) -> None:
    hull, people = _hull(example_programme)
    with example_programme.begin() as session:  # open the round first, as the tick does
        record_checkin(session, person_id=people[0], partnership_id=hull,
                       data=CheckinInput(momentum=3), now=clock())

    def answer(person: int) -> None:
        with example_programme.begin() as session:
            record_checkin(session, person_id=person, partnership_id=hull,
                           data=CheckinInput(momentum=4), now=clock())

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(answer, people[1:] * 3))
    assert _tallies(example_programme) == _recount(example_programme)
    (answered, *_), = _tallies(example_programme).values()
    assert answered == len(people)


def test_retally_all_rebuilds_what_a_bulk_load_skipped(example_programme: SessionFactory,
                                                       clock: SteppingClock) -> None:
    hull, people = _hull(example_programme)
    with example_programme.begin() as session:
        rnd = CheckinRound(partnership_id=hull, kind="regular", opens_at=clock(),
                           due_at=clock() + timedelta(days=7))
        session.add(rnd)
        session.flush()
        session.add_all([Checkin(person_id=p, partnership_id=hull, round_id=rnd.id,
                                 submitted_at=clock(), momentum=2, source="modal")
                         for p in people])
    assert _tallies(example_programme) == {}
    with example_programme.begin() as session:
        retally_all(session)
        retally_all(session)  # idempotent
    assert _tallies(example_programme) == _recount(example_programme)
