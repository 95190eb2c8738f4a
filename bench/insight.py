"""Benchmark: status, digest and the report-back pack on a programme of 1,000
partnerships × 20 members × 2 years of weekly check-ins. Prints figures; asserts nothing.

    python -m bench.insight                       # SQLite in a temporary folder
    python -m bench.insight --postgres URL        # and PostgreSQL (the database is recreated)
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, text
from sqlalchemy.orm import Session

from bench.data import build_programme, fresh_postgres
from bench.similarity import digest_with_written_blockers
from bot.blocks.digest import digest_messages
from bot.blocks.status import overview_blocks, status_blocks, status_view_blocks
from storage.access import Viewer, viewer
from storage.calendar_store import load_calendar
from storage.db import make_engine, make_session_factory, upgrade
from storage.digest import build_digest
from storage.status import partnership_detail, status_view
from storage.summaries import summaries

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)
STAFF_ID = "USTAFF0001"  # bench.load adds this staff member; here a Viewer stands in


def _timed(engine: Engine, func: Callable[[], Any], runs: int) -> tuple[list[float], int]:
    statements = [0]

    def count(*_: Any) -> None:
        statements[0] += 1

    event.listen(engine, "before_cursor_execute", count)
    timings = []
    try:
        for _ in range(runs):
            started = time.perf_counter()
            func()
            timings.append((time.perf_counter() - started) * 1000)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return timings, statements[0] // runs


def _engine_of(session: Session) -> Engine:
    bind = session.get_bind()
    return bind if isinstance(bind, Engine) else bind.engine


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _build(url: str, partnerships: int, members: int, weeks: int, now: datetime) -> None:
    upgrade(url)
    engine = make_engine(url)
    started = time.perf_counter()
    counts = build_programme(make_session_factory(engine), partnerships=partnerships,
                             members=members, weeks=weeks, now=now)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    engine.dispose()
    print(f"  built {counts['checkin']:,} check-ins, {counts['objective_update']:,} objective "
          f"updates in {time.perf_counter() - started:.0f} s", flush=True)


def build_in_child(url: str, partnerships: int, members: int, weeks: int,
                   now: datetime = NOW) -> None:
    """Build the data set in a child process, so the figures measure the queries and the
    memory they take, not the loading."""
    child = multiprocessing.get_context("spawn").Process(
        target=_build, args=(url, partnerships, members, weeks, now))
    child.start()
    child.join()
    if child.exitcode != 0:
        raise SystemExit("building the data set failed")


def run(url: str, partnerships: int, members: int, weeks: int) -> None:
    build_in_child(url, partnerships, members, weeks)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    with factory() as session:
        calendar = load_calendar(session).on(NOW)
        ids = iter([(i * 7919) % partnerships + 1 for i in range(10_000)])

        def one() -> None:
            detail = partnership_detail(session, NOW, calendar, next(ids))
            assert detail is not None
            status_blocks(detail, calendar, NOW)

        one()  # warm the caches once, as a running server would have them
        bind = _engine_of(session)
        times, statements = _timed(bind, one, 200)
        print(f"  status, one partnership: median {statistics.median(times):.1f} ms, "
              f"p99 {_p(times, 0.99):.1f} ms, {statements} SQL statements (200 calls)")
        times, statements = _timed(bind, lambda: overview_blocks(
            summaries(session, NOW, calendar), calendar), 5)
        print(f"  every partnership (lpbot status): median {statistics.median(times):.0f} "
              f"ms, {statements} SQL statements")
    staff_figures(engine, NOW)
    engine.dispose()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak memory (process):   {peak:.0f} MB")
    pack_in_child(url)
    digest_with_written_blockers(url, NOW)


def staff_figures(engine: Engine, now: datetime, runs: int = 7) -> None:
    """Staff's `/lp status all` from command to rendered answer, in-process (the viewer,
    the paged overview, its blocks), and the full digest build; median of ``runs``."""
    factory = make_session_factory(engine)
    staff = Viewer(0, STAFF_ID, "Staff", True, ())

    def status_all() -> None:
        view = status_view(factory, viewer(factory, STAFF_ID) or staff, "all", now)
        status_view_blocks(view, now)

    def digest() -> None:
        with factory() as session:
            digest_messages(build_digest(session, now))

    status_all()  # warm the caches once, as a running server would have them
    with factory() as session:
        reads = _engine_of(session)  # on SQLite, reads have an engine of their own
    times, statements = _timed(reads, status_all, runs)
    print(f"  /lp status all (staff):  median {statistics.median(times):.0f} ms, "
          f"{statements} SQL statements (target <= 100 ms)")
    times, statements = _timed(reads, digest, max(3, runs // 2))
    print(f"  full digest build:       median {statistics.median(times):.0f} ms, "
          f"max {max(times):.0f} ms, {statements} SQL statements (target <= 2 s)", flush=True)


PACK_SECONDS = 60  # the targets for the report-back pack of 1,000 partnerships
PACK_MB = 300


def _pack(url: str, queue: Any) -> None:
    from bot.report.pack import build_pack, to_folder
    from storage.pack import pack_partnerships, pack_programme

    engine = make_engine(url)
    factory = make_session_factory(engine)
    with tempfile.TemporaryDirectory() as folder:
        programme = pack_programme(factory, NOW)
        result = build_pack(programme, pack_partnerships(factory, programme, NOW),
                            to_folder(Path(folder)))
        size = sum(f.stat().st_size for f in Path(folder).rglob("*.html"))
    engine.dispose()
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
    # Own peak plus the largest child's: the whole tree's peak, or more, were there any.
    peak = (own.ru_maxrss + children.ru_maxrss) / 1024
    queue.put((result.pages, size, cpu, peak))


def pack_in_child(url: str) -> None:
    """The report-back pack for every partnership, in a process of its own so that its
    time and memory are the pack's alone: wall time from starting the process (imports
    included) to its answer, CPU time (user + sys, its children included: the machine may
    be shared, so wall time alone says little) and peak memory."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    started = time.perf_counter()
    child = context.Process(target=_pack, args=(url, queue))
    child.start()
    pages, size, cpu, peak = queue.get()
    seconds = time.perf_counter() - started
    child.join()
    print(f"  report-back pack:        {pages:,} pages ({size / 1e6:.0f} MB of HTML) in "
          f"{seconds:.1f} s wall, {cpu:.1f} s CPU, peak memory {peak:.0f} MB "
          f"(target < {PACK_SECONDS} s and < {PACK_MB} MB for 1,000 partnerships)",
          flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--partnerships", type=int, default=1000)
    parser.add_argument("--members", type=int, default=20)
    parser.add_argument("--weeks", type=int, default=104)
    parser.add_argument("--postgres", help="also run on this PostgreSQL server URL")
    args = parser.parse_args()
    size = f"{args.partnerships} partnerships × {args.members} members × {args.weeks} weeks"
    with tempfile.TemporaryDirectory() as folder:
        print(f"SQLite, {size}")
        run(f"sqlite:///{Path(folder) / 'bench.db'}", args.partnerships, args.members,
            args.weeks)
    if args.postgres:
        print(f"PostgreSQL, {size}")
        run(fresh_postgres(args.postgres, "lpbot_bench"), args.partnerships, args.members,
            args.weeks)

if __name__ == "__main__":
    main()
