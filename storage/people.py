"""A person's own preferences: pause, snooze, reminders, time zone."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from storage.models import Person

MAX_PAUSE = timedelta(weeks=26)
SNOOZE = timedelta(days=2)


def pause(session: Session, person_id: int, length: timedelta, now: datetime) -> datetime:
    """Stop prompts for ``length`` (leave, illness); returns when they start again."""
    if not timedelta(days=1) <= length <= MAX_PAUSE:
        raise ValueError("a pause is from 1 day to 26 weeks")
    person = session.get_one(Person, person_id)
    person.paused_until = now + length
    return person.paused_until


def resume(session: Session, person_id: int, now: datetime) -> bool:
    """Restart prompts; False when they were not paused."""
    person = session.get_one(Person, person_id)
    was_paused = person.paused_until is not None and person.paused_until > now
    person.paused_until = None
    return was_paused


def snooze(session: Session, person_id: int, now: datetime) -> datetime:
    """No reminders for two days (idempotent: a double click does not extend it)."""
    person = session.get_one(Person, person_id)
    if person.snoozed_until is None or person.snoozed_until <= now:
        person.snoozed_until = now + SNOOZE
    return person.snoozed_until


def set_reminders(session: Session, person_id: int, enabled: bool) -> None:
    session.get_one(Person, person_id).reminders_enabled = enabled


def set_timezone(session: Session, slack_id: str, tz: str) -> None:
    """Record the time zone Slack reports for a person, so prompts come at their 10:00."""
    person = session.query(Person).filter_by(slack_user_id=slack_id).one_or_none()
    if person is not None and person.tz != tz:
        person.tz = tz
