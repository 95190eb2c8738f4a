"""The report-back pack's data: every partnership's whole programme, read in batches.

Each batch of partnerships costs the same six statements whatever its size, so the pack
for 1,000 partnerships reads in 5 batches of 200 and holds one batch in memory at a time.
Rounds' figures come from their tallies (storage/tallies.py), not from every check-in.
Notes are the latest ``NOTES`` of each kind per partnership (a page, not an archive).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.calendar import ProgrammeCalendar
from storage.calendar_store import load_calendar
from storage.db import SessionFactory
from storage.models import (
    Checkin,
    CheckinRound,
    Membership,
    Objective,
    ObjectiveUpdate,
    Partnership,
    Person,
)
from storage.sharing import Sharing, parse_sharing

BATCH = 200
NOTES = 40


@dataclass(frozen=True)
class PackRound:
    round_id: int
    opens_on: date
    lull: bool
    answered: int
    eligible: int
    momentum: float | None


@dataclass(frozen=True)
class PackNote:
    """A highlight or a blocker someone typed: shown as the partnership's sharing allows."""

    at: datetime
    person: str
    text: str


@dataclass
class PackObjective:
    title: str
    status: str | None
    history: list[tuple[date, str]] = field(default_factory=list)  # each change, oldest first


@dataclass
class PackPartnership:
    partnership_id: int
    slug: str
    name: str
    place: str
    challenge: str
    sharing: Sharing
    eligible: int = 0
    institutions: list[str] = field(default_factory=list)
    rounds: list[PackRound] = field(default_factory=list)
    objectives: list[PackObjective] = field(default_factory=list)
    highlights: list[PackNote] = field(default_factory=list)
    blockers: list[PackNote] = field(default_factory=list)


@dataclass(frozen=True)
class PackProgramme:
    calendar: ProgrammeCalendar
    generated_at: datetime
    days_to_report_back: int
    partnership_ids: list[int]


def pack_programme(db: SessionFactory, now: datetime) -> PackProgramme:
    """The programme's calendar and which partnerships take part (two statements)."""
    with db() as session:
        calendar = load_calendar(session)
        ids = list(session.scalars(select(Partnership.id).where(Partnership.active)
                                   .order_by(Partnership.name)))
    return PackProgramme(calendar, now, (calendar.report_back - calendar.local_day(now)).days,
                         ids)


def pack_partnerships(db: SessionFactory, programme: PackProgramme, now: datetime,
                      batch: int = BATCH) -> Iterator[PackPartnership]:
    """Every partnership in full, a batch at a time, in the programme's order."""
    ids = programme.partnership_ids
    for start in range(0, len(ids), batch):
        chunk = ids[start:start + batch]
        with db() as session:
            found = _load(session, chunk, programme.calendar, now)
        yield from (found[i] for i in chunk if i in found)


def _load(session: Session, ids: list[int], calendar: ProgrammeCalendar, now: datetime
          ) -> dict[int, PackPartnership]:
    found = {p.id: PackPartnership(p.id, p.slug, p.name, p.place, p.challenge,
                                   parse_sharing(p.sharing))
             for p in session.scalars(select(Partnership).where(Partnership.id.in_(ids)))}
    institutions: dict[int, set[str]] = defaultdict(set)
    for pid, institution, count in session.execute(
            select(Membership.partnership_id, Person.institution, func.count())
            .join(Person, Person.id == Membership.person_id)
            .where(Membership.partnership_id.in_(ids), Membership.active, Person.active)
            .group_by(Membership.partnership_id, Person.institution)):
        found[pid].eligible += int(count)
        if institution:
            institutions[pid].add(institution)
    for pid, names in institutions.items():
        found[pid].institutions = sorted(names)
    days = _add_rounds(session, found, ids, calendar, now)
    _add_objectives(session, found, ids, days)
    _add_notes(session, found, ids)
    return found


def _add_rounds(session: Session, found: dict[int, PackPartnership], ids: list[int],
                calendar: ProgrammeCalendar, now: datetime) -> dict[int, date]:
    """Each round's figures from its tally (kept as check-ins arrive, storage/tallies.py),
    not from its check-ins; returns each round's day."""
    days: dict[int, date] = {}
    dates: dict[datetime, tuple[date, bool]] = {}  # partnerships share their rounds' times
    for rid, pid, opens, kind, answered, total in session.execute(
            select(CheckinRound.id, CheckinRound.partnership_id, CheckinRound.opens_at,
                   CheckinRound.kind, CheckinRound.answered, CheckinRound.momentum_total)
            .where(CheckinRound.partnership_id.in_(ids), CheckinRound.opens_at <= now)
            .order_by(CheckinRound.opens_at)):
        if opens not in dates:
            day = calendar.local_day(opens)
            dates[opens] = day, calendar.lull_on(day) is not None
        day, lull = dates[opens]
        days[rid] = day
        found[pid].rounds.append(PackRound(rid, day, kind == "lull" or lull, answered,
                                           found[pid].eligible,
                                           total / answered if answered else None))
    return days


def _add_objectives(session: Session, found: dict[int, PackPartnership], ids: list[int],
                    days: dict[int, date]) -> None:
    """Each objective's status per round (the last said in it), kept where it changed."""
    by_id: dict[int, PackObjective] = {}
    for row in session.scalars(select(Objective).where(
            Objective.partnership_id.in_(ids), Objective.active).order_by(Objective.position)):
        by_id[row.id] = PackObjective(row.title, row.status)
        found[row.partnership_id].objectives.append(by_id[row.id])
    last = (select(func.max(ObjectiveUpdate.id).label("id"))
            .join(Checkin, Checkin.id == ObjectiveUpdate.checkin_id)
            .where(Checkin.partnership_id.in_(ids))
            .group_by(ObjectiveUpdate.objective_id, Checkin.round_id).subquery())
    said: dict[int, list[tuple[date, str]]] = defaultdict(list)
    for objective_id, round_id, status in session.execute(
            select(ObjectiveUpdate.objective_id, Checkin.round_id, ObjectiveUpdate.status)
            .join(last, last.c.id == ObjectiveUpdate.id)
            .join(Checkin, Checkin.id == ObjectiveUpdate.checkin_id)):
        if objective_id in by_id and round_id in days:  # rounds are days apart: no ties
            said[objective_id].append((days[round_id], status))
    for objective_id, history in said.items():
        history.sort()
        kept = by_id[objective_id].history
        for day, status in history:
            if not kept or kept[-1][1] != status:
                kept.append((day, status))


def _add_notes(session: Session, found: dict[int, PackPartnership], ids: list[int]) -> None:
    """The latest highlights and blockers of each partnership, with who wrote them."""
    ranked = select(  # ranked by id alone; the text and the name joined to the kept few
        Checkin.id,
        func.row_number().over(partition_by=Checkin.partnership_id,
                               order_by=Checkin.submitted_at.desc()).label("rn"),
    ).where(
        Checkin.partnership_id.in_(ids),
        (func.length(Checkin.highlights) > 0) | (func.length(Checkin.blockers) > 0),
    ).subquery()
    for pid, at, person, highlights, blockers in session.execute(
            select(Checkin.partnership_id, Checkin.submitted_at, Person.name,
                   Checkin.highlights, Checkin.blockers)
            .join(ranked, ranked.c.id == Checkin.id)
            .join(Person, Person.id == Checkin.person_id)
            .where(ranked.c.rn <= NOTES * 2).order_by(Checkin.submitted_at)):
        partnership = found[pid]
        if highlights:
            partnership.highlights.append(PackNote(at, person, highlights))
        if blockers:
            partnership.blockers.append(PackNote(at, person, blockers))
    for partnership in found.values():
        partnership.highlights = partnership.highlights[-NOTES:]
        partnership.blockers = partnership.blockers[-NOTES:]
