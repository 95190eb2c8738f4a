"""What lpbot holds about one person, for `/lp my data` and `/lp privacy`, and the
per-person limit on exports (kept in the audit log)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import audit
from storage.db import SessionFactory
from storage.models import (
    AuditEvent,
    Checkin,
    CheckinRound,
    Delivery,
    Membership,
    Objective,
    ObjectiveUpdate,
    Partnership,
    Person,
    Programme,
)

EXPORT_WINDOW = timedelta(hours=24)


@dataclass(frozen=True)
class PersonalData:
    """Everything about one person, as plain values ready to be written to a file."""

    exported_at: datetime
    profile: dict[str, Any]
    settings: dict[str, Any]
    memberships: list[dict[str, Any]]
    checkins: list[dict[str, Any]]
    objective_updates: list[dict[str, Any]]
    deliveries: list[dict[str, Any]] = field(default_factory=list)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _checkins(session: Session, person_id: int) -> list[dict[str, Any]]:
    rows = session.execute(
        select(Checkin, Partnership.slug, Partnership.name, CheckinRound.kind,
               CheckinRound.opens_at)
        .join(Partnership, Partnership.id == Checkin.partnership_id)
        .join(CheckinRound, CheckinRound.id == Checkin.round_id)
        .where(Checkin.person_id == person_id).order_by(Checkin.submitted_at, Checkin.id))
    return [{"checkin_id": c.id, "partnership": slug, "partnership_name": name,
             "round_kind": kind, "round_opens_at": _iso(opens),
             "submitted_at": _iso(c.submitted_at), "source": c.source,
             "momentum": c.momentum, "highlights": c.highlights, "blockers": c.blockers,
             "help_wanted": c.help_wanted, "help_text": c.help_text,
             "next_steps": c.next_steps} for c, slug, name, kind, opens in rows]


def _updates(session: Session, person_id: int) -> list[dict[str, Any]]:
    rows = session.execute(
        select(ObjectiveUpdate, Objective.title, Checkin.submitted_at)
        .join(Objective, Objective.id == ObjectiveUpdate.objective_id)
        .join(Checkin, Checkin.id == ObjectiveUpdate.checkin_id)
        .where(Checkin.person_id == person_id)
        .order_by(Checkin.submitted_at, ObjectiveUpdate.id))
    return [{"checkin_id": u.checkin_id, "objective_id": u.objective_id, "objective": title,
             "status": u.status, "note": u.note, "submitted_at": _iso(at)}
            for u, title, at in rows]


def _deliveries(session: Session, person: Person) -> list[dict[str, Any]]:
    """Messages addressed to the person: kinds and times only (a digest holds other
    people's words, so no content is exported)."""
    rows = session.scalars(select(Delivery).where(
        (Delivery.recipient == person.slack_user_id) | (Delivery.person_id == person.id))
        .order_by(Delivery.created_at, Delivery.id))
    return [{"kind": d.kind, "status": d.status, "queued_at": _iso(d.created_at),
             "sent_at": _iso(d.sent_at)} for d in rows]


def load_personal_data(session: Session, slack_id: str, now: datetime) -> PersonalData | None:
    person = session.scalar(select(Person).where(Person.slack_user_id == slack_id,
                                                 Person.erased_at.is_(None)))
    if person is None:
        return None
    memberships = session.execute(
        select(Membership.role, Membership.active, Partnership.slug, Partnership.name)
        .join(Partnership, Partnership.id == Membership.partnership_id)
        .where(Membership.person_id == person.id).order_by(Partnership.name))
    return PersonalData(
        exported_at=now,
        profile={"slack_id": person.slack_user_id, "name": person.name,
                 "institution": person.institution, "time_zone": person.tz or None,
                 "programme_team": person.is_staff, "active": person.active,
                 "left_slack_at": _iso(person.left_slack_at)},
        settings={"paused_until": _iso(person.paused_until),
                  "snoozed_until": _iso(person.snoozed_until),
                  "reminders": person.reminders_enabled},
        memberships=[{"partnership": slug, "partnership_name": name, "role": role,
                      "active": active} for role, active, slug, name in memberships],
        checkins=_checkins(session, person.id),
        objective_updates=_updates(session, person.id),
        deliveries=_deliveries(session, person))


def personal_data(db: SessionFactory, slack_id: str, now: datetime) -> PersonalData | None:
    """Everything lpbot holds about ``slack_id``, active or not; None if it holds nothing."""
    with db() as session:
        return load_personal_data(session, slack_id, now)


def claim_export(db: SessionFactory, slack_id: str, now: datetime) -> int | None:
    """Take this person's export for the window: the audit entry's id, or None when
    they had one within ``EXPORT_WINDOW`` (or lpbot holds nothing about them)."""
    with db.begin() as session:
        query = select(Person).where(Person.slack_user_id == slack_id,
                                     Person.erased_at.is_(None))
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update()  # two requests at once take one slot
        person = session.scalar(query)
        if person is None:
            return None
        if audit.count_since(session, audit.EXPORT, person.id, now - EXPORT_WINDOW):
            return None
        return audit.record(session, action=audit.EXPORT, actor=slack_id, now=now,
                            subject_id=person.id).id


def release_export(db: SessionFactory, entry_id: int) -> None:
    """The file could not be sent: the attempt no longer counts against the limit."""
    with db.begin() as session:
        event = session.get(AuditEvent, entry_id)
        if event is not None:
            event.action = audit.EXPORT_FAILED


@dataclass(frozen=True)
class PrivacyFacts:
    """What `/lp privacy` tells a person, read from the database."""

    known: bool
    role: str
    checkins: int
    retention_days: int | None
    report_back: date | None


def privacy_facts(db: SessionFactory, slack_id: str) -> PrivacyFacts:
    with db() as session:
        programme = session.scalar(select(Programme))
        person = session.scalar(select(Person).where(Person.slack_user_id == slack_id,
                                                     Person.erased_at.is_(None)))
        days = programme.free_text_retention_days if programme else None
        report_back = programme.report_back_date if programme else None
        if person is None:
            return PrivacyFacts(False, "outsider", 0, days, report_back)
        roles = set(session.scalars(select(Membership.role).where(
            Membership.person_id == person.id, Membership.active)))
        role = "staff" if person.is_staff else "lead" if "lead" in roles else \
            "member" if roles else "former member"
        count = len(session.scalars(select(Checkin.id).where(
            Checkin.person_id == person.id)).all())
        return PrivacyFacts(True, role, count, days, report_back)
