"""Engines, sessions and Alembic: the one place that knows how to reach the database."""

from __future__ import annotations

import logging
import sqlite3
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).parent / "migrations"
logger = logging.getLogger("lpbot.db")
_BUSY_TIMEOUTS: weakref.WeakKeyDictionary[Engine, float] = weakref.WeakKeyDictionary()

StorageError = SQLAlchemyError
"""Any failure to read or write the database; callers outside storage catch this name."""


class SessionFactory:
    """Read sessions from ``factory()``, write transactions from ``factory.begin()``.

    On SQLite a write transaction takes the write lock at BEGIN (IMMEDIATE), so two
    writers queue instead of failing on a lock upgrade; reads begin DEFERRED on their
    own engine, so they never queue behind a writer (WAL lets them read meanwhile).
    On PostgreSQL both are the same engine.
    """

    def __init__(self, engine: Engine, read_engine: Engine | None = None) -> None:
        self.engine = engine
        self._read_engine = read_engine or engine
        self._write = sessionmaker(engine, expire_on_commit=False)
        self._read = sessionmaker(self._read_engine, expire_on_commit=False)
        # SQLite: this process's writers queue here, in turn, rather than in SQLite's busy
        # handler, which sleeps up to 100 ms between tries and lets a late writer overtake
        # one that has waited for seconds (check-in acks were late under load). Re-entrant,
        # so a write opened inside another on the same thread never waits for itself.
        self._writers = threading.RLock() if engine.dialect.name == "sqlite" else None
        self._patience = _BUSY_TIMEOUTS.get(engine, 30.0)

    def __call__(self) -> Session:
        return self._read()

    def connect(self) -> Connection:
        """A read on a bare connection (``with db.connect() as connection``), for the
        hottest one-statement reads, where an ORM session is most of the cost."""
        return self._read_engine.connect()

    def begin(self) -> AbstractContextManager[Session]:
        if self._writers is None:
            return self._write.begin()
        return self._queued_write()

    @contextmanager
    def _queued_write(self) -> Iterator[Session]:
        # After the busy timeout, go on anyway: SQLite's own wait then decides, as before.
        queued = self._writers is not None and self._writers.acquire(timeout=self._patience)
        try:
            with self._write.begin() as session:
                yield session
        finally:
            if queued and self._writers is not None:
                self._writers.release()

    def ping(self) -> bool:
        """True when the database answers a trivial query (the health check)."""
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return True
        except SQLAlchemyError:
            return False

    def dispose(self) -> None:
        """Close every pooled connection (a process stopping, or before a fork)."""
        self.engine.dispose()


def make_engine(url: str, *, busy_timeout: float = 30.0, immediate: bool = True,
                **kwargs: Any) -> Engine:
    """An engine with the settings each dialect needs to be safe under threads.

    ``busy_timeout`` is how long a SQLite writer waits for the lock before giving up;
    ``immediate`` makes its transactions take the write lock at BEGIN.
    """
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": busy_timeout},
            hide_parameters=True, **kwargs)
        _BUSY_TIMEOUTS[engine] = busy_timeout

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            # pysqlite's own transaction handling is off so that BEGIN IMMEDIATE below works.
            dbapi_connection.isolation_level = None
            # WAL lets readers go on while the outbox worker writes; foreign keys are off
            # by default in SQLite and we rely on them.
            cursor = dbapi_connection.cursor()
            cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
            cursor.execute("PRAGMA foreign_keys=ON")
            if ":memory:" not in url:
                _ensure_wal(cursor)
                cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL; fewer fsyncs
            cursor.close()

        # Writers take the lock at BEGIN so two never deadlock on a lock upgrade. Said by
        # the dialect's own hook, not a "begin" event: any connection event makes every
        # statement on the engine dispatch its (empty) execute events, a quarter of a
        # short read's time.
        engine.dialect.do_begin = _sqlite_begin(  # type: ignore[method-assign,assignment]
            "BEGIN IMMEDIATE" if immediate else "BEGIN")
        return engine
    # hide_parameters: a failed statement's error (and so the log) never shows what was
    # written, such as check-in text.
    return create_engine(url, pool_pre_ping=True, hide_parameters=True, **kwargs)


def _sqlite_begin(statement: str) -> Callable[[Any], None]:
    """The dialect's ``do_begin`` for SQLite (pysqlite begins nothing itself here); a
    failure is wrapped by SQLAlchemy as any statement's is."""

    def do_begin(dbapi_connection: Any) -> None:
        dbapi_connection.cursor().execute(statement).close()

    return do_begin


def _ensure_wal(cursor: Any) -> None:
    """Switch a SQLite file to WAL unless it already is (the mode is stored in the file).

    Switching needs the file to itself, and SQLite can answer "database is locked" at once,
    without waiting, when another process is using it; so ``upgrade`` switches the file
    while it is alone, and a connection that finds WAL already set asks for nothing.
    Should two processes race on a file nobody prepared, the loser carries on: the
    winner's WAL applies to every connection from its next transaction.
    """
    if cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal":
        return
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
    except sqlite3.OperationalError as error:
        logger.info("journal mode left to another connection (%s)", error)


def make_session_factory(engine: Engine) -> SessionFactory:
    """Sessions that keep loaded values after commit, so views can be rendered afterwards."""
    if engine.dialect.name != "sqlite":
        return SessionFactory(engine)
    reader = make_engine(engine.url.render_as_string(hide_password=False), immediate=False,
                         busy_timeout=_BUSY_TIMEOUTS.get(engine, 30.0))
    event.listen(engine, "engine_disposed", lambda *_: reader.dispose())
    return SessionFactory(engine, reader)


def open_database(url: str) -> SessionFactory:
    """The session factory for ``url``, with its engines: what a process holds."""
    return make_session_factory(make_engine(url))


def alembic_config(url: str) -> Config:
    """An Alembic config that works from any working directory."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "heads") -> None:
    """Create or upgrade the schema to ``revision`` (every head: features add their own
    migrations side by side, each after the initial schema)."""
    command.upgrade(alembic_config(url), revision)
    if url.startswith("sqlite"):
        engine = make_engine(url)  # its first connection puts the file in WAL mode
        try:
            with engine.connect():
                pass
        finally:
            engine.dispose()
