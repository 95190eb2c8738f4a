"""Shared fixtures: a migrated database per test on SQLite and (when configured) PostgreSQL."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, settings
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from storage.clock import SteppingClock
from storage.db import SessionFactory, make_engine, make_session_factory, upgrade
from storage.importer import import_programme
from storage.models import Base
from storage.programme import load_programme

if TYPE_CHECKING:
    from tests.harness import Harness

# CI runs at least 1,000 examples per property; a developer's run is quicker.
settings.register_profile("ci", max_examples=1000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=150, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci" if os.environ.get("CI") else "dev")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "leading-places.yaml"
POSTGRES_URL = os.environ.get("LPBOT_TEST_POSTGRES_URL")
BACKENDS = ["sqlite", "postgresql"]


def pg_url(database: str) -> str:
    """The test server's URL with another database name."""
    assert POSTGRES_URL
    url = make_url(POSTGRES_URL).set(drivername="postgresql+psycopg", database=database)
    return url.render_as_string(hide_password=False)


def recreate_pg_database(name: str) -> str:
    """Drop and create ``name`` on the test server; an unreachable server fails the test."""
    admin = create_engine(pg_url(make_url(POSTGRES_URL).database or "postgres"),
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return pg_url(name)


def drop_pg_database(name: str) -> None:
    admin = create_engine(pg_url(make_url(POSTGRES_URL).database or "postgres"),
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def pg_migrated() -> Iterator[str]:
    """A migrated database of this test run's own, so two runs never share one."""
    name = f"lpbot_test_{os.getpid()}"
    url = recreate_pg_database(name)
    upgrade(url)
    yield url
    drop_pg_database(name)


def _clean_pg(url: str) -> None:
    engine = create_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path,
                 sqlite_template: Path) -> str:
    """A migrated, empty database: SQLite always, PostgreSQL when LPBOT_TEST_POSTGRES_URL is set."""
    if request.param == "sqlite":
        path = tmp_path / "lpbot.db"
        shutil.copy(sqlite_template, path)
        return f"sqlite:///{path}"
    if not POSTGRES_URL:
        pytest.skip("LPBOT_TEST_POSTGRES_URL is not set")
    url = request.getfixturevalue("pg_migrated")
    _clean_pg(url)
    return url


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> str:
    """A migrated SQLite file, for tests whose subject is not the database."""
    path = tmp_path / "lpbot.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session_factory(engine: Engine) -> SessionFactory:
    return make_session_factory(engine)


@pytest.fixture
def clock() -> SteppingClock:
    return SteppingClock(datetime(2026, 11, 24, 9, 0, tzinfo=UTC))


@pytest.fixture
def example_programme(session_factory: SessionFactory, clock: SteppingClock) -> SessionFactory:
    """The example programme imported into the test database."""
    with session_factory.begin() as session:
        import_programme(load_programme(EXAMPLE), session=session, now=clock())
    return session_factory


@pytest.fixture
def bot(example_programme: SessionFactory, clock: SteppingClock) -> Iterator[Harness]:
    """The one bot fixture: the example programme, served over signed HTTP to the
    stand-in, on each database."""
    from tests.harness import running_bot

    with running_bot(example_programme, clock) as harness:
        yield harness
