"""The composition root: the one place that builds a running lpbot.

``build_runtime`` wires the Bolt app with every listener, the sender of confirmations, the
delivery worker and the scheduler's wiring, once, from a database, a clock and a Slack
client. `lpbot run`, `lpbot serve`, `lpbot scheduler`, the playground and the tests all
build through it, so they run the same objects.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from slack_bolt import App
from slack_bolt.error import BoltError
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.scheduled import BlockKitRenderer
from bot.shell.answers import AnswerPool
from bot.shell.app import create_bolt_app
from bot.shell.deps import Deps
from bot.shell.settings import Settings, SettingsError
from bot.shell.slack_client import make_client
from bot.shell.staff_gate import StaffGate
from bot.shell.view_seal import ViewSeal
from handlers import register
from scheduler.delivery import DeliveryWorker
from scheduler.jobs import Wiring
from scheduler.pacing import RateLimiter
from scheduler.runner import start_scheduler
from storage.audit import file_actor
from storage.calendar_store import programme_calendar
from storage.clock import Clock, system_clock
from storage.db import SessionFactory, open_database, upgrade
from storage.faults import FaultPoint
from storage.importer import import_if_empty
from storage.programme import ProgrammeSpec, load_programme

logger = logging.getLogger("lpbot.compose")


@dataclass
class Runtime:
    """A running lpbot: what every entry point and test holds."""

    db: SessionFactory
    clock: Clock
    client: WebClient
    app: App
    wiring: Wiring
    deps: Deps

    @property
    def answers(self) -> AnswerPool:
        """The pool the listeners hand their answers to."""
        return self.deps.answers

    def close(self) -> None:
        self.answers.shutdown()
        self.db.dispose()


def build_runtime(*, db: SessionFactory, clock: Clock, client: WebClient,
                  signing_secret: str | None = None, verify_token: bool = True,
                  send_rate: float = 20.0, lease: timedelta = timedelta(minutes=2),
                  concurrency: int = 4, fault: FaultPoint | None = None,
                  answer_threads: int = 8, answer_limit: int = 256,
                  answers: AnswerPool | None = None,
                  staff_ids: frozenset[str] = frozenset()) -> Runtime:
    """Everything wired once. ``signing_secret`` is for HTTP mode (requests verified);
    Socket Mode passes None. ``send_rate`` 0 means unlimited (tests, the playground).
    ``answers`` replaces the default pool of ``answer_threads`` threads."""
    fault = fault or FaultPoint.from_env()
    app = create_bolt_app(client=client, signing_secret=signing_secret,
                          verify_token=verify_token)
    # Confirmations go out at once, outside the scheduled sender's rate limit.
    confirmations = DeliveryWorker(db, client, clock, limiter=RateLimiter(0))
    answers = answers or AnswerPool(workers=answer_threads, limit=answer_limit)
    deps = Deps(db=db, clock=clock, send_now=confirmations.deliver_now, fault=fault,
                answers=answers, seal=ViewSeal.for_app(signing_secret, client.token),
                staff=StaffGate(staff_ids))
    register(app, deps)
    worker = DeliveryWorker(db, client, clock, rate=send_rate, lease=lease,
                            concurrency=concurrency, fault=fault)
    wiring = Wiring(db, clock, BlockKitRenderer(), worker, users=client)
    return Runtime(db, clock, client, app, wiring, deps)


def prepare_database(settings: Settings, *, clock: Clock = system_clock,
                     spec: ProgrammeSpec | None = None) -> None:
    """Upgrade the schema and, into an empty database, import the programme.

    The programme is ``spec`` or else the file ``LPBOT_PROGRAMME`` names, read only when
    the database is empty. Done once, by the process that starts the others, so workers
    booting side by side never race to migrate or import.
    """
    upgrade(settings.database_url)
    if spec is None and not settings.programme_path:
        return
    db = open_database(settings.database_url)
    try:
        path = settings.programme_path or ""
        if import_if_empty(db, lambda: spec or load_programme(path), clock(),
                           actor=file_actor(path or "playground")):
            logger.info("imported the programme into the empty database")
    finally:
        db.dispose()


def open_runtime(settings: Settings, *, clock: Clock = system_clock, prepare: bool = True,
                 signing_secret: str | None = None, check_token: bool = True,
                 answers: AnswerPool | None = None, answer_threads: int = 8) -> Runtime:
    """The runtime of a real process: database, a checked Slack token, the app.

    An invalid token or an unreachable Slack stops here with one clear line.
    """
    if prepare:
        prepare_database(settings, clock=clock)
    client = make_client(settings.require("SLACK_BOT_TOKEN"), settings.slack_api_url)
    if check_token:
        _check_token(client, settings)
    db = open_database(settings.database_url)
    try:
        # Checked, Bolt checks again and keeps the answer: left to its first request, each
        # process asked Slack inside that request's ack (and every thread at once did).
        return build_runtime(db=db, clock=clock, client=client,
                             signing_secret=signing_secret, verify_token=check_token,
                             send_rate=settings.send_rate, lease=settings.delivery_lease,
                             answers=answers, answer_threads=answer_threads,
                             staff_ids=settings.staff_ids)
    except BoltError as error:
        db.dispose()
        raise SettingsError(f"could not start the Slack app: {error}") from None


def _check_token(client: WebClient, settings: Settings) -> None:
    try:
        client.auth_test()
    except SlackApiError as error:
        raise SettingsError(
            f"Slack refused SLACK_BOT_TOKEN ({error.response.get('error')}): copy the Bot "
            "User OAuth Token again from your app's 'OAuth & Permissions' page") from None
    except OSError as error:
        raise SettingsError(f"cannot reach Slack at {settings.slack_api_url} "
                            f"({type(error).__name__}): check SLACK_API_URL and the network"
                            ) from None


def run_scheduler(runtime: Runtime, settings: Settings) -> Any:
    """The in-process scheduler: the periodic cycle plus the weekly digest job."""
    cal = programme_calendar(runtime.db)
    return start_scheduler(runtime.wiring, interval_seconds=settings.tick_seconds,
                           digest=(cal.digest_weekday, cal.digest_hour, cal.timezone))
