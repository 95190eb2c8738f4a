"""Figures over time for the charts: a partnership's last rounds, a member's own momentum
next to their partnership's, and the programme week by week. Each in one query, whatever
the number of partnerships."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from storage.calendar import ProgrammeCalendar
from storage.insight import OBJECTIVE_STATUSES, RoundFigures
from storage.models import Checkin, CheckinRound
from storage.summaries import Summary, latest_rounds

HISTORY_ROUNDS = 20  # Slack draws at most 20 categories
WEEKS = 20


@dataclass(frozen=True)
class RoundPoint:
    """One round on a chart: when it opened, whether it was a lull round, its figures."""

    opens_on: date
    lull: bool
    figures: RoundFigures


@dataclass(frozen=True)
class OwnPoint:
    """A member's momentum in one of their partnership's rounds, beside the partnership's."""

    opens_on: date
    lull: bool
    own: float | None
    partnership: float | None


@dataclass(frozen=True)
class Week:
    """The programme in one week (Monday first): momentum, response, each partnership."""

    starts: date
    lull: bool
    momentum: float | None
    answered: int
    eligible: int
    by_partnership: dict[int, float | None] = field(default_factory=dict)

    @property
    def response_rate(self) -> float | None:
        return min(1.0, self.answered / self.eligible) if self.eligible else None


def round_history(session: Session, now: datetime, calendar: ProgrammeCalendar,
                  found: Sequence[Summary], limit: int = HISTORY_ROUNDS,
                  rows: list[Any] | None = None) -> dict[int, list[RoundPoint]]:
    """Each partnership's last ``limit`` rounds, oldest first: one query, or none when
    the caller read these ``latest_rounds`` rows already."""
    if not found:
        return {}
    by_id = {s.partnership_id: s for s in found}
    out: dict[int, list[RoundPoint]] = defaultdict(list)
    if rows is None:
        rows = latest_rounds(session, list(by_id), now, limit)
    for rid, pid, opens, due, kind, answered, total, _ in rows:
        momentum = total / answered if answered else None
        day = calendar.local_day(opens)
        figures = RoundFigures(rid, opens, due, kind, int(answered), by_id[pid].eligible,
                               momentum)
        out[pid].append(RoundPoint(day, _is_lull(calendar, day, kind), figures))
    return dict(out)


def own_history(session: Session, person_id: int, rounds: Sequence[RoundPoint]
                ) -> list[OwnPoint]:
    """A member's own momentum in each of these rounds (None when they did not answer)."""
    if not rounds:
        return []
    wanted = {p.figures.round_id for p in rounds}
    mine = {round_id: momentum for round_id, momentum in session.connection().execute(
        _own_statement(), {"person": person_id, "first": min(wanted), "last": max(wanted)}
    ).all() if round_id in wanted}
    return [OwnPoint(p.opens_on, p.lull,
                     None if mine.get(p.figures.round_id) is None
                     else float(mine[p.figures.round_id]), p.figures.momentum)
            for p in rounds]


@lru_cache(maxsize=1)
def _own_statement() -> Select:  # type: ignore[type-arg]
    """Built once: a member's Home asks it after every check-in. The rounds as a range of
    ids down the (person, round) index, the few others in it dropped in Python: a list of
    twenty ids to expand cost more than the read."""
    return select(Checkin.round_id, Checkin.momentum).where(
        Checkin.person_id == bindparam("person"),
        Checkin.round_id.between(bindparam("first"), bindparam("last")))


def weekly(session: Session, now: datetime, calendar: ProgrammeCalendar,
           found: Sequence[Summary], weeks: int = WEEKS) -> list[Week]:
    """The programme over its last ``weeks`` weeks: one query for every partnership."""
    if not found:
        return []
    eligible = {s.partnership_id: s.eligible for s in found}
    last = _monday(calendar.local_day(now))
    first = last - timedelta(weeks=weeks - 1)
    if calendar.start:
        first = max(first, _monday(calendar.start))
    since = calendar.local_moment(first, 0)
    answered: dict[date, int] = defaultdict(int)
    asked: dict[date, int] = defaultdict(int)
    momenta: dict[date, list[tuple[float, int]]] = defaultdict(list)
    per: dict[date, dict[int, list[tuple[float, int]]]] = defaultdict(lambda: defaultdict(list))
    for pid, opens, count, total in session.execute(
            select(CheckinRound.partnership_id, CheckinRound.opens_at, CheckinRound.answered,
                   CheckinRound.momentum_total)
            .where(CheckinRound.opens_at >= since, CheckinRound.opens_at <= now,
                   CheckinRound.partnership_id.in_(list(eligible)))):
        week = _monday(calendar.local_day(opens))
        answered[week] += int(count)
        asked[week] += eligible.get(pid, 0)
        if count:
            momenta[week].append((total / count, int(count)))
            per[week][pid].append((total / count, int(count)))
    out = []
    day = first
    while day <= last:
        out.append(Week(day, calendar.lull_on(day) is not None
                        or calendar.lull_on(day + timedelta(days=4)) is not None,
                        _weighted(momenta[day]), answered[day], asked[day],
                        {pid: _weighted(values) for pid, values in per[day].items()}))
        day += timedelta(weeks=1)
    return out


def objectives_by_status(found: Sequence[Summary]) -> dict[str, int]:
    """How many active objectives are on track, at risk, stalled, done (or not yet rated)."""
    counts = {status: 0 for status in (*OBJECTIVE_STATUSES, "none")}
    for summary in found:
        for objective in summary.objectives:
            counts[objective.status or "none"] += 1
    return counts


def _weighted(values: list[tuple[float, int]]) -> float | None:
    total = sum(n for _, n in values)
    return sum(m * n for m, n in values) / total if total else None


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _is_lull(calendar: ProgrammeCalendar, day: date, kind: str) -> bool:
    return kind == "lull" or calendar.lull_on(day) is not None
