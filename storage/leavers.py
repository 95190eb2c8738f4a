"""People who leave Slack: Slack says so (a ``user_change`` event, or users.info when the
scheduler refreshes what it knows); they get no more prompts, and their history stays
until retention or erasure removes it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, nulls_first, or_, select, update

from storage.db import SessionFactory
from storage.models import Membership, Person

REFRESH_EVERY = timedelta(days=7)


@dataclass(frozen=True)
class SlackState:
    """What users.info said of one person: their zone ("" for none) and if deactivated."""

    tz: str
    deleted: bool


def people_to_refresh(db: SessionFactory, now: datetime, limit: int) -> list[str]:
    """Active people to ask users.info about: unknown zones first, then anyone not
    asked for a week (a few a cycle, to stay polite)."""
    with db() as session:
        return list(session.scalars(select(Person.slack_user_id).where(
            Person.active, or_(Person.tz.is_(None), Person.slack_checked_at.is_(None),
                               Person.slack_checked_at < now - REFRESH_EVERY))
            .order_by(Person.tz.is_not(None), nulls_first(Person.slack_checked_at), Person.id)
            .limit(limit)))


def record_refresh(db: SessionFactory, states: dict[str, SlackState | None],
                   now: datetime) -> list[str]:
    """Store what Slack said (None: it would not say; "" zone: asked, Slack had none,
    so the programme's zone is used); returns the Slack ids found deactivated."""
    left: list[str] = []
    with db.begin() as session:
        for person in session.scalars(select(Person).where(
                Person.slack_user_id.in_(list(states)))):
            state = states[person.slack_user_id]
            person.slack_checked_at = now
            if state is None:
                person.tz = person.tz if person.tz is not None else ""
                continue
            person.tz = state.tz
            if state.deleted and person.active:
                person.active, person.left_slack_at = False, now
                left.append(person.slack_user_id)
    return left


def mark_left(db: SessionFactory, slack_id: str, now: datetime) -> bool:
    """Slack deactivated this account: stop everything to them. True if it changed."""
    with db.begin() as session:
        result = session.execute(update(Person).where(
            Person.slack_user_id == slack_id, Person.erased_at.is_(None),
            Person.left_slack_at.is_(None)).values(active=False, left_slack_at=now))
        return bool(getattr(result, "rowcount", 0))


def mark_returned(db: SessionFactory, slack_id: str) -> bool:
    """Slack reactivated the account: active again if they still belong somewhere."""
    with db.begin() as session:
        belongs = exists().where(Membership.person_id == Person.id, Membership.active)
        result = session.execute(update(Person).where(
            Person.slack_user_id == slack_id, Person.left_slack_at.is_not(None))
            .values(left_slack_at=None, active=or_(Person.is_staff, belongs)))
        return bool(getattr(result, "rowcount", 0))
