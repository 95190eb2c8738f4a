"""The report-back pack's data: a fixed handful of statements per batch whatever the
number of partnerships, and the same figures as the check-ins themselves say."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from bench.data import build_programme
from storage.calendar_store import load_calendar
from storage.db import SessionFactory
from storage.models import Checkin, CheckinRound, ObjectiveUpdate
from storage.pack import BATCH, pack_partnerships, pack_programme
from tests.storage.test_insight import counting

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)


@pytest.mark.parametrize("size", [5, 450])
def test_statements_grow_with_batches_not_partnerships(session_factory: SessionFactory,
                                                       size: int) -> None:
    build_programme(session_factory, partnerships=size, members=3, weeks=4, now=NOW)
    with session_factory() as session:
        bind = session.get_bind()  # reads may use their own engine (SQLite)
    with counting(bind) as statements:
        programme = pack_programme(session_factory, NOW)
        loaded = list(pack_partnerships(session_factory, programme, NOW))
    assert len(loaded) == size
    batches = -(-size // BATCH)
    # The programme's calendar and its partnerships, then six per batch of partnerships.
    assert len(statements) == 2 + 6 * batches


def test_figures_match_the_checkins(session_factory: SessionFactory) -> None:
    build_programme(session_factory, partnerships=3, members=6, weeks=12, now=NOW)
    programme = pack_programme(session_factory, NOW)
    loaded = {p.partnership_id: p for p in pack_partnerships(session_factory, programme, NOW)}
    with session_factory() as session:
        calendar = load_calendar(session)
        figures = {rid: (int(n), None if m is None else float(m)) for rid, n, m in
                   session.execute(select(CheckinRound.id, func.count(Checkin.id),
                                          func.avg(Checkin.momentum))
                                   .outerjoin(Checkin, Checkin.round_id == CheckinRound.id)
                                   .group_by(CheckinRound.id))}
        # Each objective's status per round: the last update said in that round.
        said: dict[int, dict[date, tuple[int, str]]] = defaultdict(dict)
        for update_id, objective_id, opens, status in session.execute(
                select(ObjectiveUpdate.id, ObjectiveUpdate.objective_id, CheckinRound.opens_at,
                       ObjectiveUpdate.status)
                .join(Checkin, Checkin.id == ObjectiveUpdate.checkin_id)
                .join(CheckinRound, CheckinRound.id == Checkin.round_id)):
            day = calendar.local_day(opens)
            said[objective_id][day] = max(said[objective_id].get(day, (0, "")),
                                          (update_id, status))
    assert len(loaded) == 3
    for partnership in loaded.values():
        assert [r.opens_on for r in partnership.rounds] == sorted(
            r.opens_on for r in partnership.rounds)
        for r in partnership.rounds:
            answered, momentum = figures[r.round_id]
            assert r.answered == answered and r.eligible == 6
            assert r.momentum == pytest.approx(momentum)
    expected = []
    for objective_id in sorted(said):
        history: list[tuple[date, str]] = []
        for day, (_, status) in sorted(said[objective_id].items()):
            if not history or history[-1][1] != status:
                history.append((day, status))
        expected.append(history)
    got = [o.history for pid in sorted(loaded) for o in loaded[pid].objectives]
    assert got == expected and all(got)
