"""CPU per request of each path, in-process: the numbers behind bench.load's "server CPU
per request", without the noise of a shared machine's scheduler. The requests go through
the same WSGI app `lpbot serve` runs (signature check, Bolt, listener, answer pool: here
in this process, with as many threads as serve's answer process has, so its CPU counts);
the local Slack stand-in runs in a child process so its work is not counted.

    python -m bench.costs [--db PATH] [--requests 200]
                          [--kinds help,status,all,checkin,checkin_home]
                          [--profile KIND] [--repeat N]

``--db`` caches the 1,000 × 20 × 104 SQLite data set (built there when missing, copied
for each run, since check-ins write to it). ``--profile KIND`` prints cProfile's top
functions for that kind, by CPU time of every thread (BENCH_SORT=tottime and BENCH_ONLY=a
regular expression of files change the listing). CPU is time.process_time of this
process: Bolt's threads and the answer pool's included, the stand-in's not. ``--repeat N``
runs the kinds in turn N times and prints each kind's least and median figure: other
processes only ever add to a figure, so the least is the best estimate of the cost.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import multiprocessing
import os
import pstats
import random
import shutil
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import thread
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.bodies import checkin_body, command_body
from bench.insight import build_in_child
from bench.load import COMMAND_TEXT, MEMBERS, PARTNERSHIPS, STAFF_ID, WEEKS, _add_staff, _bases
from bot.entry.answer_process import ANSWER_THREADS
from bot.playground.standin.driver import signature
from bot.playground.standin.server import BOT_TOKEN, SIGNING_SECRET
from bot.shell.view_seal import ViewSeal
from bot.shell.web import make_wsgi

KINDS = ("help", "status", "all", "checkin", "checkin_home")
OURS = r"/(storage|handlers|bot|bench)/|slack_sdk/(models|webhook)|sqlalchemy/orm/session"


def _standin(queue: Any, users: int) -> None:
    from bot.playground.standin import StandIn

    with StandIn() as standin:
        for i in range(users):
            standin.workspace.add_user(f"U{i + 1:09d}", f"Person {i + 1}")
        standin.workspace.add_user(STAFF_ID, "Staff member")
        queue.put(standin.url)
        queue.get()  # until told to stop


def _bodies(kind: str, count: int, url: str, seal: ViewSeal, bases: dict[int, str],
            people: list[int]) -> list[bytes]:
    rng = random.Random(kind)
    out = []
    for n in range(count):
        if kind.startswith("checkin"):  # from a DM prompt, or from the App Home tab
            person = people.pop()
            partnership = (person - 1) // MEMBERS + 1
            out.append(checkin_body(seal, f"U{person:09d}", partnership,
                                    (partnership - 1) * 3 + 1, bases.get(person, ""),
                                    rng.randint(1, 5), f"VCOST{kind}{n}{person}",
                                    home=kind == "checkin_home"))
            continue
        user = (f"U{rng.randrange(PARTNERSHIPS * MEMBERS) + 1:09d}" if kind == "help" else
                f"U{rng.randrange(PARTNERSHIPS) * MEMBERS + 1:09d}" if kind == "status"
                else STAFF_ID)
        out.append(command_body(user, COMMAND_TEXT[kind], f"{url}/respond/c{kind}{n}",
                                f"T{kind}{n}"))
    return out


def _environ(body: bytes) -> dict[str, Any]:
    stamp = str(int(time.time()))
    return {"REQUEST_METHOD": "POST", "PATH_INFO": "/slack/events", "QUERY_STRING": "",
            "CONTENT_TYPE": "application/x-www-form-urlencoded",
            "CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body),
            "HTTP_X_SLACK_REQUEST_TIMESTAMP": stamp,
            "HTTP_X_SLACK_SIGNATURE": signature(SIGNING_SECRET, stamp, body),
            "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "wsgi.url_scheme": "http",
            "SERVER_PROTOCOL": "HTTP/1.1"}


class _ThreadProfiles:
    """cProfile for every pool thread as well (Bolt's listeners, the answer pool): each
    thread's work item runs under a profiler of its own, merged at the end."""

    def __init__(self) -> None:
        self.profiles: list[cProfile.Profile] = []
        self.local = threading.local()
        self.original = thread._WorkItem.run

        def run(item: Any) -> None:
            profile = getattr(self.local, "profile", None)
            if profile is None:
                profile = self.local.profile = cProfile.Profile(time.thread_time)
                self.profiles.append(profile)
            profile.enable()
            try:
                self.original(item)
            finally:
                profile.disable()

        thread._WorkItem.run = run  # type: ignore[method-assign]

    def stop(self) -> list[cProfile.Profile]:
        thread._WorkItem.run = self.original  # type: ignore[method-assign]
        return self.profiles


def _measure(app: Callable[..., Any], idle: Callable[[], None], bodies: list[bytes],
             profile: bool) -> tuple[float, float, float]:
    """CPU ms per request (ack and answer), median and max ack wall ms."""
    statuses: list[str] = []
    profiler = cProfile.Profile(time.thread_time) if profile else None
    threads = _ThreadProfiles() if profile else None
    acks = []
    cpu = time.process_time()
    if profiler:
        profiler.enable()
    for body in bodies:
        started = time.perf_counter()
        b"".join(app(_environ(body), lambda status, headers, *_: statuses.append(status)))
        acks.append((time.perf_counter() - started) * 1000)
    time.sleep(0.05)  # Bolt's listener threads hand their work over after the ack
    idle()
    if profiler and threads:
        profiler.disable()
        stats = io.StringIO()
        order, only = os.environ.get("BENCH_SORT", "cumulative"), os.environ.get("BENCH_ONLY", OURS)
        pstats.Stats(profiler, *threads.stop(), stream=stats).sort_stats(order).print_stats(
            only, 60)
        print(stats.getvalue())
    used = (time.process_time() - cpu) * 1000 / len(bodies)
    if any(not s.startswith("200") for s in statuses):
        print(f"  (non-200 answers: {sorted(set(statuses))})")
    return used, statistics.median(acks), max(acks)


def run(db_path: Path, kinds: list[str], count: int, profile: str | None,
        repeat: int = 1) -> dict[str, float]:
    """Print each kind's CPU per request, run by run; return each kind's median."""
    from bot.compose import build_runtime
    from bot.shell.slack_client import make_client
    from storage.clock import system_clock
    from storage.db import open_database

    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    child = context.Process(target=_standin, args=(queue, PARTNERSHIPS * MEMBERS))
    child.start()
    standin_url = queue.get()
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "costs.db"
        shutil.copyfile(db_path, copy)
        url = f"sqlite:///{copy}"
        bases = _bases(url)
        people = list(range(1, PARTNERSHIPS * MEMBERS + 1))
        random.Random(3).shuffle(people)
        db = open_database(url)
        client = make_client(BOT_TOKEN, standin_url + "/api/")
        runtime = build_runtime(db=db, clock=system_clock, client=client,
                                signing_secret=SIGNING_SECRET, verify_token=False,
                                # every answer computed (none refused), on as many
                                # threads as lpbot serve's answer process has
                                answer_limit=100_000, answer_threads=ANSWER_THREADS)
        app = make_wsgi(runtime.app, db)
        seal = ViewSeal.for_app(SIGNING_SECRET, BOT_TOKEN)
        figures: dict[str, list[float]] = {kind: [] for kind in kinds}
        try:
            for _ in range(repeat):  # kinds in turn, so the machine's drift touches each
                for kind in kinds:
                    n = max(3, count // 20) if kind == "all" else count
                    warm = _bodies(kind, 5, standin_url, seal, bases, people)
                    _measure(app, runtime.answers.wait_idle, warm, False)
                    bodies = _bodies(kind, n, standin_url, seal, bases, people)
                    used, p50, worst = _measure(app, runtime.answers.wait_idle, bodies,
                                                profile == kind)
                    figures[kind].append(used)
                    print(f"  {kind:12} {used:7.2f} ms CPU/request   ack wall p50 "
                          f"{p50:6.2f} ms, max {worst:7.2f} ms   ({n} requests)", flush=True)
            if repeat > 1:  # noise only adds: the least is the cost, the median the usual
                for kind, used_each in figures.items():
                    print(f"  {kind:12} least {min(used_each):6.2f} ms, median "
                          f"{statistics.median(used_each):6.2f} ms CPU/request "
                          f"over {repeat} runs")
            return {kind: statistics.median(used) for kind, used in figures.items()}
        finally:
            runtime.close()
            queue.put("stop")
            child.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path,
                        default=Path(tempfile.gettempdir()) / "lpbot-bench-costs.db")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument("--profile", choices=KINDS)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each kind, in turn")
    options = parser.parse_args()
    if not options.db.exists():
        partial = options.db.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        build_in_child(f"sqlite:///{partial}", PARTNERSHIPS, MEMBERS, WEEKS,
                       now=datetime.now(UTC))
        _add_staff(f"sqlite:///{partial}")
        partial.rename(options.db)
    print(f"in-process CPU per request, {PARTNERSHIPS} × {MEMBERS} × {WEEKS} (SQLite, "
          f"{options.db})")
    run(options.db, options.kinds.split(","), options.requests, options.profile,
        max(1, options.repeat))


if __name__ == "__main__":
    main()
