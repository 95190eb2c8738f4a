"""Migrations, models and the programme import, on SQLite and PostgreSQL."""

from __future__ import annotations

import copy
import os
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from storage.clock import SteppingClock
from storage.db import SessionFactory, make_engine, upgrade
from storage.importer import import_programme
from storage.models import (
    Base,
    Checkin,
    CheckinRound,
    Delivery,
    Membership,
    Objective,
    Partnership,
    Person,
    Programme,
)
from storage.programme import ProgrammeError, load_programme, parse_programme
from storage.tallies import retally_all
from tests.conftest import EXAMPLE, POSTGRES_URL, recreate_pg_database

RAW = yaml.safe_load(EXAMPLE.read_text())


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_migrations_match_models(backend: str, tmp_path: Path) -> None:
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'fresh.db'}"
    elif POSTGRES_URL:
        url = recreate_pg_database(f"lpbot_migrations_{os.getpid()}")
    else:
        pytest.skip("LPBOT_TEST_POSTGRES_URL is not set")
    upgrade(url)
    upgrade(url)  # a second upgrade is a no-op
    engine = make_engine(url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == []


def test_sqlite_upgrade_leaves_the_file_in_wal_mode(tmp_path: Path) -> None:
    # Switching to WAL needs the file alone; upgrade does it once so that processes
    # starting side by side (gunicorn workers) never ask for it at the same moment.
    path = tmp_path / "fresh.db"
    upgrade(f"sqlite:///{path}")
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_sqlite_connection_works_when_another_holds_the_file(tmp_path: Path) -> None:
    # A file nobody prepared, locked by another writer: the new connection cannot switch
    # it to WAL, and must carry on rather than fail ("database is locked" at boot).
    path = tmp_path / "unprepared.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x INTEGER)")
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO t VALUES (1)")
    engine = make_engine(f"sqlite:///{path}", busy_timeout=0.1)
    try:
        with engine.connect() as conn:
            holder.execute("ROLLBACK")
            assert conn.exec_driver_sql("SELECT count(*) FROM t").scalar() == 0
    finally:
        holder.close()
        engine.dispose()


def table_counts(session_factory: SessionFactory) -> dict[str, int]:
    with session_factory() as session:
        return {t.name: session.scalar(select(func.count()).select_from(t)) or 0
                for t in Base.metadata.sorted_tables}


def test_example_imports_once_then_changes_nothing(session_factory: SessionFactory,
                                                   clock: SteppingClock) -> None:
    spec = load_programme(EXAMPLE)
    with session_factory.begin() as session:
        first = import_programme(spec, session=session, now=clock())
    assert first.created > 0
    before = table_counts(session_factory)
    clock.advance(timedelta(days=1))
    with session_factory.begin() as session:
        second = import_programme(spec, session=session, now=clock())
    assert not second.changed
    assert table_counts(session_factory) == before
    assert before["partnership"] == 15
    with session_factory() as session:
        programme = session.get(Programme, 1)
        assert programme is not None and [lull.name for lull in programme.lulls] == [
            "summer hiatus", "winter pressure"]
        hull = session.scalar(
            select(Partnership).where(Partnership.slug == "hull-inclusive-growth"))
        assert hull is not None and len(hull.objectives) == 3


def test_dropped_member_is_deactivated_and_keeps_history(example_programme: SessionFactory,
                                                        clock: SteppingClock) -> None:
    raw = copy.deepcopy(RAW)
    hull = next(p for p in raw["partnerships"] if p["slug"] == "hull-inclusive-growth")
    dropped = hull["members"].pop()
    hull["objectives"][0] = "A reworded first objective"
    raw["partnerships"] = [p for p in raw["partnerships"] if p["slug"] != "carlisle-borderlands"]
    with example_programme.begin() as session:
        person = session.scalar(select(Person).where(Person.slack_user_id == dropped["slack_id"]))
        assert person is not None
        partnership = session.scalar(select(Partnership).where(Partnership.slug == hull["slug"]))
        assert partnership is not None
        now = clock()
        rnd = CheckinRound(partnership_id=partnership.id, kind="regular", opens_at=now,
                           due_at=now + timedelta(days=7))
        session.add(rnd)
        session.flush()
        session.add(Checkin(person_id=person.id, partnership_id=partnership.id, round_id=rnd.id,
                            submitted_at=now, momentum=4, source="modal"))
        retally_all(session)
    with example_programme.begin() as session:
        report = import_programme(parse_programme(raw), session=session, now=clock())
    assert report.deactivated >= 3
    with example_programme() as session:
        person = session.scalar(select(Person).where(Person.slack_user_id == dropped["slack_id"]))
        assert person is not None and not person.active
        membership = session.scalar(select(Membership).where(Membership.person_id == person.id))
        assert membership is not None and not membership.active
        assert session.scalar(select(func.count()).select_from(Checkin)) == 1
        carlisle = session.scalar(select(Partnership).where(
            Partnership.slug == "carlisle-borderlands"))
        assert carlisle is not None and not carlisle.active
        titles = {o.title: o.active for o in session.scalars(
            select(Objective).where(Objective.partnership_id == membership.partnership_id))}
        assert titles["A reworded first objective"] is True
        assert False in titles.values()  # the old wording is retired, not deleted


def broken_file() -> dict[str, Any]:
    raw = copy.deepcopy(RAW)
    parts = raw["partnerships"]
    del parts[0]["slug"]
    parts[1]["leads"].append("U0NOBODY")
    parts[2]["members"].append(dict(parts[2]["members"][0]))
    raw["programme"]["start"] = "2026-13-40"
    raw["programme"]["lulls"][1]["end"] = "2026-11-01"
    return raw


def test_broken_file_lists_every_problem_and_writes_nothing(session_factory: SessionFactory,
                                                            clock: SteppingClock) -> None:
    with pytest.raises(ProgrammeError) as caught:
        parse_programme(broken_file())
    problems = "\n".join(caught.value.problems)
    assert "partnerships[0].slug: is missing" in problems
    assert "unknown lead 'U0NOBODY'" in problems and "south-kesteven-hub" in problems
    assert "duplicate Slack id" in problems and "brighton-festivals" in problems
    assert "programme.start" in problems
    assert "programme.lulls[1].end" in problems and "before the window's start" in problems
    assert len(caught.value.problems) == 5
    assert table_counts(session_factory)["partnership"] == 0


@pytest.mark.parametrize("raw", [None, [], "text", {"programme": []},
                                 {"programme": {"name": "x"}, "partnerships": [1, "a"]}])
def test_garbage_files_raise_programme_error(raw: Any) -> None:
    with pytest.raises(ProgrammeError):
        parse_programme(raw)


def test_unparseable_yaml_is_a_programme_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("programme: [unclosed\n")
    with pytest.raises(ProgrammeError, match="not valid YAML"):
        load_programme(path)


def test_default_lulls_cover_summer_and_winter() -> None:
    raw = copy.deepcopy(RAW)
    del raw["programme"]["lulls"]
    spec = parse_programme(raw)
    # The programme starts in April 2026, so the winter before it is left out.
    assert [(lull.name, lull.starts.isoformat()) for lull in spec.lulls] == [
        ("summer hiatus", "2026-07-15"), ("winter pressure", "2026-12-01")]


def test_datetimes_come_back_aware_utc(session_factory: SessionFactory) -> None:
    moment = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)
    with session_factory.begin() as session:
        session.add(Delivery(kind="prompt", recipient="U1", dedupe_key="k", payload={},
                             created_at=moment, next_attempt_at=moment))
    with session_factory() as session:
        row = session.scalar(select(Delivery))
        assert row is not None and row.created_at == moment and row.created_at.tzinfo is not None


def test_dedupe_key_is_unique(session_factory: SessionFactory) -> None:
    moment = datetime(2026, 3, 29, tzinfo=UTC)
    with session_factory.begin() as session:
        session.add(Delivery(kind="prompt", recipient="U1", dedupe_key="same", payload={},
                             created_at=moment, next_attempt_at=moment))
    with pytest.raises(IntegrityError), session_factory.begin() as session:
        session.add(Delivery(kind="prompt", recipient="U1", dedupe_key="same", payload={},
                             created_at=moment, next_attempt_at=moment))
