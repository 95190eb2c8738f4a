"""Each partnership's standing: what ranking it "most in need first" needs of its last
``TREND_ROUNDS`` rounds, in one row, so that `/lp status all` reads a thousand rows
instead of every round's tally.

What depends on the moment (eligible members, thresholds in a lull, which rounds have
closed, the quiet period) is judged when read, with the same rules every surface uses
(``storage.insight.judge_stall``); what the standing keeps is only what check-ins and
rounds write:

- the latest round and its tally, moved by each check-in in the same transaction and
  the same way as the round's own tally (``note_change``: one UPDATE adding to the row
  as it stands, so simultaneous check-ins on PostgreSQL are all counted);
- what the earlier rounds of the window came to, fixed once the latest round opened.

A standing is trusted only while it still describes the window: no round has opened
since, and its earlier rounds have all closed. Otherwise (or when marked for a recount,
``round_id`` NULL) that partnership is ranked from its rounds, as before, and the next
``refresh`` (the tick opening a round, ``retally_all``) recounts it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, Update, and_, bindparam, case, exists, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.calendar import CalendarDay
from storage.insight import StallWindow, judge_stall, response_rate, risk_score
from storage.models import (
    CheckinRound,
    Membership,
    Objective,
    Partnership,
    PartnershipStanding,
    Person,
)
from storage.summaries import latest_rounds, summaries
from storage.tally_move import tally_move

S = PartnershipStanding
KNOWN = 3  # momentum falling looks at the last three rounds with answers


def note_change(session: Session, round_id: int, answers: int, change: int,
                now: datetime) -> None:
    """A check-in moved round ``round_id``'s tally (in the caller's transaction): move the
    standing whose latest round it is alike; if it is no standing's latest round (a round
    opened meanwhile), mark the partnership's standing for a recount."""
    conn = session.connection()
    moved = conn.execute(_move_statement(), {"round": round_id, "answers": answers,
                                             "change": change, "now": now})
    if moved.rowcount == 0:
        conn.execute(_recount_statement(), {"round": round_id})


def note_recount(session: Session, round_id: int) -> None:
    """Round ``round_id``'s tally was recounted (``retally_round``): copy it to the
    standing whose latest round it is, or mark the partnership's standing for a recount."""
    def tally(column: Any) -> Any:
        return select(column).where(CheckinRound.id == round_id).scalar_subquery()

    moved = session.execute(update(S).where(S.round_id == round_id).values(
        answered=tally(CheckinRound.answered), momentum_total=tally(CheckinRound.momentum_total),
        last_checkin_at=tally(CheckinRound.last_checkin_at)))
    if moved.rowcount == 0:  # type: ignore[attr-defined]
        session.connection().execute(_recount_statement(), {"round": round_id})


@lru_cache(maxsize=1)
def _move_statement() -> Update:
    return tally_move(S, S.round_id)


@lru_cache(maxsize=1)
def _recount_statement() -> Update:
    return update(S).where(S.partnership_id == select(CheckinRound.partnership_id).where(
        CheckinRound.id == bindparam("round")).scalar_subquery()).values(round_id=None)


def refresh(session: Session, partnership_ids: Sequence[int], now: datetime | None) -> None:
    """Recount these partnerships' standings from their last rounds (opened by ``now``;
    every round when None), in the caller's transaction and a fixed number of statements.

    On PostgreSQL the window's rounds are read again under FOR SHARE: a check-in that
    chose one of them before this transaction saw it has either committed (and is read
    here) or waits until this commits, and then finds the standing moved on (and marks
    it for a recount) or moves it itself."""
    ids = list(partnership_ids)
    if not ids:
        return
    rows = latest_rounds(session, ids, now) if now is not None else _every_window(session, ids)
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql" and rows:
        tallies = {rid: (answered, total, last) for rid, answered, total, last in session.execute(
            select(CheckinRound.id, CheckinRound.answered, CheckinRound.momentum_total,
                   CheckinRound.last_checkin_at).where(CheckinRound.id.in_([r[0] for r in rows]))
            .order_by(CheckinRound.id).with_for_update(read=True))}
        rows = [(*row[:5], *tallies[row[0]]) for row in rows]
    windows: dict[int, list[Any]] = {pid: [] for pid in ids}
    for row in rows:
        windows[row[1]].append(row)
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(S)
    session.connection().execute(statement.on_conflict_do_update(
        index_elements=[S.partnership_id],
        set_={c.name: statement.excluded[c.name] for c in S.__table__.columns
              if c.name != "partnership_id"}),
        [standing_of(pid, window) for pid, window in windows.items()])


def _every_window(session: Session, ids: list[int]) -> list[Any]:
    """Every partnership's last rounds, whenever they open (after a bulk load)."""
    return latest_rounds(session, ids, datetime(9999, 1, 1, tzinfo=UTC))


def standing_of(partnership_id: int, window: Sequence[Any]) -> dict[str, Any]:
    """A partnership's standing from its last rounds, oldest first: (id, partnership,
    opens, due, kind, answered, momentum total, last answer), as ``latest_rounds``."""
    out: dict[str, Any] = {"partnership_id": partnership_id, "round_id": None,
                           "opens_at": None, "due_at": None, "answered": 0,
                           "momentum_total": 0, "last_checkin_at": None,
                           "first_opens_at": None, "earlier_rounds": 0,
                           "earlier_due_at": None, "earlier_last_checkin_at": None,
                           "answered_1": 0, "answered_2": 0}
    for k in range(1, KNOWN + 1):
        out[f"known_total_{k}"] = out[f"known_answered_{k}"] = 0
    if not window:
        return out
    latest, recent = window[-1], list(reversed(window[:-1]))
    out.update(round_id=latest[0], opens_at=latest[2], due_at=latest[3],
               answered=latest[5], momentum_total=latest[6], last_checkin_at=latest[7],
               first_opens_at=window[0][2], earlier_rounds=len(recent),
               earlier_due_at=max((r[3] for r in recent), default=None),
               earlier_last_checkin_at=max((r[7] for r in recent if r[7] is not None),
                                           default=None))
    for k, row in enumerate(recent[:2], start=1):
        out[f"answered_{k}"] = row[5]
    for k, row in enumerate([r for r in recent if r[5]][:KNOWN], start=1):
        out[f"known_total_{k}"], out[f"known_answered_{k}"] = row[6], row[5]
    return out


def catch_up(session: Session, latest: dict[int, int], now: datetime) -> None:
    """Recount the standings that do not stand on these partnerships' latest rounds
    (partnership id -> round id): the tick calls it as it opens a round, and so does
    the first check-in of an ad-hoc round. Two statements when all are up to date."""
    if not latest:
        return
    standing = dict(session.execute(select(S.partnership_id, S.round_id).where(
        S.partnership_id.in_(list(latest)))).all())
    refresh(session, sorted(pid for pid, rid in latest.items() if standing.get(pid) != rid),
            now)


def refresh_all(session: Session, now: datetime | None = None) -> None:
    """Every partnership's standing recounted: after a bulk load (``retally_all``)."""
    refresh(session, list(session.scalars(select(Partnership.id))), now)


def ranking(session: Session, now: datetime, today: CalendarDay) -> list[int]:
    """Every active partnership's id, most in need first: the order of ``summaries``
    (risk score, then name), from the standings in three statements; a partnership
    whose standing no longer describes its window is ranked from its rounds instead."""
    conn = session.connection()
    statements = _rank_statements()
    eligible = dict(conn.execute(statements[1], {"now": now}).all())
    at_risk = dict(conn.execute(statements[2]).all())
    ranked: list[tuple[float, str, int]] = []
    stale = []
    for row in conn.execute(statements[0], {"now": now}):
        pid, name = row[0], row[1]
        if row.round_id is None or row.newer or row.opens_at > now or (
                row.earlier_due_at is not None and row.earlier_due_at > now):
            stale.append(pid)
            continue
        score = _score(row, eligible.get(pid, 0), at_risk.get(pid, 0), now, today)
        ranked.append((-score, name, pid))
    if stale:
        ranked += [(-s.score, s.name, s.partnership_id)
                   for s in summaries(session, now, today, stale, flagged=False)]
    ranked.sort()
    return [pid for _, _, pid in ranked]


def _score(row: Any, eligible: int, at_risk: int, now: datetime, today: CalendarDay
           ) -> float:
    """``Summary.score`` from a standing: the same rules over the same figures."""
    momenta: list[float | None] = [
        total / answered for total, answered in (
            (row.known_total_3, row.known_answered_3), (row.known_total_2, row.known_answered_2),
            (row.known_total_1, row.known_answered_1)) if answered]
    if row.answered:
        momenta.append(row.momentum_total / row.answered)
    answered = [row.answered_2, row.answered_1][2 - min(2, row.earlier_rounds):]
    if row.due_at <= now:
        answered.append(row.answered)
    rates = [rate for count in answered[-2:]
             if (rate := response_rate(count, eligible)) is not None]
    last = max((t for t in (row.last_checkin_at, row.earlier_last_checkin_at) if t is not None),
               default=None)
    reasons = judge_stall(now=now, window=StallWindow(row.first_opens_at, row.opens_at, last,
                                                      rates, momenta),
                          thresholds=today.thresholds)
    return risk_score(reasons, response_rate(row.answered, eligible),
                      momenta[-1] if momenta else None, at_risk)


@lru_cache(maxsize=1)
def _rank_statements() -> tuple[Select, Select, Select]:  # type: ignore[type-arg]
    """Built once: the standings (with whether a round opened since), eligible members
    and objectives at risk, each grouped by partnership."""
    now = bindparam("now", type_=CheckinRound.opens_at.type)
    newer = exists().where(CheckinRound.partnership_id == Partnership.id,
                           CheckinRound.opens_at > S.opens_at, CheckinRound.opens_at <= now)
    standings = (select(Partnership.id, Partnership.name, *[
        c for c in S.__table__.columns if c.name != "partnership_id"], newer.label("newer"))
        .outerjoin(S, S.partnership_id == Partnership.id).where(Partnership.active))
    paused = and_(Person.paused_until.is_not(None), Person.paused_until > now)
    eligible = (select(Membership.partnership_id, func.sum(case((paused, 0), else_=1)))
                .join(Person, Person.id == Membership.person_id)
                # As ``summaries``: an erased member counts until their seat is dropped.
                .where(Membership.active, or_(Person.active, Person.erased_at.is_not(None)))
                .group_by(Membership.partnership_id))
    at_risk = (select(Objective.partnership_id, func.count())
               .where(Objective.active, Objective.status.in_(("at_risk", "stalled")))
               .group_by(Objective.partnership_id))
    return standings, eligible, at_risk
