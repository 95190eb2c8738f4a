"""Erasure: a person's name, Slack id and free text go; their numbers stay, unattributed.

The person's row stays as an anonymous placeholder, so their momentum scores and
objective statuses keep counting and the programme's figures do not move; every free
text they wrote becomes ``REMOVED``; messages queued to them are dropped, and copies of
their words in other messages' payloads are removed. One transaction, or nothing.
Retention (storage.retention) removes free text through ``scrub_free_text`` too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, bindparam, case, func, or_, select, update
from sqlalchemy.orm import Session

from storage import audit
from storage.db import SessionFactory
from storage.models import (
    AuditEvent,
    Checkin,
    Delivery,
    Objective,
    ObjectiveRevision,
    ObjectiveUpdate,
    Person,
)
from storage.programme import ProgrammeSpec

REMOVED = "[removed]"
ERASED_NAME = "(erased)"
TEXT_COLUMNS = ("highlights", "blockers", "help_text", "next_steps")
UNSENT = ("pending", "in_flight")


class UnknownPerson(LookupError):
    """Nobody with that Slack id is, or ever was, in lpbot."""


class AlreadyErased(LookupError):
    """That Slack id was erased before."""


@dataclass(frozen=True)
class Erased:
    """What an erasure changed: counts only."""

    person_id: int
    checkins: int
    texts: int
    deliveries_dropped: int
    payloads_cleared: int


def _has_text(column: Any) -> ColumnElement[bool]:
    return and_(column != "", column != REMOVED)


def _blanked(column: Any) -> Any:
    return case((_has_text(column), REMOVED), else_=column)


def count_free_text(session: Session, which: ColumnElement[bool]) -> tuple[int, int]:
    """(check-ins with free text, free texts) among the check-ins ``which`` selects."""
    columns = [getattr(Checkin, name) for name in TEXT_COLUMNS]
    row = session.execute(select(
        func.count(Checkin.id), *[func.sum(case((_has_text(c), 1), else_=0)) for c in columns])
        .where(which, or_(*[_has_text(c) for c in columns]))).one()
    notes = session.scalar(select(func.count(ObjectiveUpdate.id))
                           .join(Checkin, Checkin.id == ObjectiveUpdate.checkin_id)
                           .where(which, _has_text(ObjectiveUpdate.note))) or 0
    return int(row[0]), sum(int(v or 0) for v in row[1:]) + int(notes)


def scrub_free_text(session: Session, which: ColumnElement[bool]) -> int:
    """Replace every free text of the check-ins ``which`` selects (answers, objective
    notes, and an objective's latest note when it is one of them); returns how many."""
    _, texts = count_free_text(session, which)
    notes = session.execute(select(ObjectiveUpdate.objective_id, ObjectiveUpdate.note)
                            .join(Checkin, Checkin.id == ObjectiveUpdate.checkin_id)
                            .where(which, _has_text(ObjectiveUpdate.note))).all()
    session.execute(update(Checkin).where(which).values(
        {name: _blanked(getattr(Checkin, name)) for name in TEXT_COLUMNS}))
    checkin_ids = select(Checkin.id).where(which).scalar_subquery()
    session.execute(update(ObjectiveUpdate).where(ObjectiveUpdate.checkin_id.in_(checkin_ids))
                    .values(note=_blanked(ObjectiveUpdate.note)))
    for objective_id, note in set(notes):
        session.execute(update(Objective).where(Objective.id == objective_id,
                                                Objective.status_note == note)
                        .values(status_note=REMOVED))
    return texts


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _needles(values: Iterable[str]) -> set[str]:
    """What to look for in message payloads: each value as typed and as Slack-escaped,
    and a long text's opening (payloads clip long answers)."""
    found: set[str] = set()
    for value in values:
        value = value.strip()
        if len(value) < 3:
            continue
        for form in (value, _escaped(value)):
            found.add(form[:40])
    return found


def _mentions(payload: Any, needles: set[str]) -> bool:
    if isinstance(payload, str):
        return any(n in payload for n in needles)
    if isinstance(payload, dict):
        return any(_mentions(v, needles) for v in payload.values())
    if isinstance(payload, list):
        return any(_mentions(v, needles) for v in payload)
    return False


def _replaced(value: Any, needles: set[str], placeholder: str) -> Any:
    """``value`` with every needle replaced by ``placeholder``, at any depth."""
    if isinstance(value, str):
        for needle in sorted(needles, key=len, reverse=True):
            value = value.replace(needle, placeholder)
        return value
    if isinstance(value, dict):
        return {k: _replaced(v, needles, placeholder) for k, v in value.items()}
    if isinstance(value, list):
        return [_replaced(v, needles, placeholder) for v in value]
    return value


def clear_payloads(session: Session, rows: Iterable[Delivery], reason: str) -> tuple[int, int]:
    """Replace the payloads of ``rows``; unsent ones are dropped. (dropped, cleared)."""
    dropped = cleared = 0
    for row in rows:
        if row.status in UNSENT:
            row.status, row.last_error = "dropped", reason
            dropped += 1
        row.payload = {"text": REMOVED}
        cleared += 1
    session.flush()
    return dropped, cleared


def _person_texts(session: Session, person_id: int) -> list[str]:
    answers = session.execute(select(*[getattr(Checkin, c) for c in TEXT_COLUMNS])
                              .where(Checkin.person_id == person_id)).all()
    notes = session.scalars(select(ObjectiveUpdate.note)
                            .join(Checkin, Checkin.id == ObjectiveUpdate.checkin_id)
                            .where(Checkin.person_id == person_id)).all()
    return [t for row in answers for t in row if t and t != REMOVED] + \
        [n for n in notes if n and n != REMOVED]


def _lock_person(session: Session, slack_id: str) -> Person | None:
    query = select(Person).where(Person.slack_user_id == slack_id)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    return session.scalar(query)


def person_present(session: Session, person_id: int) -> bool:
    """Lock the person's row for this transaction and say whether they are still there
    (not erased): a check-in stored beside an erasure waits for it, then is refused."""
    found = session.connection().execute(
        _present_statement(session.get_bind().dialect.name == "postgresql"),
        {"person": person_id}).first()
    return found is not None and found[0] is None


@lru_cache(maxsize=2)
def _present_statement(lock: bool) -> Select:  # type: ignore[type-arg]
    """Built once: every check-in asks it, inside the member's ack."""
    query = select(Person.erased_at).where(Person.id == bindparam("person"))
    return query.with_for_update() if lock else query


def erase(session: Session, slack_id: str, *, actor: str, now: datetime) -> Erased:
    """Erase one person in the caller's transaction (see the module's docstring)."""
    person = _lock_person(session, slack_id)
    if person is None or person.erased_at is not None:
        if audit.erased_among(session, [slack_id]):
            raise AlreadyErased(slack_id)
        raise UnknownPerson(slack_id)
    placeholder = f"erased-{person.id}"
    needles = _needles([person.name, slack_id, *_person_texts(session, person.id)])
    checkins, texts = count_free_text(session, Checkin.person_id == person.id)
    scrub_free_text(session, Checkin.person_id == person.id)
    own = list(session.scalars(select(Delivery).where(or_(
        Delivery.recipient == slack_id, Delivery.person_id == person.id))))
    dropped, cleared = clear_payloads(session, own, "erased")
    session.execute(update(Delivery).where(Delivery.id.in_([d.id for d in own]))
                    .values(recipient=placeholder, channel=None))
    others = [d for d in session.scalars(select(Delivery).where(
        Delivery.id.not_in([d.id for d in own])).execution_options(yield_per=500))
        if _mentions(d.payload, needles)]
    more_dropped, more_cleared = clear_payloads(session, others, "erased")
    session.execute(update(ObjectiveRevision).where(ObjectiveRevision.changed_by == slack_id)
                    .values(changed_by=placeholder))
    session.execute(update(AuditEvent).where(AuditEvent.actor == slack_id)
                    .values(actor=placeholder))
    for event in session.scalars(select(AuditEvent).where(
            AuditEvent.action == audit.PROGRAMME)):
        if _mentions(event.detail, needles):  # programme changes name people
            event.detail = _replaced(event.detail, needles, placeholder)
    person.slack_user_id, person.name, person.tz = placeholder, ERASED_NAME, None
    person.active, person.is_staff, person.reminders_enabled = False, False, False
    person.snoozed_until = person.left_slack_at = None  # a pause stays: it is a figure
    person.erased_at = now
    result = Erased(person.id, checkins, texts, dropped + more_dropped, cleared + more_cleared)
    audit.record(session, action=audit.ERASE, actor=actor, now=now, subject_id=person.id,
                 fingerprint=audit.fingerprint(slack_id),
                 detail={"checkins": checkins, "texts": texts,
                         "deliveries_dropped": result.deliveries_dropped,
                         "payloads_cleared": result.payloads_cleared})
    return result


def erase_person(db: SessionFactory, slack_id: str, *, actor: str, now: datetime) -> Erased:
    """Erase one person in a transaction of its own (the CLI and the staff dialog)."""
    with db.begin() as session:
        return erase(session, slack_id, actor=actor, now=now)


@dataclass(frozen=True)
class ErasureTarget:
    """Who a staff member is about to erase, for the confirmation dialog."""

    slack_id: str
    name: str
    partnerships: list[str]
    checkins: int


def erasure_target(db: SessionFactory, slack_id: str) -> ErasureTarget | None:
    """The person behind ``slack_id`` (active or not), or None if lpbot has nobody."""
    with db() as session:
        person = session.scalar(select(Person).where(Person.slack_user_id == slack_id,
                                                     Person.erased_at.is_(None)))
        if person is None:
            return None
        count = session.scalar(select(func.count(Checkin.id))
                               .where(Checkin.person_id == person.id)) or 0
        return ErasureTarget(slack_id, person.name,
                             sorted(m.partnership.name for m in person.memberships),
                             int(count))


class ErasedListed(Exception):
    """The programme file lists people who were erased: nothing was imported."""

    def __init__(self, listed: list[tuple[str, str, datetime]]) -> None:
        super().__init__(f"{len(listed)} erased people listed")
        self.listed = listed  # (Slack id, name in the file, when erased)


def confirm_recreation(session: Session, spec: ProgrammeSpec, people: dict[str, Person],
                       recreate: frozenset[str], now: datetime) -> None:
    """Refuse to re-create erased people silently: raise ErasedListed for those the
    operator has not confirmed; the confirmed ones are let in, and asked about no more."""
    listed = {p.slack_id: p.name for p in spec.staff}
    listed.update((m.slack_id, m.name) for p in spec.partnerships for m in p.members)
    erased = audit.erased_among(session, [s for s in listed if s not in people])
    refused = sorted(s for s in erased if s not in recreate)
    if refused:
        raise ErasedListed([(s, listed[s], erased[s].at) for s in refused])
    for event in erased.values():
        event.fingerprint = None
        audit.record(session, action=audit.RECREATE, actor="import", now=now,
                     subject_id=event.subject_id)


def was_erased(db: SessionFactory, slack_id: str) -> bool:
    with db() as session:
        return bool(audit.erased_among(session, [slack_id]))
