"""Benchmark: `lpbot serve` (gunicorn, 2 workers) on the 1,000-partnership data set, driven
by signed requests from this process at a fixed concurrency. Prints throughput and
p50/p99 for `/lp status`, check-in submissions and a no-op command in the same run.

    python -m bench.load [--seconds 20] [--concurrency 16] [--postgres URL]

Latency of a slash command is measured until its answer reaches the response_url (what
a person waits for); a submission until Slack gets the HTTP answer (stored by then).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import select

from bench.data import fresh_postgres
from bench.insight import build_in_child
from bot.blocks.checkin import checkin_modal
from bot.playground.standin import StandIn
from bot.playground.standin.driver import SlackDriver
from bot.playground.standin.server import BOT_TOKEN, SIGNING_SECRET
from bot.playground.standin.workspace import View
from bot.shell.view_seal import ViewClaim, ViewSeal
from storage.checkins import version
from storage.db import open_database
from storage.forms import ObjectiveChoice
from storage.models import Checkin

PARTNERSHIPS, MEMBERS, WEEKS = 1000, 20, 104


class Waiter:
    """Time from sending a command to its response_url answer."""

    def __init__(self) -> None:
        self.events: dict[str, threading.Event] = {}
        self.lock = threading.Lock()

    def expect(self, response_id: str) -> threading.Event:
        with self.lock:
            event = self.events[response_id] = threading.Event()
        return event

    def arrived(self, response_id: str) -> None:
        with self.lock:
            event = self.events.pop(response_id, None)
        if event is not None:
            event.set()


def _scenario(name: str, action: Callable[[random.Random], bool], seconds: float,
              concurrency: int) -> tuple[str, list[float], int]:
    stop = time.monotonic() + seconds
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def loop(seed: int) -> None:
        rng = random.Random(seed)
        while time.monotonic() < stop:
            started = time.perf_counter()
            ok = action(rng)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                if ok:
                    latencies.append(elapsed)
                else:
                    errors[0] += 1

    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(loop, range(concurrency)))
    return name, latencies, errors[0]


def _report(results: list[tuple[str, list[float], int]], seconds: float) -> None:
    p99: dict[str, float] = {}
    for name, latencies, errors in results:
        ordered = sorted(latencies) or [0.0]
        p99[name] = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
        print(f"  {name:<22} {len(latencies) / seconds:7.1f} req/s   p50 "
              f"{statistics.median(ordered):6.1f} ms   p99 {p99[name]:6.1f} ms   "
              f"errors {errors}")
    if p99.get("no-op /lp help"):
        print(f"  /lp status p99 is {p99['/lp status'] / p99['no-op /lp help']:.1f}× the "
              "no-op command's")


def _bases(url: str) -> dict[int, str]:
    """Each person's check-in in the latest round, as a form opened now would seal it
    (the server refuses a form opened before the check-in it would overwrite)."""
    db = open_database(url)
    try:
        with db() as session:
            latest = [p * WEEKS + WEEKS for p in range(PARTNERSHIPS)]
            return {c.person_id: version(c) for c in session.scalars(
                select(Checkin).where(Checkin.round_id.in_(latest)))}
    finally:
        db.dispose()


def run(url: str, seconds: float, concurrency: int, workers: int) -> None:
    build_in_child(url, PARTNERSHIPS, MEMBERS, WEEKS)
    bases = _bases(url)
    seal = ViewSeal.for_app(SIGNING_SECRET, None)  # the server's, from the same secret
    people = list(range(PARTNERSHIPS * MEMBERS))
    random.Random(7).shuffle(people)
    fresh = iter(people)  # each person submits once, so every seal is of the latest version
    fresh_lock = threading.Lock()
    waiter = Waiter()
    with StandIn() as standin, tempfile.TemporaryDirectory() as folder:
        standin.on_response = waiter.arrived
        with standin.lock:
            for i in range(PARTNERSHIPS * MEMBERS):
                standin.workspace.add_user(f"U{i + 1:09d}", f"Person {i + 1}")
        port = 3900 + random.Random().randint(0, 90)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "LPBOT_"))}
        env.update(SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET,
                   SLACK_API_URL=standin.api_url, DATABASE_URL=url, LPBOT_LOG_LEVEL="WARNING")
        server = subprocess.Popen(
            [sys.executable, "-m", "bot.entry.cli", "serve", "--host", "127.0.0.1", "--port",
             str(port), "--workers", str(workers)], env=env, cwd=folder,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    urllib.request.urlopen(base + "/healthz", timeout=1)
                    break
                except OSError:
                    time.sleep(0.1)
            driver = SlackDriver(standin, app_url=base + "/slack/events")
            counter = iter(range(10**9))

            def command(user: str, line: str) -> bool:
                response_id = f"L{next(counter)}"
                event = waiter.expect(response_id)
                reply = driver.command(user, line, response_id=response_id)
                return reply.status == 200 and event.wait(10)

            def noop(rng: random.Random) -> bool:
                return command(f"U{rng.randrange(PARTNERSHIPS * MEMBERS) + 1:09d}", "help")

            def status(rng: random.Random) -> bool:
                lead = rng.randrange(PARTNERSHIPS) * MEMBERS + 1
                return command(f"U{lead:09d}", "status")

            def submit(rng: random.Random) -> bool:
                with fresh_lock:
                    person = next(fresh, None)
                if person is None:
                    return False  # everyone has checked in once
                partnership = person // MEMBERS + 1
                claim = ViewClaim("checkin", f"U{person + 1:09d}", partnership,
                                  bases.get(person + 1, ""))
                view = checkin_modal(metadata=seal.seal(claim), partnership_name="P",
                                     challenge="c", objectives=[ObjectiveChoice(
                                         (partnership - 1) * 3 + 1, "Objective 1")])
                stored = View(id=f"VLOAD{next(counter)}", user="", hash="h", root_view_id="",
                              view=json.loads(json.dumps(view.to_dict())))
                reply = driver.submit(f"U{person + 1:09d}", stored, {
                    "momentum": str(rng.randint(1, 5)), "highlights": "Load test",
                    f"obj_status:{(partnership - 1) * 3 + 1}": "on_track"})
                return reply.status == 200 and reply.body == ""

            results = [_scenario(name, action, seconds, concurrency) for name, action in (
                ("no-op /lp help", noop), ("/lp status", status), ("check-in submission",
                                                                    submit))]
            _report(results, seconds)
        finally:
            server.terminate()
            server.wait(timeout=30)


def main() -> None:
    global PARTNERSHIPS, WEEKS
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--postgres", help="also run on this PostgreSQL server URL")
    parser.add_argument("--partnerships", type=int, default=PARTNERSHIPS)
    parser.add_argument("--weeks", type=int, default=WEEKS)
    args = parser.parse_args()
    PARTNERSHIPS, WEEKS = args.partnerships, args.weeks
    print(f"lpbot serve, {args.workers} gunicorn workers, {args.concurrency} concurrent "
          f"clients, {args.seconds:.0f} s per scenario")
    with tempfile.TemporaryDirectory() as folder:
        print("SQLite")
        run(f"sqlite:///{Path(folder) / 'load.db'}", args.seconds, args.concurrency,
            args.workers)
    if args.postgres:
        print("PostgreSQL")
        run(fresh_postgres(args.postgres, "lpbot_load"), args.seconds, args.concurrency,
            args.workers)

if __name__ == "__main__":
    main()


