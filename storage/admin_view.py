"""What staff's Programme view and the editors show, read in a fixed number of statements.

The editors write through the programme model (``storage.programme_edits``); this module
only reads, in the shapes the rest of lpbot uses (the calendar every surface judges with;
a partnership and a person as the model): the calendar, every partnership with its leads
and member count, the staff, the institutions already known (for the member institution
pickers), and the people a modal names, so an editor asks Slack only about people lpbot
does not know yet.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from storage.audit import changes
from storage.calendar import NO_PROGRAMME, ProgrammeCalendar
from storage.calendar_store import load_calendar
from storage.db import SessionFactory
from storage.models import Membership, Objective, Partnership, Person, Programme
from storage.programme import PartnershipSpec, PersonSpec


@dataclass(frozen=True)
class PartnershipRow:
    partnership_id: int
    slug: str
    name: str
    place: str
    active: bool
    members: int
    leads: tuple[str, ...]  # names


@dataclass(frozen=True)
class StaffRow:
    slack_id: str
    name: str


@dataclass(frozen=True)
class AdminView:
    """Staff's Programme view: nothing but ``programme is None`` on an empty database."""

    programme: ProgrammeCalendar | None  # the calendar editor and its lull windows
    partnerships: list[PartnershipRow] = field(default_factory=list)
    staff: list[StaffRow] = field(default_factory=list)


@dataclass(frozen=True)
class PartnershipDraft:
    """One partnership as its editor opens it: the model, with the objectives and people
    in force, and what only the view knows."""

    partnership_id: int
    spec: PartnershipSpec
    active: bool = True


def programme_exists(db: SessionFactory) -> bool:
    with db() as session:
        return session.scalar(select(Programme.id).limit(1)) is not None


def admin_view(db: SessionFactory) -> AdminView:
    """The programme, its partnerships (active first) and staff, in five statements."""
    with db() as session:
        programme = load_calendar(session)
        if programme is NO_PROGRAMME:
            return AdminView(None)
        counts = dict(session.execute(
            select(Membership.partnership_id, func.count(Membership.id))
            .join(Person, Person.id == Membership.person_id)
            .where(Membership.active, Person.active)
            .group_by(Membership.partnership_id)).all())
        leads: dict[int, list[str]] = {}
        for partnership_id, name in session.execute(
                select(Membership.partnership_id, Person.name)
                .join(Person, Person.id == Membership.person_id)
                .where(Membership.active, Person.active, Membership.role == "lead")
                .order_by(Person.name)):
            leads.setdefault(partnership_id, []).append(name)
        partnerships = [
            PartnershipRow(p.id, p.slug, p.name, p.place, p.active, counts.get(p.id, 0),
                           tuple(leads.get(p.id, ())))
            for p in session.scalars(select(Partnership).order_by(
                Partnership.active.desc(), Partnership.name))]
        staff = [StaffRow(slack_id, name) for slack_id, name in session.execute(
            select(Person.slack_user_id, Person.name)
            .where(Person.is_staff, Person.active).order_by(Person.name))]
        return AdminView(programme, partnerships, staff)


def partnership_draft(db: SessionFactory, partnership_id: int) -> PartnershipDraft | None:
    """A partnership as its editor shows it: active objectives, active members."""
    with db() as session:
        partnership = session.get(Partnership, partnership_id)
        if partnership is None:
            return None
        objectives = tuple(session.scalars(
            select(Objective.title).where(Objective.partnership_id == partnership_id,
                                          Objective.active).order_by(Objective.position)))
        wanted = [Membership.partnership_id == partnership_id, Person.erased_at.is_(None)]
        if partnership.active:  # taken out: the people it had, to bring it back with them
            wanted += [Membership.active.is_(True), Person.active.is_(True)]
        rows = session.execute(
            select(Person.slack_user_id, Person.name, Person.institution, Membership.role)
            .join(Membership, Membership.person_id == Person.id)
            .where(*wanted).order_by(Person.name)).all()
        return PartnershipDraft(partnership.id, PartnershipSpec.model_construct(
            slug=partnership.slug, name=partnership.name, place=partnership.place,
            challenge=partnership.challenge, channel=partnership.channel_id,
            objectives=objectives, members=tuple(_person(s, n, i) for s, n, i, _ in rows),
            leads=tuple(s for s, _, _, role in rows if role == "lead")), partnership.active)


def _person(slack_id: str, name: str, institution: str | None) -> PersonSpec:
    """Someone as stored (already checked when they were saved)."""
    return PersonSpec.model_construct(slack_id=slack_id, name=name, institution=institution)


def known_institutions(db: SessionFactory) -> list[str]:
    """Every institution someone in the programme belongs to, for the pickers."""
    with db() as session:
        return sorted(i for i in session.scalars(
            select(Person.institution).where(Person.institution.is_not(None)).distinct())
            if i)


def known_people(db: SessionFactory, slack_ids: Iterable[str]) -> dict[str, PersonSpec]:
    """The people lpbot already knows among ``slack_ids`` (name and institution)."""
    wanted = list(dict.fromkeys(slack_ids))
    if not wanted:
        return {}
    with db() as session:
        return {s: _person(s, n, i) for s, n, i in session.execute(
            select(Person.slack_user_id, Person.name, Person.institution)
            .where(Person.slack_user_id.in_(wanted)))}


@dataclass(frozen=True)
class ChangeLine:
    """One recent change, as staff read it in the Programme view."""

    at: datetime
    actor: str
    what: str
    fields: tuple[str, ...] = ()  # which of its fields changed


def recent_changes(db: SessionFactory, limit: int = 8) -> list[ChangeLine]:
    """The latest changes to the programme (from Slack or a file), newest first."""
    return [ChangeLine(c.at, c.actor, c.what, tuple(sorted({*c.before, *c.after})))
            for c in changes(db, limit=limit, programme_only=True)]
