"""Introductions across partnerships: who to bring together (read fresh from the database,
whatever the button said) and the introduction queued once per group and staff member.

The outbox gives the exactly-once: the introduction's key is the group's and the staff
member's (``intro:<group>:<staff>``), so a double click, a double submission or a Slack
retry finds the key taken and sends nothing more.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from storage.common_ground import (
    MAX_INTRODUCED,
    GroupRef,
    IntroDraft,
    Lead,
    Quote,
    Voice,
    pick_leads,
    quote_as_shared,
)
from storage.db import SessionFactory
from storage.models import Checkin, Delivery, Membership, Partnership, Person
from storage.outbox import queue_message
from storage.sharing import parse_sharing

KIND = "introduction"


def introduction_key(ref: GroupRef, staff_slack_id: str) -> str:
    """The outbox key of one staff member's introduction of one group."""
    return f"{KIND}:{ref.key}:{staff_slack_id}"


def introduction_draft(db: SessionFactory, ref: GroupRef) -> IntroDraft | None:
    """The group as it stands now: active partnerships of the reference, their words (only
    check-ins of those partnerships, as their sharing allows today) and their reachable
    leads. None when fewer than two partnerships have a lead to introduce (three queries)."""
    with db() as session:
        partnerships = {pid: (name, parse_sharing(sharing)) for pid, name, sharing in
                        session.execute(select(Partnership.id, Partnership.name,
                                               Partnership.sharing)
                                        .where(Partnership.id.in_(ref.partnership_ids),
                                               Partnership.active))}
        leads = [Lead(slack_id, name, pid, partnerships[pid][0])
                 for slack_id, name, pid in session.execute(
                     select(Person.slack_user_id, Person.name, Membership.partnership_id)
                     .join(Membership, Membership.person_id == Person.id)
                     .where(Membership.partnership_id.in_(list(partnerships)),
                            Membership.role == "lead", Membership.active, Person.active,
                            Person.erased_at.is_(None), Person.left_slack_at.is_(None))
                     .order_by(Person.name, Person.id))]
        wanted = {checkin_id for checkin_id, _ in ref.quotes}
        rows = session.execute(
            select(Checkin.id, Checkin.partnership_id, Checkin.blockers, Checkin.help_text,
                   Person.name)
            .join(Person, Person.id == Checkin.person_id)
            .where(Checkin.id.in_(wanted), Checkin.partnership_id.in_(list(partnerships)))
        ).all() if wanted else []
    texts = {cid: (pid, blockers or "", help_text or "", author)
             for cid, pid, blockers, help_text, author in rows}
    quotes: dict[int, list[Quote]] = {}
    for checkin_id, field in ref.quotes:
        if checkin_id not in texts:
            continue
        pid, blockers, help_text, author = texts[checkin_id]
        quote = quote_as_shared(checkin_id, field, blockers if field == "b" else help_text,
                                author, partnerships[pid][1])
        if quote is not None:
            quotes.setdefault(pid, []).append(quote)
    voices = tuple(Voice(pid, partnerships[pid][0], tuple(quotes.get(pid, [])))
                   for pid in ref.partnership_ids if pid in partnerships)
    chosen, left_out = pick_leads(voices, leads, MAX_INTRODUCED)
    if len({lead.partnership_id for lead in chosen}) < 2:
        return None
    return IntroDraft(ref, voices, chosen, left_out)


def already_introduced(db: SessionFactory, key: str) -> bool:
    """Whether this introduction was queued before (sent, on its way, or refused)."""
    with db() as session:
        return session.scalar(select(Delivery.id).where(Delivery.dedupe_key == key)) \
            is not None


def queue_introduction(db: SessionFactory, *, key: str, channel: str,
                       payload: dict[str, Any], now: datetime) -> int | None:
    """Queue the introduction for the group DM; None when its key was queued before."""
    with db.begin() as session:
        return queue_message(session, kind=KIND, recipient=channel, dedupe_key=key,
                             payload=payload, now=now)
