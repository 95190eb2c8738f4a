"""Load benchmark reporting ratios, not absolute times: `lpbot serve` against a no-op Bolt
app under the same gunicorn settings (bench.floor), both driven by the same load
generator (wrk when installed, else bench.loadgen) with pre-signed Slack requests,
interleaved floor, lpbot, floor, lpbot … so this shared machine's drift touches both.
Prints figures and targets; asserts nothing.

    python -m bench.load [--seconds 15] [--rounds 2] [--connections 16] [--python]
                         [--postgres URL] [--db CACHED_SQLITE_FILE]

Data: 1,000 partnerships × 20 members × 104 weeks (~1.5 M check-ins), built once.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert, select

from bench import loadgen
from bench.bodies import checkin_body, command_body
from bench.data import fresh_postgres
from bench.insight import STAFF_ID, build_in_child, staff_figures
from bench.measure import tree_cpu_seconds
from bench.report import Measured, Run, print_table
from bot.blocks.messages import BUSY
from bot.playground.standin import StandIn
from bot.playground.standin.server import BOT_TOKEN, SIGNING_SECRET
from bot.shell.answer_process import NICENESS
from bot.shell.view_seal import ViewSeal
from storage.checkins import version
from storage.db import make_engine, open_database
from storage.models import Checkin, Person

PARTNERSHIPS, MEMBERS, WEEKS = 1000, 20, 104
SCENARIOS = (("/lp help", ("help",)), ("/lp status (lead)", ("status",)),
             ("/lp status all (staff)", ("all",)), ("check-in submission", ("checkin",)),
             ("mixed", ("all", "status", "help", "checkin")))
COMMAND_TEXT = {"help": "help", "status": "status", "all": "status all"}
REFUSED = re.compile(r"answer pool full: (\d+) refused")  # lpbot serve's log lines
COST_REQUESTS = 400  # bench.costs requests a kind a run (three runs) for the CPU per answer


class Programme:
    """The people of the data set and the signed requests they send."""

    def __init__(self, url: str, standin: StandIn, checkin_runs: int) -> None:
        self.standin = standin
        self.seal = ViewSeal.for_app(SIGNING_SECRET, BOT_TOKEN)  # the server's seal
        self.bases = _bases(url)
        people = list(range(1, PARTNERSHIPS * MEMBERS + 1))
        random.Random(7).shuffle(people)
        self.unsubmitted = people  # each submits once: every seal is of the latest version
        self.quota = len(people) // max(1, checkin_runs)
        self.serial = 0

    def bodies(self, run: int, kind: str, count: int = 1000) -> list[bytes]:
        """Requests of ``kind`` for one run (check-ins: each person's first, this run's
        share of them; commands: ``count`` of them, replayed in turn)."""
        rng = random.Random(run)
        if kind == "checkin":
            chosen, self.unsubmitted = (self.unsubmitted[:self.quota],
                                        self.unsubmitted[self.quota:])
            return [self._checkin(person, rng) for person in chosen]
        out = []
        for n in range(count):
            if kind == "help":
                user = f"U{rng.randrange(PARTNERSHIPS * MEMBERS) + 1:09d}"
            elif kind == "status":
                user = f"U{rng.randrange(PARTNERSHIPS) * MEMBERS + 1:09d}"  # a lead
            else:
                user = STAFF_ID
            url = self.standin.new_response_url(f"bench:{kind}", f"r{run}-{kind}-{n}")
            out.append(command_body(user, COMMAND_TEXT[kind], url, f"T{run}.{kind}.{n}"))
        return out

    def _checkin(self, person: int, rng: random.Random) -> bytes:
        self.serial += 1
        partnership = (person - 1) // MEMBERS + 1
        return checkin_body(self.seal, f"U{person:09d}", partnership, (partnership - 1) * 3 + 1,
                            self.bases.get(person, ""), rng.randint(1, 5), f"VLOAD{self.serial}")


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


def _add_staff(url: str) -> None:
    db = open_database(url)
    try:
        with db.begin() as session:
            session.execute(insert(Person).values(
                id=PARTNERSHIPS * MEMBERS + 1, slack_user_id=STAFF_ID, name="Staff member",
                institution=None, tz=None, is_staff=True, active=True,
                reminders_enabled=True))
    finally:
        db.dispose()


class Answers:
    """Counts response_url answers per run and kind while the run's load lasts."""

    def __init__(self) -> None:
        self.open: int | None = None
        self.counts: dict[tuple[int, str], int] = {}

    def arrived(self, response_id: str) -> None:
        run, kind, _ = response_id[1:].split("-", 2)
        if self.open == int(run):
            key = (int(run), kind)
            self.counts[key] = self.counts.get(key, 0) + 1  # only the stand-in's threads


@contextmanager
def serving(module: str, args: list[str], env: dict[str, str], port: int,
            folder: str) -> Iterator[subprocess.Popen[bytes]]:
    """A server process (gunicorn's master) answering /healthz, stopped on leaving."""
    log = Path(folder) / f"{module}.log"
    with log.open("wb") as out:
        server = subprocess.Popen([sys.executable, "-m", module, *args, "--host", "127.0.0.1",
                                   "--port", str(port), "--workers", env["BENCH_WORKERS"]],
                                  env=env, cwd=folder, stdout=subprocess.DEVNULL, stderr=out)
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except OSError:
                if server.poll() is not None:
                    raise SystemExit(f"{module} stopped while starting") from None
                time.sleep(0.1)
        yield server
    finally:
        server.terminate()
        server.wait(timeout=30)
        lines = log.read_text(errors="replace").splitlines()
        print(f"  {module}'s log: {sum('ERROR' in x for x in lines)} errors, "
              f"{sum('ack()' in x for x in lines)} missed acks (Bolt's \"didn't call ack()\"), "
              f"{sum(int(m[1]) for m in map(REFUSED.search, lines) if m)} answers refused "
              "as busy")


def one_run(run: int, name: str, label: str, requests: dict[str, list[bytes]],
            server: subprocess.Popen[bytes], port: int, standin: StandIn, answers: Answers,
            options: argparse.Namespace, folder: str) -> Run:
    """One scenario against one server: every kind's generator at once, sharing the
    connections; CPU from the first request until the answers have stopped coming.
    ``run`` is the tag the requests' response_urls carry."""
    kinds = tuple(requests)
    stamp = int(time.time())  # signed now: Slack allows five minutes
    files = {}
    for kind in kinds:
        files[kind] = Path(folder) / f"run{run}-{label}-{kind}.txt"
        loadgen.write_requests(files[kind], requests[kind], SIGNING_SECRET, stamp)
    per_kind = max(1, options.connections // len(kinds))
    confirmations = len(standin.calls_to("chat.postMessage"))
    responses = len(standin.responses)
    cpu = tree_cpu_seconds(server.pid)
    answers.open = run
    processes = {kind: loadgen.start(f"http://127.0.0.1:{port}/slack/events", files[kind],
                                     options.seconds, per_kind, use_wrk=options.wrk)
                 for kind in kinds}
    results = {kind: loadgen.finish(process) for kind, process in processes.items()}
    answers.open = None
    with standin.lock:  # "try again" notices go out on their own thread: count the load's
        busy = [r.get("user", "") for r in standin.responses[responses:]
                if r.get("text") == BUSY]
    confirmed = len(standin.calls_to("chat.postMessage")) - confirmations
    _drain(standin)
    cpu = tree_cpu_seconds(server.pid) - cpu
    # "Try again" comes at the response_url, or in the ack itself (bench.measure.Result.busy).
    measured = {kind: Measured(results[kind], results[kind].busy + (
                    confirmed if kind == "checkin" else answers.counts.get((run, kind), 0)),
                               busy.count(f"bench:{kind}") + results[kind].busy)
                for kind in kinds}
    return Run(name, measured, cpu)


def _drain(standin: StandIn, quiet: float = 1.0, limit: float = 180.0) -> None:
    """Wait until the answers have stopped (nothing reached the stand-in for ``quiet``
    seconds), so one run's backlog is neither counted in nor slows the next."""
    deadline = time.monotonic() + limit
    seen = (-1, -1)
    while time.monotonic() < deadline:
        now = (len(standin.calls), len(standin.responses))
        if now == seen:
            return
        seen = now
        time.sleep(quiet)


def prepare(url: str, cached: Path | None) -> None:
    """Build the data set at ``url``, or copy the cached one (built there when missing:
    check-ins write to the copy, never to the cache)."""
    if cached is None:
        build_in_child(url, PARTNERSHIPS, MEMBERS, WEEKS, now=datetime.now(UTC))
        _add_staff(url)
        return
    if not cached.exists():
        partial = cached.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        prepare(f"sqlite:///{partial}", None)
        partial.rename(cached)
    shutil.copyfile(cached, url.removeprefix("sqlite:///"))


def run(url: str, options: argparse.Namespace) -> None:
    prepare(url, options.db if url.startswith("sqlite") else None)
    engine = make_engine(url)
    staff_figures(engine, datetime.now(UTC))
    engine.dispose()
    cpu = answer_costs(url)
    answers = Answers()
    scenarios = [(name, kinds) for name, kinds in SCENARIOS
                 if not options.only or any(word in name for word in options.only)]
    checkin_runs = options.rounds * sum("checkin" in k for _, k in scenarios)
    # Slack's side of the answers (the stand-in here, Slack's servers in use) runs behind
    # the servers, as lpbot's answers do: the floor sends none, so at the same priority it
    # would slow only lpbot's acks.
    with StandIn(niceness=NICENESS) as standin, tempfile.TemporaryDirectory() as folder:
        standin.on_response = answers.arrived
        with standin.lock:
            for i in range(PARTNERSHIPS * MEMBERS):
                standin.workspace.add_user(f"U{i + 1:09d}", f"Person {i + 1}")
            standin.workspace.add_user(STAFF_ID, "Staff member")
        programme = Programme(url, standin, checkin_runs)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "LPBOT_"))}
        env.update(SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET,
                   SLACK_API_URL=standin.api_url, DATABASE_URL=url, LPBOT_LOG_LEVEL="WARNING",
                   BENCH_WORKERS=str(options.workers),
                   PYTHONPATH=os.pathsep.join([str(Path(__file__).parent.parent),
                                               env.get("PYTHONPATH", "")]).rstrip(os.pathsep))
        ports = random.Random().sample(range(3900, 3990), 2)
        with serving("bench.floor", [], env, ports[0], folder) as floor, \
                serving("bot.entry.cli", ["serve"], env, ports[1], folder) as lpbot:
            servers = (("floor", floor, ports[0]), ("lpbot", lpbot, ports[1]))
            runs: list[tuple[str, Run]] = []
            serial = 0
            for name, kinds in scenarios:
                for _ in range(options.rounds):
                    serial += 1
                    requests = {kind: programme.bodies(serial, kind) for kind in kinds}
                    for label, server, port in servers:  # the same requests, A then B
                        runs.append((label, one_run(serial, name, label, requests, server,
                                                    port, standin, answers, options,
                                                    folder)))
                        print(".", end="", flush=True)
            print()
    print_table(runs, [name for name, _ in scenarios], cpu)


def answer_costs(url: str) -> dict[str, float] | None:
    """CPU per answer of a lead's status and a check-in, every answer computed (bench.costs,
    on a copy of this data set before any load); None where bench.costs does not apply (a
    PostgreSQL run, or a data set of another size)."""
    from bench import costs  # here: bench.costs imports this module's figures

    if not url.startswith("sqlite") or (PARTNERSHIPS, WEEKS) != (costs.PARTNERSHIPS,
                                                                 costs.WEEKS):
        return None
    print("CPU per answer, in-process (bench.costs):", flush=True)
    return costs.run(Path(url.removeprefix("sqlite:///")), ["status", "checkin"],
                     COST_REQUESTS, None, repeat=3)


def main() -> None:
    global PARTNERSHIPS, WEEKS
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=15, help="per run")
    parser.add_argument("--rounds", type=int, default=2, help="floor/lpbot pairs a scenario")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", nargs="*", default=[], metavar="WORD",
                        help="only the scenarios whose name has one of these words")
    parser.add_argument("--python", action="store_true", help="bench.loadgen, not wrk")
    parser.add_argument("--postgres", help="also run on this PostgreSQL server URL")
    parser.add_argument("--partnerships", type=int, default=PARTNERSHIPS)
    parser.add_argument("--weeks", type=int, default=WEEKS)
    parser.add_argument("--db", type=Path, help="SQLite data set to copy (built there once, "
                        "when missing; its rounds are dated from when it was built)")
    options = parser.parse_args()
    PARTNERSHIPS, WEEKS = options.partnerships, options.weeks
    options.wrk = loadgen.has_wrk() and not options.python
    print(f"lpbot serve vs the no-op floor, {options.workers} gunicorn workers each, "
          f"{'wrk' if options.wrk else 'bench.loadgen (wrk not installed)'}, "
          f"{options.connections} connections, {options.seconds:g} s a run, "
          f"{options.rounds} rounds interleaved; load average at start "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        print(f"SQLite, {PARTNERSHIPS} partnerships × {MEMBERS} members × {WEEKS} weeks")
        run(f"sqlite:///{Path(folder) / 'load.db'}", options)
    if options.postgres:
        print("PostgreSQL")
        run(fresh_postgres(options.postgres, "lpbot_load"), options)
    print(f"load average at the end {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
