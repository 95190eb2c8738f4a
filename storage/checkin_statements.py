"""Every statement of a check-in submission, built once with its values bound at run
time: the submission path runs inside Slack's 3-second ack, so it pays no statement
compilation and no ORM unit of work."""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from sqlalchemy import (
    Delete,
    Insert,
    Select,
    Update,
    bindparam,
    case,
    delete,
    insert,
    select,
    update,
)

from storage.models import Checkin, CheckinRound, Objective, ObjectiveUpdate


class Statements(NamedTuple):
    objectives: Select  # type: ignore[type-arg]
    by_view: Select  # type: ignore[type-arg]
    latest_round: Select  # type: ignore[type-arg]
    due: Select  # type: ignore[type-arg]
    mine: Select  # type: ignore[type-arg]
    mine_locked: Select  # type: ignore[type-arg]
    add: Insert
    add_updates: Insert
    amend: Update
    pulse: Update
    clear_updates: Delete
    track: Update


@lru_cache(maxsize=1)
def submission_statements() -> Statements:
    """Every statement of a submission, built once with its values bound at run time."""
    stored = (Checkin.id, Checkin.round_id, Checkin.momentum, Checkin.submitted_at,
              Checkin.view_id)
    mine = select(*stored).where(Checkin.person_id == bindparam("person"),
                                 Checkin.round_id == bindparam("round"))
    now = bindparam("now", type_=Checkin.submitted_at.type)
    return Statements(
        objectives=select(Objective.id).where(
            Objective.partnership_id == bindparam("partnership"), Objective.active),
        by_view=select(*stored).where(Checkin.view_id == bindparam("view_id")),
        latest_round=select(CheckinRound.id).where(
            CheckinRound.partnership_id == bindparam("partnership"),
            CheckinRound.opens_at <= bindparam("now"))
        .order_by(CheckinRound.opens_at.desc()).limit(1),
        due=select(CheckinRound.due_at).where(CheckinRound.id == bindparam("round")),
        mine=mine,
        mine_locked=mine.with_for_update(),
        add=insert(Checkin),
        add_updates=insert(ObjectiveUpdate),
        amend=update(Checkin).where(Checkin.id == bindparam("checkin")).values(
            momentum=bindparam("new_momentum"), highlights=bindparam("new_highlights"),
            blockers=bindparam("new_blockers"), help_wanted=bindparam("new_help_wanted"),
            help_text=bindparam("new_help_text"), next_steps=bindparam("new_next_steps"),
            source=bindparam("new_source"), view_id=bindparam("new_view_id"),
            submitted_at=now),
        pulse=update(Checkin).where(Checkin.id == bindparam("checkin")).values(
            momentum=bindparam("new_momentum"), submitted_at=now),
        clear_updates=delete(ObjectiveUpdate).where(
            ObjectiveUpdate.checkin_id == bindparam("checkin")),
        # SET reads the row as it was, so the CASE compares with the old status.
        track=update(Objective).where(Objective.id == bindparam("objective")).values(
            status_since=case((Objective.status == bindparam("new_status"),
                               Objective.status_since),
                              else_=bindparam("now", type_=Objective.status_at.type)),
            status=bindparam("new_status"), status_at=bindparam("now"),
            status_note=bindparam("note")))
