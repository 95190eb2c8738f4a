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

from storage import outbox
from storage.checkin_statements import submission_statements
from storage.db import SessionFactory
from storage.erasure import person_present
from storage.insight import OBJECTIVE_STATUSES
from storage.models import Checkin, CheckinRound, Partnership
from storage.standing import catch_up
from storage.tallies import note_amendment, note_new_answer

ADHOC_ROUND_LENGTH = timedelta(days=14)
TEXT_LIMIT = 3000


class Outcome(Enum):
    STORED = "stored"
    AMENDED = "amended"
    DUPLICATE = "duplicate"


class CheckinRejected(ValueError):
    """The submission names something the server will not accept (forged or stale)."""


class CheckinSuperseded(CheckinRejected):
    """The form predates the check-in's last change: storing it would undo newer answers."""


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
    """``version`` of the check-in the form showed ("" for none); None for a pulse."""


def version(checkin: Checkin | Stored | None) -> str:
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
    outbox.insert_ignoring_duplicates(session, CheckinRound, [{
        "partnership_id": partnership_id, "kind": "adhoc", "opens_at": now,
        "due_at": now + ADHOC_ROUND_LENGTH}])
    opened = session.scalars(select(CheckinRound).where(
        CheckinRound.partnership_id == partnership_id, CheckinRound.opens_at == now)).one()
    catch_up(session, {partnership_id: opened.id}, now)
    return opened


def validate_checkin(data: CheckinInput, session: Session, partnership_id: int) -> None:
    """Refuse answers the server will not store (``CheckinRejected``)."""
    if not 1 <= data.momentum <= 5:
        raise CheckinRejected("momentum must be from 1 to 5")
    for text in (data.highlights, data.blockers, data.help_text, data.next_steps):
        if len(text) > TEXT_LIMIT:
            raise CheckinRejected(f"answers are limited to {TEXT_LIMIT} characters")
    if data.objectives:
        known = set(session.connection().execute(
            submission_statements().objectives, {"partnership": partnership_id}).scalars())
        unknown = set(data.objectives) - known
        if unknown:
            raise CheckinRejected("the check-in names objectives this partnership does not have")
    for answer in data.objectives.values():
        if answer.status not in OBJECTIVE_STATUSES:
            raise CheckinRejected(f"unknown objective status {answer.status!r}")


@dataclass(frozen=True)
class Stored:
    """A check-in as stored: what the caller and ``version`` need of it."""

    id: int
    round_id: int
    momentum: int
    submitted_at: datetime
    view_id: str | None


def record_checkin(session: Session, *, person_id: int, partnership_id: int,
                   data: CheckinInput, now: datetime) -> tuple[Stored, Outcome]:
    """Store a check-in once: a replayed view is a duplicate; a second answer in the same
    round amends the first (a pulse only ever sets the momentum), unless the form was
    opened before that first answer last changed. Its round's tally and the partnership's
    standing follow in the same transaction (storage/tallies.py), by Core statements."""
    validate_checkin(data, session, partnership_id)
    if not person_present(session, person_id):  # erased meanwhile: store nothing of theirs
        raise CheckinRejected("this person's data was erased")
    conn, statements = session.connection(), submission_statements()
    if data.view_id:
        seen = conn.execute(statements.by_view, {"view_id": data.view_id}).first()
        if seen is not None:
            return Stored(*seen), Outcome.DUPLICATE
    round_id = _current_round_id(session, partnership_id, now)
    existing = _mine(session, person_id, round_id)
    if existing is None:
        try:
            with session.begin_nested():
                stored = _new_checkin(session, person_id, partnership_id, round_id, data, now)
            note_new_answer(session, round_id, person_id, data.momentum, now)
            _track_objectives(session, data, now)
            return stored, Outcome.STORED
        except IntegrityError:
            # A concurrent duplicate won the race (same view or same round): amend or dedupe.
            existing = _mine(session, person_id, round_id)
            if existing is None:
                raise
            if data.view_id and existing.view_id == data.view_id:
                return existing, Outcome.DUPLICATE
    if data.base is not None and data.base != version(existing):
        if data.view_id and outbox.ever_queued(session,
                                               confirmation_key(existing.id, data.view_id)):
            return existing, Outcome.DUPLICATE  # this form was stored, then amended since
        raise CheckinSuperseded("the check-in changed after this form was opened")
    outcome = amend_checkin(session, existing, data, now)
    if outcome is Outcome.DUPLICATE:
        return existing, outcome
    note_amendment(session, round_id, data.momentum - existing.momentum, now)
    return Stored(existing.id, round_id, data.momentum, now,
                  existing.view_id if data.source == "pulse" else data.view_id), outcome


def amend_checkin(session: Session, existing: Checkin | Stored, data: CheckinInput,
                  now: datetime) -> Outcome:
    """Replace the answers of a stored check-in in place (one row per person and round,
    whatever the number of amendments); a pulse only ever sets the momentum. The round's
    tally is the caller's (``note_amendment``, or ``retally_round``)."""
    if data.source == "pulse" and existing.momentum == data.momentum:
        return Outcome.DUPLICATE
    conn, statements = session.connection(), submission_statements()
    if data.source == "pulse":
        conn.execute(statements.pulse, {"checkin": existing.id,
                                        "new_momentum": data.momentum, "now": now})
    else:
        conn.execute(statements.amend, {
            "checkin": existing.id, "new_momentum": data.momentum,
            "new_highlights": data.highlights, "new_blockers": data.blockers,
            "new_help_wanted": data.help_wanted, "new_help_text": data.help_text,
            "new_next_steps": data.next_steps, "new_source": data.source,
            "new_view_id": data.view_id, "now": now})
        conn.execute(statements.clear_updates, {"checkin": existing.id})
        _insert_updates(session, existing.id, data)
        _track_objectives(session, data, now)
    if isinstance(existing, Checkin):
        session.expire(existing)  # written by Core: reload its answers when next read
    return Outcome.AMENDED


def _current_round_id(session: Session, partnership_id: int, now: datetime) -> int:
    """``current_round``'s id; the common case (a round is open) in one Core statement."""
    found = session.connection().execute(
        submission_statements().latest_round, {"partnership": partnership_id, "now": now}).scalar()
    return found if found is not None else current_round(session, partnership_id, now).id


def _mine(session: Session, person_id: int, round_id: int) -> Stored | None:
    """This person's check-in in the round, locked (PostgreSQL) until the transaction ends,
    so two submissions never both amend the version they read."""
    statements = submission_statements()
    mine = statements.mine_locked if session.get_bind().dialect.name == "postgresql" \
        else statements.mine
    found = session.connection().execute(mine, {"person": person_id,
                                                "round": round_id}).first()
    return Stored(*found) if found is not None else None


def _track_objectives(session: Session, data: CheckinInput, now: datetime) -> None:
    """Keep each objective's latest status and since when it has held it (one statement:
    "since" moves only when the status changes)."""
    if not data.objectives:
        return
    session.connection().execute(submission_statements().track, [
        {"objective": oid, "new_status": answer.status, "note": answer.note, "now": now}
        for oid, answer in sorted(data.objectives.items())])


def _insert_updates(session: Session, checkin_id: int, data: CheckinInput) -> None:
    if data.objectives:
        session.connection().execute(submission_statements().add_updates, [
            {"checkin_id": checkin_id, "objective_id": oid, "status": a.status,
             "note": a.note} for oid, a in sorted(data.objectives.items())])


def _new_checkin(session: Session, person_id: int, partnership_id: int, round_id: int,
                 data: CheckinInput, now: datetime) -> Stored:
    result = session.connection().execute(submission_statements().add, {
        "person_id": person_id, "partnership_id": partnership_id, "round_id": round_id,
        "submitted_at": now, "momentum": data.momentum, "highlights": data.highlights,
        "blockers": data.blockers, "help_wanted": data.help_wanted,
        "help_text": data.help_text, "next_steps": data.next_steps, "source": data.source,
        "view_id": data.view_id})
    checkin_id = int(result.inserted_primary_key[0])  # type: ignore[index]
    _insert_updates(session, checkin_id, data)
    return Stored(checkin_id, round_id, data.momentum, now, data.view_id)


Confirmation = Callable[[Outcome, int], str]
"""The confirmation text for an outcome and the stored momentum (the bot's words)."""
ConfirmationBlocks = Callable[[str, int], list[dict[str, Any]]]
"""The confirmation's blocks, given its text and the check-in's id (an edit button)."""


def confirmation_key(checkin_id: int, form: str) -> str:
    """One confirmation a form, however often it is sent ("" gives them all's prefix)."""
    return f"confirm:{checkin_id}:{form}"


def queue_confirmation(session: Session, checkin: Checkin | Stored, outcome: Outcome, *,
                       slack_id: str,
                       view_id: str | None, now: datetime, confirmation: Confirmation,
                       blocks: ConfirmationBlocks | None = None) -> list[int]:
    """Queue the confirmation of a stored or amended check-in in the caller's
    transaction; returns the outbox row to send now (none if queued before)."""
    text = confirmation(outcome, checkin.momentum)
    payload: dict[str, Any] = {"text": text}
    if blocks is not None:
        payload["blocks"] = blocks(text, checkin.id)
    row = outbox.queue_message(session, kind="confirm", recipient=slack_id,
                        dedupe_key=confirmation_key(checkin.id, view_id or now.isoformat()),
                        payload=payload, now=now)
    return [row] if row else []


def submit_checkin(db: SessionFactory, *, person_id: int, slack_id: str, partnership_id: int,
                   data: CheckinInput, now: datetime,
                   confirmation: Confirmation | None = None,
                   confirmation_blocks: ConfirmationBlocks | None = None
                   ) -> tuple[Outcome, list[int]]:
    """Store the check-in and queue its confirmation in one transaction, so it exists
    exactly when the check-in does and is sent once even if the process dies right after
    (a replay finds it still waiting). Returns the outcome and the outbox rows to send."""
    with db.begin() as session:
        checkin, outcome = record_checkin(session, person_id=person_id,
                                          partnership_id=partnership_id, data=data, now=now)
        if outcome is Outcome.DUPLICATE:
            return outcome, outbox.pending_with_prefix(session, confirmation_key(checkin.id, ""))
        if confirmation is None:
            return outcome, []
        open_round = session.connection().execute(
            submission_statements().due, {"round": checkin.round_id}).scalar_one() > now
        return outcome, queue_confirmation(
            session, checkin, outcome, slack_id=slack_id, view_id=data.view_id, now=now,
            confirmation=confirmation, blocks=confirmation_blocks if open_round else None)
