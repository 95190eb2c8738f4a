"""Idempotent upsert of a validated programme file into the database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.db import SessionFactory
from storage.erasure import confirm_recreation
from storage.models import (
    LullWindow,
    Membership,
    Objective,
    ObjectiveRevision,
    Partnership,
    Person,
    Programme,
)
from storage.programme import PartnershipSpec, PersonSpec, ProgrammeSpec


@dataclass
class ImportReport:
    """What an import changed; all zero means the database already matched the file."""

    created: int = 0
    updated: int = 0
    deactivated: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deactivated)


def _assign(obj: object, report: ImportReport, **values: object) -> None:
    """Set attributes, counting an update only when a value really differs."""
    changed = False
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed = True
    if changed:
        report.updated += 1


def import_programme(spec: ProgrammeSpec, *, session: Session, now: datetime,
                     recreate_erased: frozenset[str] = frozenset()) -> ImportReport:
    """Make the database match ``spec``; people and partnerships that left are deactivated.
    Listing someone who was erased raises ErasedListed unless ``recreate_erased`` names
    them (the operator confirmed)."""
    report = ImportReport()
    _import_calendar(spec, session, report)
    people = {p.slack_user_id: p for p in session.scalars(select(Person))}
    confirm_recreation(session, spec, people, recreate_erased, now)
    wanted_staff = {s.slack_id for s in spec.staff}
    for staff in spec.staff:
        _person(staff, people, session, report)
    active_people: set[str] = set(wanted_staff)
    partnerships = {p.slug: p for p in session.scalars(select(Partnership))}
    memberships = {
        (m.partnership_id, m.person_id): m for m in session.scalars(select(Membership))
    }
    objectives: dict[int, list[Objective]] = {}
    for objective in session.scalars(select(Objective)):
        objectives.setdefault(objective.partnership_id, []).append(objective)
    for pspec in spec.partnerships:
        partnership = _partnership(pspec, partnerships, session, report)
        _objectives(pspec, partnership, objectives.get(partnership.id, []), session, report, now)
        kept: set[int] = set()
        for member in pspec.members:
            person = _person(member, people, session, report)
            active_people.add(member.slack_id)
            role = "lead" if member.slack_id in pspec.leads else "member"
            membership = memberships.get((partnership.id, person.id))
            if membership is None:
                membership = Membership(person=person, partnership=partnership, role=role,
                                        active=True)
                session.add(membership)
                session.flush()
                memberships[(partnership.id, person.id)] = membership
                report.created += 1
            else:
                _assign(membership, report, role=role, active=True)
            kept.add(membership.id)
        for (pid, _), membership in memberships.items():
            if pid == partnership.id and membership.id not in kept and membership.active:
                membership.active = False
                report.deactivated += 1
    listed = {p.slug for p in spec.partnerships}
    for slug, partnership in partnerships.items():
        if slug not in listed and partnership.active:
            partnership.active = False
            report.deactivated += 1
    for slack_id, person in people.items():
        is_staff = slack_id in wanted_staff
        if person.is_staff != is_staff:
            person.is_staff = is_staff
            report.updated += 1
        if person.active and slack_id not in active_people:
            person.active = False
            report.deactivated += 1
    session.flush()
    return report


def _import_calendar(spec: ProgrammeSpec, session: Session, report: ImportReport) -> None:
    programme = session.get(Programme, 1)
    values = dict(
        name=spec.name, timezone=spec.timezone, holiday_region=spec.holiday_region,
        start_date=spec.start, report_back_date=spec.report_back,
        cadence_weeks=spec.every_weeks, cadence_weekday=spec.weekday, local_hour=spec.hour,
        reminder_days=list(spec.reminder_days),
        report_back_prompt_days=spec.report_back_prompt_days,
        digest_channel=spec.digest_channel, digest_weekday=spec.digest_weekday,
        digest_hour=spec.digest_hour, digest_dm_staff=spec.digest_dm_staff,
        stall_days=spec.stall_days, low_response=spec.low_response,
        momentum_drop=spec.momentum_drop, themes=spec.themes,
        lull_reminders=spec.cadence.lull_reminders, back_off_after=spec.cadence.back_off_after,
        show_progress=spec.cadence.show_progress, working_day_ends=spec.cadence.day_ends,
        free_text_retention_days=spec.retention_days,
    )
    if programme is None:
        programme = Programme(id=1, **values)
        session.add(programme)
        report.created += 1
    else:
        _assign(programme, report, **values)
    existing = {(lull.name, lull.starts): lull for lull in programme.lulls}
    wanted = {(lull.name, lull.starts): lull for lull in spec.lulls}
    for key, lull in existing.items():
        if key not in wanted:
            programme.lulls.remove(lull)
            report.deactivated += 1
    for key, lspec in wanted.items():
        lull_values = dict(name=lspec.name, starts=lspec.starts, ends=lspec.ends,
                           cadence_weeks=lspec.every_weeks, cadence_weekday=lspec.weekday)
        if key in existing:
            _assign(existing[key], report, **lull_values)
        else:
            programme.lulls.append(LullWindow(**lull_values))
            report.created += 1


def _person(spec: PersonSpec, people: dict[str, Person], session: Session,
            report: ImportReport) -> Person:
    person = people.get(spec.slack_id)
    if person is None:
        person = Person(slack_user_id=spec.slack_id, name=spec.name,
                        institution=spec.institution, is_staff=False, active=True,
                        reminders_enabled=True)
        session.add(person)
        session.flush()
        people[spec.slack_id] = person
        report.created += 1
    else:
        # Someone Slack deactivated stays inactive until Slack says they are back.
        values: dict[str, object] = {"name": spec.name,
                                     "active": person.left_slack_at is None}
        if spec.institution is not None:
            values["institution"] = spec.institution
        _assign(person, report, **values)
    return person


def _partnership(spec: PartnershipSpec, partnerships: dict[str, Partnership],
                 session: Session, report: ImportReport) -> Partnership:
    values = dict(name=spec.name, place=spec.place, challenge=spec.challenge,
                  channel_id=spec.channel, active=True)
    partnership = partnerships.get(spec.slug)
    if partnership is None:
        partnership = Partnership(slug=spec.slug, **values)
        session.add(partnership)
        session.flush()
        partnerships[spec.slug] = partnership
        report.created += 1
    else:
        _assign(partnership, report, **values)
    return partnership


def _objectives(spec: PartnershipSpec, partnership: Partnership, existing: list[Objective],
                session: Session, report: ImportReport, now: datetime) -> None:
    """Match objectives by title: new titles are added, missing ones retired, never deleted."""
    by_title = {o.title: o for o in existing}
    for position, title in enumerate(spec.objectives):
        objective = by_title.get(title)
        if objective is None:
            objective = Objective(partnership_id=partnership.id, title=title, position=position,
                                  active=True, created_at=now)
            session.add(objective)
            session.flush()
            session.add(ObjectiveRevision(objective_id=objective.id, title=title, action="add",
                                          changed_at=now, changed_by=None))
            report.created += 1
        else:
            _assign(objective, report, position=position, active=True, retired_at=None)
    for objective in existing:
        if objective.title not in spec.objectives and objective.active:
            objective.active = False
            objective.retired_at = now
            session.add(ObjectiveRevision(objective_id=objective.id, title=objective.title,
                                          action="retire", changed_at=now, changed_by=None))
            report.deactivated += 1


def import_into(db: SessionFactory, spec: ProgrammeSpec, now: datetime,
                recreate_erased: frozenset[str] = frozenset()) -> ImportReport:
    """Import ``spec`` in one transaction of its own (the CLI's `lpbot import`)."""
    with db.begin() as session:
        return import_programme(spec, session=session, now=now,
                                recreate_erased=recreate_erased)


def import_if_empty(db: SessionFactory, load: Callable[[], ProgrammeSpec],
                    now: datetime) -> bool:
    """Import the programme ``load`` reads, only into a database that has none; the file
    is not even read otherwise. Returns whether it imported."""
    with db.begin() as session:
        if session.scalar(select(Programme.id)) is not None:
            return False
        import_programme(load(), session=session, now=now)
        return True
