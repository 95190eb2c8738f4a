"""A person's own preferences and what Slack tells us of them: pause, snooze, reminders,
time zone. Each function is one transaction, opened here, so listeners hold no session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from sqlalchemy import BindParameter, Select, bindparam, select, update
from sqlalchemy.orm import Session

from storage.cadence import quiet_members
from storage.db import SessionFactory
from storage.models import Membership, Person

MAX_PAUSE = timedelta(weeks=26)
SNOOZE = timedelta(days=2)


def pause(db: SessionFactory, person_id: int, length: timedelta, now: datetime) -> datetime:
    """Stop prompts for ``length`` (leave, illness); returns when they start again."""
    if not timedelta(days=1) <= length <= MAX_PAUSE:
        raise ValueError("a pause is from 1 day to 26 weeks")
    with db.begin() as session:
        person = session.get_one(Person, person_id)
        person.paused_until = now + length
        return person.paused_until


def resume(db: SessionFactory, person_id: int, now: datetime) -> bool:
    """Restart prompts; False when they were not paused."""
    with db.begin() as session:
        person = session.get_one(Person, person_id)
        was_paused = person.paused_until is not None and person.paused_until > now
        person.paused_until = None
        return was_paused


def snooze(db: SessionFactory, person_id: int, now: datetime) -> datetime:
    """No reminders for two days (idempotent: a double click does not extend it)."""
    with db.begin() as session:
        person = session.get_one(Person, person_id)
        if person.snoozed_until is None or person.snoozed_until <= now:
            person.snoozed_until = now + SNOOZE
        return person.snoozed_until


def set_reminders(db: SessionFactory, person_id: int, enabled: bool) -> None:
    with db.begin() as session:
        session.get_one(Person, person_id).reminders_enabled = enabled


def set_timezone(db: SessionFactory, slack_id: str, tz: str) -> None:
    """Record the time zone Slack reports for a person, so prompts come at their 10:00."""
    with db.begin() as session:
        session.execute(update(Person).where(Person.slack_user_id == slack_id,
                                             Person.tz.is_distinct_from(tz)).values(tz=tz))


def people_without_zone(db: SessionFactory, limit: int) -> list[str]:
    """Slack ids of active people whose time zone we have not asked Slack for yet."""
    with db() as session:
        return list(session.scalars(select(Person.slack_user_id).where(
            Person.active, Person.tz.is_(None)).order_by(Person.id).limit(limit)))


def record_zones(db: SessionFactory, zones: dict[str, str]) -> None:
    """Store what Slack said; "" marks "asked, Slack had none" (the programme zone is
    used, and we do not ask again every minute)."""
    with db.begin() as session:
        for person in session.scalars(select(Person).where(
                Person.slack_user_id.in_(list(zones)))):
            person.tz = zones[person.slack_user_id] or ""


@dataclass(frozen=True)
class OwnCadence:
    """What App Home shows a member of their own cadence, and lets them change."""

    reminders_enabled: bool
    paused_until: datetime | None  # None when not paused now
    resting: bool  # let ``cadence.back_off_after`` rounds pass: reminders resting


def own_cadence(session: Session, person_id: int, now: datetime, back_off_after: int
                ) -> OwnCadence:
    """A member's reminders switch, pause and back-off, in the caller's session."""
    person_statement, seats_statement = _cadence_statements()
    conn = session.connection()
    reminders_enabled, paused_until = conn.execute(person_statement,
                                                   {"person": person_id}).one()
    seats = list(conn.execute(seats_statement, {"person": person_id}).scalars())
    quiet = quiet_members(session, seats, now, back_off_after)
    paused = paused_until if paused_until and paused_until > now else None
    return OwnCadence(bool(reminders_enabled), paused,
                      any(who == person_id for _, who in quiet))


@lru_cache(maxsize=1)
def _cadence_statements() -> tuple[Select, Select]:  # type: ignore[type-arg]
    """Built once: the Home asks them after every check-in."""
    person: BindParameter[int] = bindparam("person")
    return (select(Person.reminders_enabled, Person.paused_until).where(Person.id == person),
            select(Membership.partnership_id).where(Membership.person_id == person,
                                                    Membership.active))


def pause_until_day(db: SessionFactory, person_id: int, day: date, now: datetime,
                    fallback_zone: str) -> datetime:
    """Stop prompts until the start of ``day`` in the person's own zone; raises
    ValueError for a day that is not from tomorrow to 26 weeks ahead."""
    with db.begin() as session:
        person = session.get_one(Person, person_id)
        zone = ZoneInfo(person.tz or fallback_zone)
        today = now.astimezone(zone).date()
        if not today < day <= today + MAX_PAUSE:
            raise ValueError("a pause ends from tomorrow to 26 weeks ahead")
        person.paused_until = datetime.combine(day, time(), tzinfo=zone).astimezone(UTC)
        return person.paused_until
