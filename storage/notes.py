"""Blockers, help requests and refused messages: the notes staff and leads act on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from storage.common_ground import NO_DETAIL
from storage.id_lists import arity, ids_in, ids_params
from storage.models import Checkin, Delivery, Partnership, Person
from storage.sharing import DEFAULT_SHARING, Sharing, parse_sharing


@dataclass(frozen=True)
class Note:
    """A blocker or help request, with who raised it and when; ``sharing`` is what its
    partnership lets others see of it (storage.sharing), ``checkin_id`` where it is kept."""

    partnership_id: int
    partnership: str
    person: str
    text: str
    submitted_at: datetime
    checkin_id: int = 0
    sharing: Sharing = DEFAULT_SHARING


def open_notes(session: Session, round_ids: list[int]) -> tuple[list[Note], list[Note]]:
    """Blockers and help requests raised in the given rounds (one query)."""
    if not round_ids:
        return [], []
    rows = session.connection().execute(_notes_statement(arity(round_ids)),
                                        ids_params("ids", round_ids)).all()
    blockers = [Note(pid, pname, who, b, at, cid, parse_sharing(shared))
                for pid, pname, who, b, _, _, at, cid, shared in rows if b]
    help_notes = [Note(pid, pname, who, h or NO_DETAIL, at, cid, parse_sharing(shared))
                  for pid, pname, who, _, wanted, h, at, cid, shared in rows if wanted]
    return blockers, help_notes


@lru_cache(maxsize=8)
def _notes_statement(shape: int) -> Select:  # type: ignore[type-arg]
    """Built once per shape of the round list; a lead's `/lp status` asks it on every
    call, for the last two rounds."""
    return (select(Checkin.partnership_id, Partnership.name, Person.name, Checkin.blockers,
                   Checkin.help_wanted, Checkin.help_text, Checkin.submitted_at, Checkin.id,
                   Partnership.sharing)
            .join(Person, Person.id == Checkin.person_id)
            .join(Partnership, Partnership.id == Checkin.partnership_id)
            .where(ids_in(Checkin.round_id, "ids", shape),
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


