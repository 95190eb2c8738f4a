"""A simulated programme for scheduler tests: two partnerships, members in two time zones."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.compose import build_runtime
from bot.playground.standin import StandIn
from bot.playground.standin.seed import seed_workspace
from bot.playground.standin.server import BOT_TOKEN
from bot.shell.slack_client import make_client
from scheduler.jobs import Wiring, run_cycle
from storage.clock import SteppingClock
from storage.db import SessionFactory
from storage.importer import import_programme
from storage.programme import ProgrammeSpec, parse_programme

TIME_ZONES = {"U0ALPHA2": "America/New_York"}


def simulation_spec(start: str = "2026-06-01", report_back: str = "2027-03-31") -> ProgrammeSpec:
    return parse_programme({
        "programme": {
            "name": "Simulated programme", "timezone": "Europe/London",
            "holiday_region": "England", "start": start, "report_back": report_back,
            "cadence": {"every_weeks": 2, "weekday": "monday", "hour": 10},
            "reminder_days": [2, 4], "report_back_prompt_days": 14,
            "lulls": [
                {"name": "summer hiatus", "start": "2026-07-15", "end": "2026-09-07",
                 "every_weeks": 1, "weekday": "monday"},
                {"name": "winter pressure", "start": "2026-12-01", "end": "2027-02-28",
                 "every_weeks": 1, "weekday": "monday"},
            ],
            "digest": {"channel": "C0DIGEST", "weekday": "monday", "hour": 9},
        },
        "staff": [{"slack_id": "U0STAFF", "name": "Sam Staff"}],
        "partnerships": [
            {"slug": "alpha", "name": "Alpha", "place": "Hull", "challenge": "Inclusive growth",
             "channel": "C0ALPHA", "objectives": ["One", "Two"], "leads": ["U0ALPHA1"],
             "members": [
                 {"slack_id": "U0ALPHA1", "name": "Ann Lead", "institution": "Council"},
                 {"slack_id": "U0ALPHA2", "name": "Bob Abroad", "institution": "University"},
                 {"slack_id": "U0ALPHA3", "name": "Cat Keen", "institution": "University"}]},
            {"slug": "beta", "name": "Beta", "place": "Lincoln", "challenge": "A new hub",
             "channel": "C0BETA", "objectives": ["Hub"], "leads": ["U0BETA1"],
             "members": [
                 {"slack_id": "U0BETA1", "name": "Dee Lead", "institution": "Council"},
                 {"slack_id": "U0BETA2", "name": "Eve Paused", "institution": "College"}]},
        ],
    })


@dataclass
class Sent:
    """A message the stand-in accepted, with the simulated time it was sent."""

    at: datetime
    key: str
    channel: str
    text: str
    thread_ts: str | None


@dataclass
class Simulation:
    standin: StandIn
    session_factory: SessionFactory
    clock: SteppingClock
    wiring: Wiring
    sent: list[Sent] = field(default_factory=list)
    _seen: int = 0

    def collect(self) -> None:
        with self.standin.lock:
            calls = self.standin.calls[self._seen:]
            self._seen = len(self.standin.calls)
        for call in calls:
            if call.method == "chat.postMessage" and call.ok:
                meta = call.args.get("metadata") or {}
                self.sent.append(Sent(self.clock(), meta.get("event_payload", {}).get(
                    "dedupe_key", ""), call.response["channel"], str(call.args.get("text")),
                    call.args.get("thread_ts")))

    def cycle(self) -> Any:
        result = run_cycle(self.wiring)
        self.collect()
        return result

    def run(self, until: datetime, step: timedelta = timedelta(hours=1),
            each: Callable[[Simulation], None] | None = None) -> None:
        while self.clock() < until:
            self.cycle()
            if each is not None:
                each(self)
            self.clock.advance(step)


def make_simulation(standin: StandIn, session_factory: SessionFactory, spec: ProgrammeSpec,
                    start: datetime, time_zones: dict[str, str] | None = None) -> Simulation:
    zones = TIME_ZONES if time_zones is None else time_zones
    seed_workspace(standin, spec, zones)
    clock = SteppingClock(start)
    with session_factory.begin() as session:
        import_programme(spec, session=session, now=clock())
        from sqlalchemy import update

        from storage.models import Person

        for slack_id, tz in zones.items():
            session.execute(update(Person).where(Person.slack_user_id == slack_id)
                            .values(tz=tz))
    client = make_client(BOT_TOKEN, standin.api_url, max_retries=2, backoff_factor=0.001)
    runtime = build_runtime(db=session_factory, clock=clock, client=client, send_rate=0)
    return Simulation(standin, session_factory, clock, runtime.wiring)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)
