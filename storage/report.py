"""The report-back summary's data: a partnership's journey over the whole programme."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.db import SessionFactory
from storage.models import (
    Checkin,
    CheckinRound,
    Objective,
    ObjectiveRevision,
    ObjectiveUpdate,
    Partnership,
    Person,
)


@dataclass(frozen=True)
class ObjectiveJourney:
    title: str
    active: bool
    wordings: list[str]
    statuses: list[tuple[datetime, str]]  # each change of status, oldest first


@dataclass(frozen=True)
class ReportData:
    name: str
    place: str
    challenge: str
    objectives: list[ObjectiveJourney]
    momentum: list[tuple[datetime, float | None]]  # per round, oldest first
    highlights: list[tuple[datetime, str, str]]
    help: list[tuple[datetime, str, str]]
    checkins: int
    people: int


def report_for(db: SessionFactory, slug: str) -> ReportData | None:
    """``report_data`` in a session of its own (`lpbot report`)."""
    with db() as session:
        return report_data(session, slug)


def report_data(session: Session, slug: str) -> ReportData | None:
    """Everything the report-back summary needs, in a fixed number of queries."""
    partnership = session.scalar(select(Partnership).where(Partnership.slug == slug))
    if partnership is None:
        return None
    objectives = session.scalars(select(Objective).where(
        Objective.partnership_id == partnership.id).order_by(Objective.position)).all()
    wordings: dict[int, list[str]] = {}
    for objective_id, title in session.execute(
            select(ObjectiveRevision.objective_id, ObjectiveRevision.title)
            .join(Objective, Objective.id == ObjectiveRevision.objective_id)
            .where(Objective.partnership_id == partnership.id)
            .order_by(ObjectiveRevision.changed_at, ObjectiveRevision.id)):
        if title not in wordings.setdefault(objective_id, []):
            wordings[objective_id].append(title)
    statuses: dict[int, list[tuple[datetime, str]]] = {}
    for objective_id, at, status in session.execute(
            select(ObjectiveUpdate.objective_id, Checkin.submitted_at, ObjectiveUpdate.status)
            .join(Checkin, Checkin.id == ObjectiveUpdate.checkin_id)
            .where(Checkin.partnership_id == partnership.id)
            .order_by(Checkin.submitted_at, ObjectiveUpdate.id)):
        journey = statuses.setdefault(objective_id, [])
        if not journey or journey[-1][1] != status:
            journey.append((at, status))
    momentum = [(opens, None if avg is None else float(avg)) for opens, avg in session.execute(
        select(CheckinRound.opens_at, func.avg(Checkin.momentum))
        .outerjoin(Checkin, Checkin.round_id == CheckinRound.id)
        .where(CheckinRound.partnership_id == partnership.id)
        .group_by(CheckinRound.id, CheckinRound.opens_at).order_by(CheckinRound.opens_at))]
    notes = session.execute(
        select(Checkin.submitted_at, Person.name, Checkin.highlights, Checkin.help_wanted,
               Checkin.help_text)
        .join(Person, Person.id == Checkin.person_id)
        .where(Checkin.partnership_id == partnership.id)
        .order_by(Checkin.submitted_at)).all()
    return ReportData(
        name=partnership.name, place=partnership.place, challenge=partnership.challenge,
        objectives=[ObjectiveJourney(o.title, o.active, wordings.get(o.id, [o.title]),
                                     statuses.get(o.id, [])) for o in objectives],
        momentum=momentum,
        highlights=[(at, who, text) for at, who, text, _, _ in notes if text],
        help=[(at, who, text) for at, who, _, wanted, text in notes if wanted and text],
        checkins=len(notes), people=len({who for _, who, *_ in notes}),
    )
