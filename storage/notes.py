"""Blockers, help requests and refused messages: the notes staff and leads act on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from sqlalchemy import Select, bindparam, or_, select
from sqlalchemy.orm import Session

from storage.models import Checkin, Delivery, Partnership, Person


@dataclass(frozen=True)
class Note:
    """A blocker or help request, with who raised it and when."""

    partnership_id: int
    partnership: str
    person: str
    text: str
    submitted_at: datetime


def open_notes(session: Session, round_ids: list[int]) -> tuple[list[Note], list[Note]]:
    """Blockers and help requests raised in the given rounds (one query)."""
    if not round_ids:
        return [], []
    rows = session.connection().execute(_notes_statement(), {"ids": round_ids}).all()
    blockers = [Note(pid, pname, who, b, at) for pid, pname, who, b, _, _, at in rows if b]
    help_notes = [Note(pid, pname, who, h or "(no detail given)", at)
                  for pid, pname, who, _, wanted, h, at in rows if wanted]
    return blockers, help_notes


@lru_cache(maxsize=1)
def _notes_statement() -> Select:  # type: ignore[type-arg]
    """Built once; a lead's `/lp status` asks it on every call."""
    return (select(Checkin.partnership_id, Partnership.name, Person.name, Checkin.blockers,
                   Checkin.help_wanted, Checkin.help_text, Checkin.submitted_at)
            .join(Person, Person.id == Checkin.person_id)
            .join(Partnership, Partnership.id == Checkin.partnership_id)
            .where(Checkin.round_id.in_(bindparam("ids", expanding=True)),
                   or_(Checkin.blockers != "", Checkin.help_wanted))
            .order_by(Checkin.submitted_at.desc()))


@dataclass(frozen=True)
class FailedDelivery:
    kind: str
    recipient: str
    error: str | None
    at: datetime


def failed_deliveries(session: Session, since: datetime) -> list[FailedDelivery]:
    """Messages Slack refused for good since ``since``, for the digest to report."""
    return [FailedDelivery(d.kind, d.recipient, d.last_error, d.created_at)
            for d in session.scalars(
                select(Delivery).where(Delivery.status == "failed", Delivery.created_at >= since)
                .order_by(Delivery.created_at).limit(50))]


