"""Retention through a simulated programme's end: exactly the old free text goes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.playground.standin import StandIn
from storage.checkins import CheckinInput, ObjectiveAnswer, submit_checkin
from storage.db import SessionFactory
from storage.erasure import REMOVED
from storage.models import AuditEvent, Checkin, Delivery, Objective, ObjectiveUpdate, Person
from storage.programme import RetentionSection
from storage.retention import retention_plan
from tests.simulation import make_simulation, simulation_spec, utc

DAYS = 30


@pytest.fixture
def standin() -> Iterator[StandIn]:
    with StandIn() as server:
        yield server


def snapshot(db: SessionFactory) -> dict[str, Any]:
    """Every check-in with its texts and numbers, every person, every objective's state."""
    with db() as session:
        return {
            "checkins": {c.id: (c.submitted_at, c.momentum, c.help_wanted, c.highlights,
                                c.blockers, c.help_text, c.next_steps)
                         for c in session.scalars(select(Checkin))},
            "notes": {u.id: (u.checkin_id, u.status, u.note)
                      for u in session.scalars(select(ObjectiveUpdate))},
            "people": {p.id: (p.slack_user_id, p.name, p.institution, p.active)
                       for p in session.scalars(select(Person))},
            "objectives": {o.id: (o.title, o.status, o.status_note)
                           for o in session.scalars(select(Objective))},
        }


def answer(sim: Any, slack_id: str, words: str) -> None:
    with sim.session_factory() as session:
        person = session.scalar(select(Person).where(Person.slack_user_id == slack_id))
        membership = person.memberships[0]
        objective = session.scalar(select(Objective.id).where(
            Objective.partnership_id == membership.partnership_id))
    submit_checkin(sim.session_factory, person_id=person.id, slack_id=slack_id,
                   partnership_id=membership.partnership_id, now=sim.clock(),
                   data=CheckinInput(momentum=3, highlights=f"{words} went well",
                                     blockers=f"{words} stuck", next_steps="",
                                     objectives={objective: ObjectiveAnswer(
                                         "at_risk", f"{words} note")}))


def test_retention_at_programme_end_removes_exactly_the_old_text(
        standin: StandIn, session_factory: SessionFactory) -> None:
    base = simulation_spec("2026-11-16", "2027-01-20")
    spec = base.model_copy(update={"programme": base.programme.model_copy(update={
        "retention": RetentionSection(free_text_days_after_report_back=DAYS)})})
    sim = make_simulation(standin, session_factory, spec, utc(2026, 11, 30, 6))
    sim.run(utc(2026, 12, 2, 12), step=timedelta(hours=6))
    answer(sim, "U0ALPHA1", "Early")
    sim.run(utc(2027, 1, 19, 12), step=timedelta(days=1))
    answer(sim, "U0BETA1", "Last")
    sim.run(utc(2027, 2, 1, 12), step=timedelta(days=1))  # after the report-back
    answer(sim, "U0ALPHA3", "Late")
    late_at = sim.clock()
    sim.run(utc(2027, 2, 19, 12), step=timedelta(days=1))
    before = snapshot(session_factory)
    assert retention_plan(session_factory, sim.clock()).cutoff is None  # not yet due
    # Report-back 20 Jan + 30 days: from 20 Feb the free text written before now-30d goes.
    sim.run(utc(2027, 2, 25, 12), step=timedelta(days=1))
    after = snapshot(session_factory)

    assert after["people"] == before["people"]
    for checkin_id, old in before["checkins"].items():
        new = after["checkins"][checkin_id]
        assert new[:3] == old[:3]  # when, momentum, help wanted: kept
        gone = old[0] < sim.clock() - timedelta(days=DAYS)
        assert new[3:] == tuple(REMOVED if t and gone else t for t in old[3:])
    assert any(old[0] >= late_at - timedelta(minutes=1) and "Late" in old[3]
               for old in after["checkins"].values())  # newer than the setting: kept
    for note_id, (checkin_id, status, note) in before["notes"].items():
        gone = before["checkins"][checkin_id][0] < sim.clock() - timedelta(days=DAYS)
        assert after["notes"][note_id] == (checkin_id, status, REMOVED if gone else note)
    assert {k: v[:2] for k, v in after["objectives"].items()} == \
        {k: v[:2] for k, v in before["objectives"].items()}
    with session_factory() as session:
        runs = session.scalars(select(AuditEvent).where(AuditEvent.action == "retention")).all()
        old = session.scalars(select(Delivery.payload).where(
            Delivery.created_at < sim.clock() - timedelta(days=DAYS))).all()
    # At most once a day, however many cycles; later days only catch up on newly old rows.
    assert runs and len({r.at.date() for r in runs}) == len(runs)
    assert sum(r.detail["checkins"] for r in runs) == 2
    assert old and all(p == {"text": REMOVED} for p in old)
    assert not retention_plan(session_factory, sim.clock()).due
