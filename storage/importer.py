"""Idempotent upsert of a validated programme into the database: the one write path of
the file (`lpbot import`) and of the Slack editors, each change recorded in the audit log
with who made it and the fields before and after."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import audit
from storage.db import SessionFactory
from storage.erasure import confirm_recreation
from storage.import_report import ImportReport, assign
from storage.models import (
    LullWindow,
    Membership,
    Objective,
    ObjectiveRevision,
    Partnership,
    Person,
    Programme,
)
from storage.programme import LullSpec, PartnershipSpec, PersonSpec, ProgrammeSpec
from storage.programme_types import WEEKDAYS


def import_programme(spec: ProgrammeSpec, *, session: Session, now: datetime,
                     actor: str = "file",
                     recreate_erased: frozenset[str] = frozenset()) -> ImportReport:
    """Make the database match ``spec``; people and partnerships that left are deactivated.
    Every change is logged in the audit log as ``actor``'s ("file:PATH" or a Slack id).
    Listing someone who was erased raises ErasedListed unless ``recreate_erased`` names
    them (the operator confirmed)."""
    report = ImportReport()
    _upsert(spec, session, report, now, recreate_erased)
    session.add_all(audit.programme_change(what, before, after, actor=actor, now=now)
                    for what, before, after in report.changes)
    session.flush()
    return report


def _upsert(spec: ProgrammeSpec, session: Session, report: ImportReport, now: datetime,
            recreate_erased: frozenset[str]) -> None:
    _import_calendar(spec, session, report)
    people = {p.slack_user_id: p for p in session.scalars(select(Person))}
    confirm_recreation(session, spec, people, recreate_erased, now)
    wanted_staff = _import_staff(spec, people, session, report)
    listed_people = _import_partnerships(spec, people, session, report, now)
    _settle_people(people, wanted_staff, wanted_staff | listed_people, report)
    session.flush()


def _import_staff(spec: ProgrammeSpec, people: dict[str, Person], session: Session,
                  report: ImportReport) -> set[str]:
    """Create or update the staff the file lists; the Slack ids of the staff it wants."""
    wanted_staff = {s.slack_id for s in spec.staff}
    was_staff = {slack_id for slack_id, p in people.items() if p.is_staff}
    if was_staff != wanted_staff:
        report.note("staff", {"staff": sorted(was_staff)}, {"staff": sorted(wanted_staff)})
    for staff in spec.staff:
        _person(staff, people, session, report)
    return wanted_staff


def _import_partnerships(spec: ProgrammeSpec, people: dict[str, Person], session: Session,
                         report: ImportReport, now: datetime) -> set[str]:
    """Upsert every partnership the file lists with its objectives and members, and
    deactivate the ones it no longer lists; the Slack ids of every member it lists."""
    partnerships = {p.slug: p for p in session.scalars(select(Partnership))}
    memberships = {
        (m.partnership_id, m.person_id): m for m in session.scalars(select(Membership))
    }
    objectives: dict[int, list[Objective]] = {}
    for objective in session.scalars(select(Objective)):
        objectives.setdefault(objective.partnership_id, []).append(objective)
    members: set[str] = set()
    for pspec in spec.partnerships:
        partnership = _partnership(pspec, partnerships, session, report)
        _objectives(pspec, partnership, objectives.get(partnership.id, []), session, report, now)
        _import_members(pspec, partnership, people, memberships, session, report)
        members.update(member.slack_id for member in pspec.members)
    listed = {p.slug for p in spec.partnerships}
    for slug, partnership in partnerships.items():
        if slug not in listed and partnership.active:
            partnership.active = False
            report.deactivated += 1
            report.note(f"partnership {slug}", {"active": True}, {"active": False})
    return members


def _import_members(pspec: PartnershipSpec, partnership: Partnership,
                    people: dict[str, Person],
                    memberships: dict[tuple[int, int], Membership], session: Session,
                    report: ImportReport) -> None:
    """Make the partnership's memberships the file's: listed members active in their role,
    everyone else deactivated."""
    kept: set[int] = set()
    for member in pspec.members:
        person = _person(member, people, session, report)
        role = "lead" if member.slack_id in pspec.leads else "member"
        membership = memberships.get((partnership.id, person.id))
        what = f"member {member.slack_id} of {pspec.slug}"
        if membership is None:
            membership = Membership(person=person, partnership=partnership, role=role,
                                    active=True)
            session.add(membership)
            session.flush()
            memberships[(partnership.id, person.id)] = membership
            report.created += 1
            report.note(what, {}, {"role": role})
        else:
            assign(membership, report, what, role=role, active=True)
        kept.add(membership.id)
    for (pid, _), membership in memberships.items():
        if pid == partnership.id and membership.id not in kept and membership.active:
            membership.active = False
            report.deactivated += 1
            report.note(f"member {membership.person.slack_user_id} of {pspec.slug}",
                        {"active": True}, {"active": False})


def _settle_people(people: dict[str, Person], wanted_staff: set[str], active_people: set[str],
                   report: ImportReport) -> None:
    """Staff flags as the file says; anyone the file no longer lists is deactivated."""
    for slack_id, person in people.items():
        is_staff = slack_id in wanted_staff
        if person.is_staff != is_staff:
            person.is_staff = is_staff
            report.updated += 1
        if person.active and slack_id not in active_people:
            person.active = False
            report.deactivated += 1
            report.note(f"person {slack_id}", {"active": True}, {"active": False})


def _lull_text(name: str, starts: date, ends: date, every_weeks: int, weekday: int) -> str:
    return f"{name}: {starts} to {ends}, every {every_weeks} week(s) on {WEEKDAYS[weekday]}"


def _import_calendar(spec: ProgrammeSpec, session: Session, report: ImportReport) -> None:
    programme = session.get(Programme, 1)
    p = spec.programme
    values = dict(
        name=p.name, timezone=p.timezone, holiday_region=p.holiday_region,
        start_date=p.start, report_back_date=p.report_back,
        cadence_weeks=p.cadence.every_weeks, cadence_weekday=p.cadence.weekday,
        local_hour=p.cadence.hour, reminder_days=list(p.reminder_days),
        report_back_prompt_days=p.report_back_prompt_days,
        digest_channel=p.digest.channel, digest_weekday=p.digest.weekday,
        digest_hour=p.digest.hour, digest_dm_staff=p.digest.dm_staff,
        stall_days=p.thresholds.stall_days, low_response=p.thresholds.low_response,
        momentum_drop=p.thresholds.momentum_drop,
        themes={theme: list(words) for theme, words in p.themes.items()},
        lull_reminders=p.reminders.in_lulls, back_off_after=p.reminders.back_off_after,
        show_progress=p.reminders.show_progress, working_day_ends=p.cadence.working_day_ends,
        free_text_retention_days=p.retention.free_text_days_after_report_back,
    )
    if programme is None:
        programme = Programme(id=1, **values)
        session.add(programme)
        report.created += 1
        report.note("programme calendar", {}, values)
    else:
        assign(programme, report, "programme calendar", **values)
    _import_lulls(programme, spec.lulls, report)


def _import_lulls(programme: Programme, lulls: tuple[LullSpec, ...],
                  report: ImportReport) -> None:
    """Lull windows matched by name and start: changed, added and removed ones."""
    before = [_lull_text(w.name, w.starts, w.ends, w.cadence_weeks, w.cadence_weekday)
              for w in programme.lulls]
    counts = (report.created, report.updated, report.deactivated)
    existing = {(lull.name, lull.starts): lull for lull in programme.lulls}
    wanted = {(lull.name, lull.starts): lull for lull in lulls}
    for key, lull in existing.items():
        if key not in wanted:
            programme.lulls.remove(lull)
            report.deactivated += 1
    for key, lspec in wanted.items():
        lull_values = dict(name=lspec.name, starts=lspec.starts, ends=lspec.ends,
                           cadence_weeks=lspec.every_weeks, cadence_weekday=lspec.weekday)
        if key in existing:
            changes = len(report.changes)
            assign(existing[key], report, "lull", **lull_values)
            del report.changes[changes:]  # the whole list is noted below
        else:
            programme.lulls.append(LullWindow(**lull_values))
            report.created += 1
    if counts != (report.created, report.updated, report.deactivated):
        after = [_lull_text(w.name, w.starts, w.ends, w.every_weeks, w.weekday) for w in lulls]
        report.note("programme lulls", {"lulls": before}, {"lulls": after})


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
        report.note(f"person {spec.slack_id}", {},
                    {"name": spec.name, "institution": spec.institution})
    else:
        # Someone Slack deactivated stays inactive until Slack says they are back.
        values: dict[str, object] = {"name": spec.name,
                                     "active": person.left_slack_at is None}
        if spec.institution is not None:
            values["institution"] = spec.institution
        assign(person, report, f"person {spec.slack_id}", **values)
    return person


def _partnership(spec: PartnershipSpec, partnerships: dict[str, Partnership],
                 session: Session, report: ImportReport) -> Partnership:
    values: dict[str, object] = dict(name=spec.name, place=spec.place,
                                     challenge=spec.challenge, channel_id=spec.channel,
                                     active=True)
    if spec.sharing is not None:  # left out: the lead's `/lp sharing` choice stands
        values["sharing"] = spec.sharing
    partnership = partnerships.get(spec.slug)
    if partnership is None:
        partnership = Partnership(slug=spec.slug, **values)
        session.add(partnership)
        session.flush()
        partnerships[spec.slug] = partnership
        report.created += 1
        report.note(f"partnership {spec.slug}", {}, values)
    else:
        assign(partnership, report, f"partnership {spec.slug}", **values)
    return partnership


def _objectives(spec: PartnershipSpec, partnership: Partnership, existing: list[Objective],
                session: Session, report: ImportReport, now: datetime) -> None:
    """Match objectives by title: new titles are added, missing ones retired, never deleted."""
    before = [o.title for o in sorted(existing, key=lambda o: o.position) if o.active]
    if before != list(spec.objectives):
        report.note(f"objectives of {spec.slug}", {"objectives": before},
                    {"objectives": list(spec.objectives)})
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
            changes = len(report.changes)
            assign(objective, report, "objective", position=position, active=True,
                    retired_at=None)
            del report.changes[changes:]  # noted above as the list of titles
    for objective in existing:
        if objective.title not in spec.objectives and objective.active:
            objective.active = False
            objective.retired_at = now
            session.add(ObjectiveRevision(objective_id=objective.id, title=objective.title,
                                          action="retire", changed_at=now, changed_by=None))
            report.deactivated += 1


def import_into(db: SessionFactory, spec: ProgrammeSpec, now: datetime,
                recreate_erased: frozenset[str] = frozenset(),
                actor: str = "file") -> ImportReport:
    """Import ``spec`` in one transaction of its own (the CLI's `lpbot import`)."""
    with db.begin() as session:
        return import_programme(spec, session=session, now=now, actor=actor,
                                recreate_erased=recreate_erased)


def import_if_empty(db: SessionFactory, load: Callable[[], ProgrammeSpec],
                    now: datetime, actor: str = "file") -> bool:
    """Import the programme ``load`` reads, only into a database that has none; the file
    is not even read otherwise. Returns whether it imported."""
    with db.begin() as session:
        if session.scalar(select(Programme.id)) is not None:
            return False
        import_programme(load(), session=session, now=now, actor=actor)
        return True
