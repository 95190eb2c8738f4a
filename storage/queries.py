"""Read models for status, App Home and the digest, in a fixed number of SQL statements.

Every function here issues the same number of queries for 1 partnership or 1,000:
aggregates are grouped in SQL and joined back in Python by id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Select, Subquery, and_, case, func, or_, select
from sqlalchemy.orm import Session, joinedload

from storage.insight import (
    TREND_ROUNDS,
    RoundFigures,
    Thresholds,
    days_until,
    lull_on,
    risk_score,
    single_institution,
    stall_reasons,
)
from storage.models import (
    Checkin,
    CheckinRound,
    Delivery,
    Membership,
    Objective,
    Partnership,
    Person,
    Programme,
)

ENGAGEMENT_ROUNDS = 4


@dataclass(frozen=True)
class Calendar:
    programme_name: str
    timezone: str
    today_lull: str | None
    days_to_report_back: int | None
    thresholds: Thresholds
    themes: dict[str, list[str]]


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


def load_calendar(session: Session, now: datetime) -> Calendar:
    """The programme's calendar as seen today (one query, lulls joined)."""
    programme = session.scalars(select(Programme).options(joinedload(Programme.lulls))
                                ).unique().first()
    return calendar_of(programme, now)


def calendar_of(programme: Programme | None, now: datetime) -> Calendar:
    """The calendar of an already-loaded programme (its lulls loaded too)."""
    if programme is None:
        return Calendar("lpbot", "Europe/London", None, None, Thresholds(), {})
    today = now.astimezone(ZoneInfo(programme.timezone)).date()
    lull = lull_on(today, [(w.name, w.starts, w.ends) for w in programme.lulls])
    return Calendar(
        programme_name=programme.name, timezone=programme.timezone, today_lull=lull,
        days_to_report_back=days_until(programme.report_back_date, today),
        thresholds=Thresholds(programme.stall_days, programme.low_response,
                              programme.momentum_drop),
        themes=programme.themes or {},
    )


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


def summaries(session: Session, now: datetime, calendar: Calendar,
              partnership_ids: list[int] | None = None) -> list[Summary]:
    """Summaries of the given (or all active) partnerships, worst first; five queries."""
    query = select(Partnership).where(Partnership.active).order_by(Partnership.name)
    if partnership_ids is not None:
        query = query.where(Partnership.id.in_(partnership_ids))
    found = {p.id: Summary(p.id, p.slug, p.name, p.place, p.challenge, p.channel_id)
             for p in session.scalars(query)}
    ids = None if partnership_ids is None else list(found)
    if not found:
        return []

    ranked = _ranked_rounds(now, ids)
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
        .order_by(ranked.c.opens_at)
    ).all()

    # Eligible (active, unpaused) and paused members, and the institutions they come
    # from, in one grouped query.
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

    for objective in session.scalars(_by_partnership(
            select(Objective).where(Objective.active).order_by(Objective.position), ids,
            Objective.partnership_id)):
        found[objective.partnership_id].objectives.append(ObjectiveState(
            objective.id, objective.title, objective.status, objective.status_since,
            objective.status_note))

    recent = ranked.c.rn <= ENGAGEMENT_ROUNDS
    for pid, institution in session.execute(
            select(ranked.c.partnership_id, Person.institution).distinct()
            .select_from(ranked)
            .join(Checkin, and_(Checkin.round_id == ranked.c.id,
                                Checkin.partnership_id == ranked.c.partnership_id))
            .join(Person, Person.id == Checkin.person_id)
            .where(recent)):
        if institution and pid in found:
            found[pid].answering_institutions.add(institution)

    for summary in found.values():
        _judge(summary, now, calendar.thresholds)
    return sorted(found.values(), key=lambda s: (-s.score, s.name))


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


@dataclass(frozen=True)
class MemberRow:
    person_id: int
    slack_id: str
    name: str
    institution: str | None
    role: str
    paused: bool
    answered: bool


@dataclass(frozen=True)
class Note:
    """A blocker or help request, with who raised it and when."""

    partnership_id: int
    partnership: str
    person: str
    text: str
    submitted_at: datetime


@dataclass
class Detail:
    summary: Summary
    members: list[MemberRow]
    blockers: list[Note]
    help: list[Note]


def partnership_detail(session: Session, now: datetime, calendar: Calendar,
                       partnership_id: int) -> Detail | None:
    """Everything `/lp status` shows for one partnership, in a fixed number of queries."""
    found = summaries(session, now, calendar, [partnership_id])
    if not found:
        return None
    summary = found[0]
    current_round = summary.current.round_id if summary.current else None
    members = [
        MemberRow(person.id, person.slack_user_id, person.name, person.institution, role,
                  bool(person.paused_until and person.paused_until > now),
                  checkin_id is not None)
        for person, role, checkin_id in session.execute(
            select(Person, Membership.role, Checkin.id)
            .join(Membership, Membership.person_id == Person.id)
            .outerjoin(Checkin, and_(Checkin.person_id == Person.id,
                                     Checkin.round_id == current_round))
            .where(Membership.partnership_id == partnership_id, Membership.active,
                   Person.active).order_by(Person.name))
    ]
    round_ids = [r.round_id for r in summary.rounds[-2:]]
    blockers, help_notes = open_notes(session, round_ids)
    return Detail(summary, members, blockers, help_notes)


def open_notes(session: Session, round_ids: list[int]) -> tuple[list[Note], list[Note]]:
    """Blockers and help requests raised in the given rounds (one query)."""
    if not round_ids:
        return [], []
    rows = session.execute(
        select(Checkin.partnership_id, Partnership.name, Person.name, Checkin.blockers,
               Checkin.help_wanted, Checkin.help_text, Checkin.submitted_at)
        .join(Person, Person.id == Checkin.person_id)
        .join(Partnership, Partnership.id == Checkin.partnership_id)
        .where(Checkin.round_id.in_(round_ids),
               or_(Checkin.blockers != "", Checkin.help_wanted))
        .order_by(Checkin.submitted_at.desc())).all()
    blockers = [Note(pid, pname, who, b, at) for pid, pname, who, b, _, _, at in rows if b]
    help_notes = [Note(pid, pname, who, h or "(no detail given)", at)
                  for pid, pname, who, _, wanted, h, at in rows if wanted]
    return blockers, help_notes


def latest_round_ids(summaries_: list[Summary]) -> list[int]:
    return [s.current.round_id for s in summaries_ if s.current is not None]


@dataclass(frozen=True)
class FailedDelivery:
    kind: str
    recipient: str
    error: str | None
    at: datetime


def failed_deliveries(session: Session, since: datetime) -> list[FailedDelivery]:
    """Messages Slack refused for good since ``since``, for the digest to report."""
    return [FailedDelivery(d.kind, d.recipient, d.last_error, d.created_at)
            for d in session.scalars(
                select(Delivery).where(Delivery.status == "failed", Delivery.created_at >= since)
                .order_by(Delivery.created_at).limit(50))]


@dataclass(frozen=True)
class OwnCheckin:
    partnership: str
    submitted_at: datetime
    momentum: int
    highlights: str
    blockers: str
    help_wanted: bool
    help_text: str
    next_steps: str
    source: str


def own_checkins(session: Session, person_id: int, limit: int = 5) -> list[OwnCheckin]:
    """A member's own latest check-ins: the only answers a plain member may see."""
    return [OwnCheckin(name, c.submitted_at, c.momentum, c.highlights, c.blockers,
                       c.help_wanted, c.help_text, c.next_steps, c.source)
            for c, name in session.execute(
                select(Checkin, Partnership.name)
                .join(Partnership, Partnership.id == Checkin.partnership_id)
                .where(Checkin.person_id == person_id)
                .order_by(Checkin.submitted_at.desc()).limit(limit))]


def find_partnership(session: Session, key: str) -> Partnership | None:
    """A partnership by slug, or by name or place ignoring case."""
    lowered = key.strip().lower()
    return session.scalar(select(Partnership).where(Partnership.active, or_(
        Partnership.slug == lowered, func.lower(Partnership.name) == lowered,
        func.lower(Partnership.place) == lowered)).limit(1))
