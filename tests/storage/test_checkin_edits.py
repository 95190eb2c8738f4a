"""Editing a check-in in storage: one row replaced, the tally right, never someone else's,
never after the round closed, never from a form older than the answers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from storage.checkin_edits import RoundClosed, edit_checkin, edit_form, parse_base
from storage.checkins import CheckinInput, CheckinRejected, CheckinSuperseded, submit_checkin
from storage.clock import SteppingClock
from storage.db import SessionFactory
from storage.models import Checkin, CheckinRound, Membership, Person


def _two_people(db: SessionFactory) -> tuple[int, int, int]:
    with db() as session:
        pid = session.scalars(select(Membership.partnership_id)).first()
        people = session.scalars(select(Membership.person_id).where(
            Membership.partnership_id == pid)).all()
    return pid, people[0], people[1]


def _confirm(_: object, momentum: int) -> str:
    return f"Thanks, {momentum}/5"


def test_an_edit_replaces_one_row_and_retallies(example_programme: SessionFactory,
                                                clock: SteppingClock) -> None:
    db = example_programme
    pid, me, other = _two_people(db)
    for person, momentum in ((me, 5), (other, 3)):
        submit_checkin(db, person_id=person, slack_id="U1", partnership_id=pid, now=clock(),
                       data=CheckinInput(momentum=momentum, blockers="before"))
    with db() as session:
        mine = session.scalar(select(Checkin.id).where(Checkin.person_id == me))
    assert mine is not None
    form = edit_form(db, person_id=me, checkin_id=mine, now=clock())
    assert form.form.prefill is not None and form.form.prefill.blockers == "before"
    target = parse_base(form.base)
    assert target == (mine, form.form.base)
    edit_checkin(db, person_id=me, slack_id="U1", checkin_id=mine, now=clock(),
                 data=CheckinInput(momentum=1, blockers="after", base=form.form.base,
                                   view_id="V1"), confirmation=_confirm)
    with db() as session:
        assert session.scalar(select(func.count()).select_from(Checkin)) == 2
        assert session.scalar(select(Checkin.blockers).where(Checkin.id == mine)) == "after"
        rnd = session.scalars(select(CheckinRound)).one()
        assert (rnd.answered, rnd.momentum_total) == (2, 4)
    with pytest.raises(CheckinSuperseded):  # the form shown before the edit is stale now
        edit_checkin(db, person_id=me, slack_id="U1", checkin_id=mine, now=clock(),
                     data=CheckinInput(momentum=2, base=form.form.base, view_id="V2"),
                     confirmation=_confirm)
    with pytest.raises(CheckinRejected):  # someone else's check-in
        edit_form(db, person_id=other, checkin_id=mine, now=clock())
    with db() as session:
        due = session.scalars(select(CheckinRound.due_at)).one()
        name = session.scalar(select(Person.name).where(Person.id == me))
    assert name
    with pytest.raises(RoundClosed):
        edit_form(db, person_id=me, checkin_id=mine, now=due + timedelta(seconds=1))
