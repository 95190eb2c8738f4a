"""A member edits their own check-in until its round closes: the form filled with their
answers, and the answers replaced in place (one row; the round's tally kept right).

"Closes" is the round's due time, the moment its channel summary is made from: an edit
after it would leave the summary telling something the member no longer says.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.checkins import (
    CheckinInput,
    CheckinRejected,
    CheckinSuperseded,
    Confirmation,
    ConfirmationBlocks,
    Outcome,
    amend_checkin,
    queue_confirmation,
    validate_checkin,
    version,
)
from storage.db import SessionFactory
from storage.erasure import person_present
from storage.forms import CheckinForm, form_for
from storage.models import Checkin, CheckinRound
from storage.tallies import retally_round


class RoundClosed(CheckinRejected):
    """The check-in's round has closed: its answers are final."""


@dataclass(frozen=True)
class EditForm:
    """The form to edit one check-in, and what the modal seals to submit it."""

    checkin_id: int
    form: CheckinForm

    @property
    def base(self) -> str:
        """The sealed claim's base: which check-in, in which version."""
        return f"{self.checkin_id}:{self.form.base}"


def parse_base(base: str) -> tuple[int, str] | None:
    """(check-in id, version) from an ``EditForm.base``; None if it is not one."""
    checkin_id, _, stamp = base.partition(":")
    return (int(checkin_id), stamp) if checkin_id.isdigit() and stamp else None


def _own_open_checkin(session: Session, person_id: int, checkin_id: int, now: datetime,
                      lock: bool) -> Checkin:
    query = select(Checkin).where(Checkin.id == checkin_id)
    checkin = session.scalar(query.with_for_update() if lock else query)
    if checkin is None or checkin.person_id != person_id:
        raise CheckinRejected("not this person's check-in")
    due = session.scalar(select(CheckinRound.due_at).where(
        CheckinRound.id == checkin.round_id))
    if due is None or due <= now:
        raise RoundClosed("the round has closed")
    return checkin


def edit_form(db: SessionFactory, *, person_id: int, checkin_id: int, now: datetime
              ) -> EditForm:
    """The check-in form filled with this person's answers; ``CheckinRejected`` if the
    check-in is not theirs, ``RoundClosed`` once its round has closed."""
    with db() as session:
        checkin = _own_open_checkin(session, person_id, checkin_id, now, lock=False)
        return EditForm(checkin.id, form_for(session, checkin.partnership_id, checkin))


def edit_checkin(db: SessionFactory, *, person_id: int, slack_id: str, checkin_id: int,
                 data: CheckinInput, now: datetime, confirmation: Confirmation,
                 confirmation_blocks: ConfirmationBlocks | None = None
                 ) -> tuple[Outcome, list[int]]:
    """Replace the answers of the person's own check-in while its round is open, with its
    confirmation queued in the same transaction; a replayed submission is a duplicate, a
    form older than the answers is ``CheckinSuperseded``."""
    with db.begin() as session:
        checkin = _own_open_checkin(session, person_id, checkin_id, now, lock=True)
        if data.view_id and session.scalar(select(Checkin.id).where(
                Checkin.view_id == data.view_id)) is not None:
            return Outcome.DUPLICATE, []
        if not person_present(session, person_id):
            raise CheckinRejected("this person's data was erased")
        if data.base != version(checkin):
            raise CheckinSuperseded("the check-in changed after this form was opened")
        validate_checkin(data, session, checkin.partnership_id)
        outcome = amend_checkin(session, checkin, data, now)
        retally_round(session, checkin.round_id)
        return outcome, queue_confirmation(
            session, checkin, outcome, slack_id=slack_id, view_id=data.view_id, now=now,
            confirmation=confirmation, blocks=confirmation_blocks)
