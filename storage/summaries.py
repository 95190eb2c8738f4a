"""Each partnership's momentum at a glance, in a fixed number of SQL statements.

Every function here issues the same number of queries for 1 partnership or 1,000:
aggregates are grouped in SQL and joined back in Python by id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache

from sqlalchemy import Select, Subquery, and_, case, func, select
from sqlalchemy.orm import Session, joinedload

from storage.calendar import NO_PROGRAMME, CalendarDay, Lull, ProgrammeCalendar
from storage.db import SessionFactory
from storage.insight import (
    TREND_ROUNDS,
    RoundFigures,
    Thresholds,
    risk_score,
    single_institution,
    stall_reasons,
)
from storage.models import (
    Checkin,
    CheckinRound,
    Membership,
    Objective,
    Partnership,
    Person,
    Programme,
)
from storage.programme import Cadence

ENGAGEMENT_ROUNDS = 4


@dataclass(frozen=True)
class ObjectiveState:
    objective_id: int
    title: str
    status: str | None
    status_since: datetime | None
    note: str | None


@dataclass
class Summary:
    """One partnership's momentum at a glance."""

    partnership_id: int
    slug: str
    name: str
    place: str
    challenge: str
    channel_id: str | None
    rounds: list[RoundFigures] = field(default_factory=list)
    eligible: int = 0
    paused: int = 0
    last_checkin_at: datetime | None = None
    objectives: list[ObjectiveState] = field(default_factory=list)
    institutions: set[str] = field(default_factory=set)
    answering_institutions: set[str] = field(default_factory=set)
    reasons: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)

    @property
    def current(self) -> RoundFigures | None:
        return self.rounds[-1] if self.rounds else None

    @property
    def momentum_series(self) -> list[float | None]:
        return [r.momentum for r in self.rounds]

    @property
    def at_risk(self) -> list[ObjectiveState]:
        return [o for o in self.objectives if o.status in ("at_risk", "stalled")]

    @property
    def stalling(self) -> bool:
        return bool(self.reasons)

    @property
    def score(self) -> float:
        current = self.current
        return risk_score(self.reasons, current.response_rate if current else None,
                          _last_known(self.momentum_series), len(self.at_risk))


def _last_known(values: list[float | None]) -> float | None:
    return next((v for v in reversed(values) if v is not None), None)


def load_calendar(session: Session) -> ProgrammeCalendar:
    """The one calendar of the programme (one query, lulls loaded with it)."""
    programme = session.scalars(select(Programme).options(joinedload(Programme.lulls))
                                ).unique().first()
    if programme is None:
        return NO_PROGRAMME
    return _shared(ProgrammeCalendar(
        name=programme.name, timezone=programme.timezone,
        holiday_region=programme.holiday_region, start=programme.start_date,
        report_back=programme.report_back_date, every_weeks=programme.cadence_weeks,
        weekday=programme.cadence_weekday, hour=programme.local_hour,
        reminder_days=tuple(programme.reminder_days),
        report_back_prompt_days=programme.report_back_prompt_days,
        digest_weekday=programme.digest_weekday, digest_hour=programme.digest_hour,
        lulls=tuple(Lull(w.name, w.starts, w.ends, w.cadence_weeks, w.cadence_weekday)
                    for w in sorted(programme.lulls, key=lambda w: w.starts)),
        thresholds=Thresholds(programme.stall_days, programme.low_response,
                              programme.momentum_drop),
        themes=tuple((name, tuple(words)) for name, words in (programme.themes or {}).items()),
        digest_channel=programme.digest_channel, digest_dm_staff=programme.digest_dm_staff,
        cadence=Cadence(programme.lull_reminders, programme.back_off_after,
                        programme.show_progress, programme.working_day_ends)))


@lru_cache(maxsize=8)
def _shared(calendar: ProgrammeCalendar) -> ProgrammeCalendar:
    """One instance per distinct calendar, so its rounds and holidays are computed once."""
    return calendar


def _ranked_rounds(now: datetime, ids: list[int] | None) -> Subquery:
    ranked = select(
        CheckinRound.id, CheckinRound.partnership_id, CheckinRound.opens_at,
        CheckinRound.due_at, CheckinRound.kind,
        func.row_number().over(partition_by=CheckinRound.partnership_id,
                               order_by=CheckinRound.opens_at.desc()).label("rn"),
    ).where(CheckinRound.opens_at <= now)
    if ids is not None:
        ranked = ranked.where(CheckinRound.partnership_id.in_(ids))
    return ranked.subquery()


def summaries(session: Session, now: datetime, today: CalendarDay,
              partnership_ids: list[int] | None = None) -> list[Summary]:
    """Summaries of the given (or all active) partnerships, worst first; five queries.

    Stalling is judged with ``today.thresholds``, the lull-aware ones every surface uses.
    """
    query = select(Partnership).where(Partnership.active).order_by(Partnership.name)
    if partnership_ids is not None:
        query = query.where(Partnership.id.in_(partnership_ids))
    found = {p.id: Summary(p.id, p.slug, p.name, p.place, p.challenge, p.channel_id)
             for p in session.scalars(query)}
    if not found:
        return []
    ids = None if partnership_ids is None else list(found)
    ranked = _ranked_rounds(now, ids)
    _add_members(session, found, ids, now)  # before rounds: they need the eligible count
    _add_rounds(session, found, ranked)
    _add_objectives(session, found, ids)
    _add_answering_institutions(session, found, ranked)
    for summary in found.values():
        _judge(summary, now, today.thresholds)
    return sorted(found.values(), key=lambda s: (-s.score, s.name))


def _add_members(session: Session, found: dict[int, Summary], ids: list[int] | None,
                 now: datetime) -> None:
    """Eligible (active, unpaused) and paused members, and their institutions: one query."""
    paused = and_(Person.paused_until.is_not(None), Person.paused_until > now)
    for pid, institution, eligible, paused_count in session.execute(_by_partnership(
            select(Membership.partnership_id, Person.institution,
                   func.sum(case((paused, 0), else_=1)), func.sum(case((paused, 1), else_=0)))
            .join(Person, Person.id == Membership.person_id)
            .where(Membership.active, Person.active)
            .group_by(Membership.partnership_id, Person.institution), ids,
            Membership.partnership_id)):
        summary = found.get(pid)
        if summary is not None:
            summary.eligible += int(eligible or 0)
            summary.paused += int(paused_count or 0)
            if institution:
                summary.institutions.add(institution)


def _add_rounds(session: Session, found: dict[int, Summary], ranked: Subquery) -> None:
    """Each partnership's latest rounds with their answers and momentum: one query."""
    rows = session.execute(
        select(ranked.c.id, ranked.c.partnership_id, ranked.c.opens_at, ranked.c.due_at,
               ranked.c.kind, func.count(Checkin.id), func.avg(Checkin.momentum),
               func.max(Checkin.submitted_at))
        .select_from(ranked)
        .outerjoin(Checkin, and_(Checkin.round_id == ranked.c.id,
                                 Checkin.partnership_id == ranked.c.partnership_id))
        .where(ranked.c.rn <= TREND_ROUNDS)
        .group_by(ranked.c.id, ranked.c.partnership_id, ranked.c.opens_at, ranked.c.due_at,
                  ranked.c.kind)
        .order_by(ranked.c.opens_at))
    for rid, pid, opens, due, kind, answered, momentum, last in rows:
        summary = found.get(pid)
        if summary is None:
            continue
        summary.rounds.append(RoundFigures(rid, opens, due, kind, int(answered),
                                           summary.eligible,
                                           None if momentum is None else float(momentum)))
        if last is not None:
            last = _aware(last)
            if summary.last_checkin_at is None or last > summary.last_checkin_at:
                summary.last_checkin_at = last


def _add_objectives(session: Session, found: dict[int, Summary], ids: list[int] | None
                    ) -> None:
    for objective in session.scalars(_by_partnership(
            select(Objective).where(Objective.active).order_by(Objective.position), ids,
            Objective.partnership_id)):
        found[objective.partnership_id].objectives.append(ObjectiveState(
            objective.id, objective.title, objective.status, objective.status_since,
            objective.status_note))


def _add_answering_institutions(session: Session, found: dict[int, Summary],
                                ranked: Subquery) -> None:
    """Which institutions answered in the last few rounds (connected leadership)."""
    for pid, institution in session.execute(
            select(ranked.c.partnership_id, Person.institution).distinct()
            .select_from(ranked)
            .join(Checkin, and_(Checkin.round_id == ranked.c.id,
                                Checkin.partnership_id == ranked.c.partnership_id))
            .join(Person, Person.id == Checkin.person_id)
            .where(ranked.c.rn <= ENGAGEMENT_ROUNDS)):
        if institution and pid in found:
            found[pid].answering_institutions.add(institution)


def _by_partnership(query: Select, ids: list[int] | None, column: object) -> Select:  # type: ignore[type-arg]
    return query if ids is None else query.where(column.in_(ids))  # type: ignore[attr-defined]


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _judge(summary: Summary, now: datetime, thresholds: Thresholds) -> None:
    summary.reasons = stall_reasons(now=now, rounds=summary.rounds,
                                    last_checkin_at=summary.last_checkin_at,
                                    thresholds=thresholds)
    flags = list(summary.reasons)
    if not summary.objectives:
        flags.append("no active objectives: focus the challenge")
    lone = single_institution(summary.institutions, summary.answering_institutions)
    if lone:
        flags.append(f"only {lone} is answering")
    summary.flags = flags




def programme_calendar(db: SessionFactory) -> ProgrammeCalendar:
    """The calendar, read in a session of its own (for processes starting up)."""
    with db() as session:
        return load_calendar(session)
