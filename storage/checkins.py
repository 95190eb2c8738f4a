"""Storing check-ins exactly once, and the rounds they belong to."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.db import SessionFactory
from storage.erasure import person_present
from storage.insight import OBJECTIVE_STATUSES
from storage.models import Checkin, CheckinRound, Objective, ObjectiveUpdate, Partnership
from storage.outbox import insert_ignoring_duplicates, pending_with_prefix, queue_message
from storage.tallies import retally_round

ADHOC_ROUND_LENGTH = timedelta(days=14)
TEXT_LIMIT = 3000


class Outcome(Enum):
    STORED = "stored"
    AMENDED = "amended"
    DUPLICATE = "duplicate"


class CheckinRejected(ValueError):
    """The submission names something the server will not accept (forged or stale)."""


class CheckinSuperseded(CheckinRejected):
    """The form was opened before the check-in it would overwrite was last changed (an
    older view, or a replay of one): storing it would undo the newer answers."""


@dataclass(frozen=True)
class ObjectiveAnswer:
    status: str
    note: str = ""


@dataclass(frozen=True)
class CheckinInput:
    """A member's answers, already parsed from Slack's payload."""

    momentum: int
    source: str = "modal"
    highlights: str = ""
    blockers: str = ""
    help_wanted: bool = False
    help_text: str = ""
    next_steps: str = ""
    objectives: dict[int, ObjectiveAnswer] = field(default_factory=dict)
    view_id: str | None = None
    base: str | None = None
    """``version`` of the check-in the form was opened against ("" for none); None for a
    pulse, which only ever sets the momentum."""


def version(checkin: Checkin | None) -> str:
    """A short fingerprint of a check-in as it stands: it changes with every amendment."""
    if checkin is None:
        return ""
    stamp = f"{checkin.id}|{checkin.submitted_at.isoformat()}|{checkin.view_id}|{checkin.momentum}"
    return hashlib.sha256(stamp.encode()).hexdigest()[:16]


def _latest_round(session: Session, partnership_id: int, now: datetime) -> CheckinRound | None:
    return session.scalar(
        select(CheckinRound)
        .where(CheckinRound.partnership_id == partnership_id, CheckinRound.opens_at <= now)
        .order_by(CheckinRound.opens_at.desc()).limit(1))


def current_round(session: Session, partnership_id: int, now: datetime) -> CheckinRound:
    """The latest round that has opened; an ad-hoc round if the scheduler has opened none.

    Race-free inside a write transaction: the partnership's row is locked first (PostgreSQL;
    SQLite's writers already queue at BEGIN IMMEDIATE), so of two first check-ins the
    second waits, then finds the first one's round; the insert itself is ON CONFLICT DO
    NOTHING, in case a scheduler opens a round at that very instant.
    """
    found = _latest_round(session, partnership_id, now)
    if found is not None:
        return found
    session.execute(select(Partnership.id).where(Partnership.id == partnership_id)
                    .with_for_update(key_share=True))
    found = _latest_round(session, partnership_id, now)
    if found is not None:
        return found
    insert_ignoring_duplicates(session, CheckinRound, [{
        "partnership_id": partnership_id, "kind": "adhoc", "opens_at": now,
        "due_at": now + ADHOC_ROUND_LENGTH}])
    return session.scalars(select(CheckinRound).where(
        CheckinRound.partnership_id == partnership_id, CheckinRound.opens_at == now)).one()


def validate_checkin(data: CheckinInput, session: Session, partnership_id: int) -> None:
    """Refuse answers the server will not store (``CheckinRejected``)."""
    if not 1 <= data.momentum <= 5:
        raise CheckinRejected("momentum must be from 1 to 5")
    for text in (data.highlights, data.blockers, data.help_text, data.next_steps):
        if len(text) > TEXT_LIMIT:
            raise CheckinRejected(f"answers are limited to {TEXT_LIMIT} characters")
    if data.objectives:
        known = set(session.scalars(select(Objective.id).where(
            Objective.partnership_id == partnership_id, Objective.active)))
        unknown = set(data.objectives) - known
        if unknown:
            raise CheckinRejected("the check-in names objectives this partnership does not have")
    for answer in data.objectives.values():
        if answer.status not in OBJECTIVE_STATUSES:
            raise CheckinRejected(f"unknown objective status {answer.status!r}")


def record_checkin(session: Session, *, person_id: int, partnership_id: int,
                   data: CheckinInput, now: datetime) -> tuple[Checkin, Outcome]:
    """Store a check-in once (see ``_store``) and bring its round's tally up to date."""
    checkin, outcome = _store(session, person_id=person_id, partnership_id=partnership_id,
                              data=data, now=now)
    if outcome is not Outcome.DUPLICATE:
        retally_round(session, checkin.round_id)
    return checkin, outcome


def _store(session: Session, *, person_id: int, partnership_id: int,
           data: CheckinInput, now: datetime) -> tuple[Checkin, Outcome]:
    """Store a check-in once: a replayed view is a duplicate; a second answer in the same
    round amends the first (a pulse only ever sets the momentum), unless the form was
    opened before that first answer last changed."""
    validate_checkin(data, session, partnership_id)
    if not person_present(session, person_id):  # erased meanwhile: store nothing of theirs
        raise CheckinRejected("this person's data was erased")
    if data.view_id:
        seen = session.scalar(select(Checkin).where(Checkin.view_id == data.view_id))
        if seen is not None:
            return seen, Outcome.DUPLICATE
    rnd = current_round(session, partnership_id, now)
    existing = _mine(session, person_id, rnd.id)
    if existing is None:
        try:
            with session.begin_nested():
                checkin = _new_checkin(session, person_id, partnership_id, rnd.id, data, now)
            _track_objectives(session, data, now)
            return checkin, Outcome.STORED
        except IntegrityError:
            # A concurrent duplicate won the race (same view or same round): amend or dedupe.
            existing = _mine(session, person_id, rnd.id)
            if existing is None:
                raise
            if data.view_id and existing.view_id == data.view_id:
                return existing, Outcome.DUPLICATE
    if data.base is not None and data.base != version(existing):
        raise CheckinSuperseded("the check-in changed after this form was opened")
    return existing, amend_checkin(session, existing, data, now)


def amend_checkin(session: Session, existing: Checkin, data: CheckinInput,
                  now: datetime) -> Outcome:
    """Replace the answers of a stored check-in in place (one row per person and round,
    whatever the number of amendments); a pulse only ever sets the momentum."""
    if data.source == "pulse":
        if existing.momentum == data.momentum:
            return Outcome.DUPLICATE
        existing.momentum = data.momentum
        existing.submitted_at = now
        return Outcome.AMENDED
    existing.momentum = data.momentum
    existing.highlights, existing.blockers = data.highlights, data.blockers
    existing.help_wanted, existing.help_text = data.help_wanted, data.help_text
    existing.next_steps, existing.source = data.next_steps, data.source
    existing.view_id, existing.submitted_at = data.view_id, now
    existing.updates.clear()
    session.flush()
    existing.updates.extend(_updates(data))
    session.flush()
    _track_objectives(session, data, now)
    return Outcome.AMENDED


def _mine(session: Session, person_id: int, round_id: int) -> Checkin | None:
    """This person's check-in in the round, locked (PostgreSQL) until the transaction ends,
    so two submissions never both amend the version they read."""
    return session.scalar(select(Checkin).where(
        Checkin.person_id == person_id, Checkin.round_id == round_id).with_for_update())


def _track_objectives(session: Session, data: CheckinInput, now: datetime) -> None:
    """Keep each objective's latest status and since when it has held it."""
    if not data.objectives:
        return
    objectives = session.scalars(select(Objective).where(
        Objective.id.in_(list(data.objectives)))).all()
    for objective in objectives:
        answer = data.objectives[objective.id]
        if objective.status != answer.status:
            objective.status, objective.status_since = answer.status, now
        objective.status_at, objective.status_note = now, answer.note


def _updates(data: CheckinInput) -> list[ObjectiveUpdate]:
    return [ObjectiveUpdate(objective_id=oid, status=a.status, note=a.note)
            for oid, a in sorted(data.objectives.items())]


def _new_checkin(session: Session, person_id: int, partnership_id: int, round_id: int,
                 data: CheckinInput, now: datetime) -> Checkin:
    checkin = Checkin(person_id=person_id, partnership_id=partnership_id, round_id=round_id,
                      submitted_at=now, momentum=data.momentum, highlights=data.highlights,
                      blockers=data.blockers, help_wanted=data.help_wanted,
                      help_text=data.help_text, next_steps=data.next_steps, source=data.source,
                      view_id=data.view_id, updates=_updates(data))
    session.add(checkin)
    session.flush()
    return checkin


Confirmation = Callable[[Outcome, int], str]
"""The confirmation text for an outcome and the stored momentum (the bot's words)."""
ConfirmationBlocks = Callable[[str, int], list[dict[str, Any]]]
"""The confirmation's blocks, given its text and the check-in's id (an edit button)."""


def queue_confirmation(session: Session, checkin: Checkin, outcome: Outcome, *, slack_id: str,
                       view_id: str | None, now: datetime, confirmation: Confirmation,
                       blocks: ConfirmationBlocks | None = None) -> list[int]:
    """Queue the confirmation of a stored or amended check-in in the caller's
    transaction; returns the outbox row to send now (none if queued before)."""
    text = confirmation(outcome, checkin.momentum)
    payload: dict[str, Any] = {"text": text}
    if blocks is not None:
        payload["blocks"] = blocks(text, checkin.id)
    row = queue_message(session, kind="confirm", recipient=slack_id,
                        dedupe_key=f"confirm:{checkin.id}:{view_id or now.isoformat()}",
                        payload=payload, now=now)
    return [row] if row else []


def submit_checkin(db: SessionFactory, *, person_id: int, slack_id: str, partnership_id: int,
                   data: CheckinInput, now: datetime,
                   confirmation: Confirmation | None = None,
                   confirmation_blocks: ConfirmationBlocks | None = None
                   ) -> tuple[Outcome, list[int]]:
    """Store the check-in and queue its confirmation in one transaction, so the
    confirmation exists exactly when the check-in does and is sent once even if the
    process dies right after; a replay finds the confirmation still waiting, if it is.
    Returns the outcome and the outbox rows to send now."""
    with db.begin() as session:
        checkin, outcome = record_checkin(session, person_id=person_id,
                                          partnership_id=partnership_id, data=data, now=now)
        prefix = f"confirm:{checkin.id}:"
        if outcome is Outcome.DUPLICATE:
            return outcome, pending_with_prefix(session, prefix)
        if confirmation is None:
            return outcome, []
        open_round = session.get_one(CheckinRound, checkin.round_id).due_at > now
        return outcome, queue_confirmation(
            session, checkin, outcome, slack_id=slack_id, view_id=data.view_id, now=now,
            confirmation=confirmation, blocks=confirmation_blocks if open_round else None)
