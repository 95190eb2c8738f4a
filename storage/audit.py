"""The audit log of what was done with personal data: who asked, when, how much.

It never holds the data itself: ids of lpbot's own rows and counts. An erasure keeps a
salted fingerprint of the erased Slack id (never the id), so that re-importing a file
that still lists the person can be noticed and asked about.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.db import SessionFactory
from storage.models import AuditEvent

ERASE = "erase"
EXPORT = "export"
EXPORT_FAILED = "export_failed"
RETENTION = "retention"
RECREATE = "recreate"
PROGRAMME = "programme"  # a change to the programme, from the file or from Slack
ACTOR_LENGTH = 64


def fingerprint(slack_id: str) -> str:
    """A salted SHA-256 of a Slack id: it can confirm an id someone already has, and
    cannot be read back into one."""
    salt = secrets.token_hex(8)
    return f"{salt}${hashlib.sha256((salt + slack_id).encode()).hexdigest()}"


def matches(stored: str, slack_id: str) -> bool:
    salt, _, digest = stored.partition("$")
    candidate = hashlib.sha256((salt + slack_id).encode()).hexdigest()
    return hmac.compare_digest(candidate, digest)


def file_actor(path: object) -> str:
    """``file:PATH`` as the actor of an import, its tail kept when the path is long."""
    actor = f"file:{path}"
    return actor if len(actor) <= ACTOR_LENGTH else "file:…" + actor[-(ACTOR_LENGTH - 6):]


def record(session: Session, *, action: str, actor: str, now: datetime,
           subject_id: int | None = None, fingerprint: str | None = None,
           detail: dict[str, Any] | None = None) -> AuditEvent:
    """Add one entry in the caller's transaction, so it exists iff the change does."""
    event = AuditEvent(at=now, action=action, actor=actor[:ACTOR_LENGTH], subject_id=subject_id,
                       fingerprint=fingerprint, detail=detail or {})
    session.add(event)
    session.flush()
    return event


def programme_change(what: str, before: dict[str, Any], after: dict[str, Any], *,
                     actor: str, now: datetime) -> AuditEvent:
    """An entry for one change to the programme (the importer adds them all at once)."""
    return AuditEvent(at=now, action=PROGRAMME, actor=actor[:ACTOR_LENGTH], subject_id=None,
                      fingerprint=None, detail={"what": what, "before": before, "after": after})


def count_since(session: Session, action: str, subject_id: int, since: datetime) -> int:
    return int(session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == action, AuditEvent.subject_id == subject_id,
        AuditEvent.at > since)) or 0)


def erased_tombstones(session: Session) -> list[AuditEvent]:
    """Erasures whose fingerprint still stands (not cleared by a confirmed re-creation)."""
    return list(session.scalars(select(AuditEvent).where(
        AuditEvent.action == ERASE, AuditEvent.fingerprint.is_not(None))))


def erased_among(session: Session, slack_ids: Iterable[str]) -> dict[str, AuditEvent]:
    """Which of ``slack_ids`` were erased, with the erasure that says so."""
    tombstones = erased_tombstones(session)
    found: dict[str, AuditEvent] = {}
    for slack_id in slack_ids:
        for event in tombstones:
            if event.fingerprint and matches(event.fingerprint, slack_id):
                found[slack_id] = event
                break
    return found


@dataclass(frozen=True)
class Entry:
    """One line of the audit log, as the CLI prints it."""

    at: datetime
    action: str
    actor: str
    subject_id: int | None
    detail: dict[str, Any]


def entries(db: SessionFactory, limit: int = 50) -> list[Entry]:
    """The latest entries, newest first."""
    with db() as session:
        return [Entry(e.at, e.action, e.actor, e.subject_id, dict(e.detail))
                for e in session.scalars(select(AuditEvent).order_by(
                    AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit))]


@dataclass(frozen=True)
class Change:
    """One entry of the audit log as people read it: who, when, what, before and after
    (the changed fields only). Entries other than programme changes (erasures, exports,
    retention) have their counts in ``after``."""

    at: datetime
    actor: str
    action: str
    what: str
    before: dict[str, Any]
    after: dict[str, Any]


def _change(event: AuditEvent) -> Change:
    detail = dict(event.detail or {})
    if event.action == PROGRAMME:
        return Change(event.at, event.actor, event.action, str(detail.get("what", "")),
                      dict(detail.get("before") or {}), dict(detail.get("after") or {}))
    subject = f" of person #{event.subject_id}" if event.subject_id is not None else ""
    return Change(event.at, event.actor, event.action, f"{event.action}{subject}", {}, detail)


def changes(db: SessionFactory, since: datetime | None = None, limit: int = 200,
            programme_only: bool = False) -> list[Change]:
    """The latest entries at or after ``since``, newest first: for `lpbot audit` and the
    staff's "recent changes" (``programme_only``)."""
    query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if since is not None:
        query = query.where(AuditEvent.at >= since)
    if programme_only:
        query = query.where(AuditEvent.action == PROGRAMME)
    with db() as session:
        return [_change(e) for e in session.scalars(query.limit(limit))]
