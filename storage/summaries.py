"""Each partnership's momentum at a glance, in a fixed number of SQL statements.

Every function here issues the same number of queries for 1 partnership or 1,000:
aggregates are grouped in SQL and joined back in Python by id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from storage.calendar import CalendarDay
from storage.id_lists import arity, ids_params
from storage.insight import (
    TREND_ROUNDS,
    RoundFigures,
    risk_score,
    single_institution,
    stall_reasons,
)
from storage.summary_statements import (
    answering_statement,
    latest_rounds_statement,
    one_partnership_rounds_statement,
    summary_statements,
)

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


def summaries(session: Session, now: datetime, today: CalendarDay,
              partnership_ids: list[int] | None = None,
              rounds: list[Any] | None = None, *, flagged: bool = True,
              members: list[Any] | None = None) -> list[Summary]:
    """Summaries of the given (or all active) partnerships, worst first; five queries.

    Stalling is judged with ``today.thresholds``, the lull-aware ones every surface uses.
    Ties in score go by name, then id (as ``storage.standing.ranking``).
    ``rounds``: these partnerships' ``latest_rounds`` rows when the caller read them
    already (at least ``TREND_ROUNDS`` each), to save reading them twice. ``flagged``
    False leaves ``flags`` to ``add_flags`` (the ranking needs only the reasons): a page
    of the overview flags its fifteen, not all of them. ``members``: their figures as
    ``member_figures`` gives them, when the caller read the members already.
    """
    found = {row[0]: Summary(*row) for row in session.connection().execute(
        summary_statements(_shape(partnership_ids)).partnerships, _params(partnership_ids)
    ).all()}
    if not found:
        return []
    ids = list(found) if partnership_ids is not None else None
    _add_members(session, found, ids, now, members)  # before rounds: they count eligible
    _add_rounds(session, found, now, rounds)
    _add_objectives(session, found, ids)
    for summary in found.values():
        summary.reasons = stall_reasons(now=now, rounds=summary.rounds,
                                        last_checkin_at=summary.last_checkin_at,
                                        thresholds=today.thresholds)
    if flagged:
        add_flags(session, list(found.values()))
    return sorted(found.values(), key=lambda s: (-s.score, s.name, s.partnership_id))


def add_flags(session: Session, found: list[Summary]) -> None:
    """What each of these summaries flags beside its stall reasons (one query)."""
    by_id = {s.partnership_id: s for s in found}
    _add_answering_institutions(session, by_id)
    for summary in found:
        _flag(summary)


def _add_members(session: Session, found: dict[int, Summary], ids: list[int] | None,
                 now: datetime, rows: list[Any] | None) -> None:
    """Eligible (active, unpaused) and paused members, and their institutions: one query
    (none when the caller gave the rows)."""
    if rows is None:
        rows = list(session.connection().execute(
            summary_statements(_shape(ids)).members, _params(ids, now=now)).all())
    for pid, institution, eligible, paused_count in rows:
        summary = found.get(pid)
        if summary is not None:
            summary.eligible += int(eligible or 0)
            summary.paused += int(paused_count or 0)
            if institution:
                summary.institutions.add(institution)


def member_figures(partnership_id: int, people: list[tuple[str | None, datetime | None]],
                   now: datetime) -> list[tuple[int, str | None, int, int]]:
    """What the members statement counts (partnership, institution, eligible, paused),
    from one partnership's counted members as (institution, paused until): for a caller
    that reads them one by one anyway (a lead's status)."""
    counts: dict[str | None, list[int]] = {}
    for institution, paused_until in people:
        paused = paused_until is not None and paused_until > now
        counts.setdefault(institution, [0, 0])[1 if paused else 0] += 1
    return [(partnership_id, institution, eligible, paused)
            for institution, (eligible, paused) in counts.items()]


def latest_rounds(session: Session, ids: list[int], now: datetime,
                  limit: int = TREND_ROUNDS) -> list[Any]:
    """Each partnership's last ``limit`` opened rounds with their tallies (id, partnership,
    opens, due, kind, answered, momentum total, last answer), oldest first, read through
    the (partnership, opens_at) index: a few rows per partnership, never a scan."""
    if len(ids) == 1:  # a lead's status, a member's Home: no join, no list to expand
        rows = session.connection().execute(one_partnership_rounds_statement(limit),
                                            {"now": now, "ids": ids[0]}).all()
        return list(rows)[::-1]
    statement = latest_rounds_statement(session.get_bind().dialect.name, limit)
    return list(session.connection().execute(statement, {"now": now, "ids": ids}).all())


def _add_rounds(session: Session, found: dict[int, Summary], now: datetime,
                rows: list[Any] | None) -> None:
    """Each partnership's latest rounds with their answers and momentum: one query over
    the rounds' tallies (storage/tallies.py), not over the check-ins."""
    if rows is None:
        rows = latest_rounds(session, list(found), now)
    else:
        rows = _last_of_each(rows, TREND_ROUNDS)
    for rid, pid, opens, due, kind, answered, total, last in rows:
        summary = found[pid]
        summary.rounds.append(RoundFigures(rid, opens, due, kind, int(answered),
                                           summary.eligible,
                                           total / answered if answered else None))
        if last is not None:
            last = _aware(last)
            if summary.last_checkin_at is None or last > summary.last_checkin_at:
                summary.last_checkin_at = last


def _last_of_each(rows: list[Any], limit: int) -> list[Any]:
    """The last ``limit`` of each partnership's rounds (rows oldest first), in order."""
    seen: dict[int, int] = {}
    kept = []
    for row in reversed(rows):
        count = seen.get(row[1], 0)
        if count < limit:
            seen[row[1]] = count + 1
            kept.append(row)
    return kept[::-1]


def _add_objectives(session: Session, found: dict[int, Summary], ids: list[int] | None
                    ) -> None:
    for oid, pid, title, status, since, note in session.connection().execute(
            summary_statements(_shape(ids)).objectives, _params(ids)).all():
        if pid in found:
            found[pid].objectives.append(ObjectiveState(oid, title, status, since, note))


def _add_answering_institutions(session: Session, found: dict[int, Summary]) -> None:
    """Which institutions answered in the last few rounds (connected leadership), from
    the rounds' tallies: one query."""
    recent = {r.round_id: s for s in found.values() for r in s.rounds[-ENGAGEMENT_ROUNDS:]}
    if not recent:
        return
    rounds = list(recent)
    for round_id, institution in session.connection().execute(
            answering_statement(arity(rounds)), ids_params("ids", rounds)).all():
        recent[round_id].answering_institutions.add(institution)


def _shape(ids: list[int] | None) -> int | None:
    """The summary statements' shape: None reads every partnership."""
    return None if ids is None else arity(ids)


def _params(ids: list[int] | None, **values: Any) -> dict[str, Any]:
    return values if ids is None else {**values, **ids_params("ids", ids)}


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _flag(summary: Summary) -> None:
    flags = list(summary.reasons)
    if not summary.objectives:
        flags.append("no active objectives: focus the challenge")
    lone = single_institution(summary.institutions, summary.answering_institutions)
    if lone:
        flags.append(f"only {lone} is answering")
    summary.flags = flags
