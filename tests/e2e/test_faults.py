"""Faults: crashes mid-submission, the database away, Slack refusing or slow; secrets."""

from __future__ import annotations

import logging
import sqlite3
from datetime import timedelta
from pathlib import Path
from urllib.error import URLError

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse
from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.engine import make_url

from bot.playground.standin import StandIn
from bot.playground.standin.driver import SlackDriver
from bot.playground.standin.seed import seed_workspace
from bot.playground.standin.server import BOT_TOKEN, SIGNING_SECRET
from bot.shell.settings import configure_logging
from bot.shell.slack_client import make_client
from handlers.common import best_effort
from scheduler.delivery import DeliveryWorker
from scheduler.pacing import RateLimiter
from storage.clock import SteppingClock
from storage.db import SessionFactory, make_engine, make_session_factory
from storage.models import Checkin, Delivery
from storage.outbox import queue_message
from tests.conftest import EXAMPLE
from tests.harness import HULL_LEAD, HULL_MEMBER, SPEC, Harness, running_bot, text_of
from tests.processes import free_port, lpbot_env, lpbot_process, wait_until, wait_until_up


def count_checkins(session_factory: SessionFactory) -> int:
    with session_factory() as session:
        return session.scalar(select(func.count()).select_from(Checkin)) or 0


@pytest.mark.parametrize("kill_at", [1, 2])
def test_answer_process_killed_after_storing_a_checkin(tmp_path: Path, sqlite_url: str,
                                                       kill_at: int) -> None:
    """The answer process dies after storing the ``kill_at``-th check-in, before confirming
    it: the worker hands the check-in to the next answer process, which finds it stored (by
    its view's id) and confirms it. Stored once, each answer confirmed once."""
    port = free_port()
    with StandIn() as standin:
        seed_workspace(standin, SPEC)
        env = lpbot_env(SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET,
                        SLACK_API_URL=standin.api_url, DATABASE_URL=sqlite_url,
                        LPBOT_PROGRAMME=str(EXAMPLE), LPBOT_FAULT=f"checkin_stored:{kill_at}")
        base = f"http://127.0.0.1:{port}"
        args = ["serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"]
        driver = SlackDriver(standin, app_url=base + "/slack/events")
        log = tmp_path / "killed.log"

        def confirmations() -> list[object]:
            return [m for m in driver.dms(HULL_MEMBER) if "check-in" in m.text]

        with lpbot_process(args, env, log) as process:
            wait_until_up(base + "/healthz", process, log)
            for attempt in range(kill_at):
                driver.command(HULL_MEMBER, "checkin")
                standin.wait_for(lambda n=attempt: len(standin.calls_to("views.open")) > n)
                view = driver.last_view(HULL_MEMBER)
                reply = driver.submit(HULL_MEMBER, view, {"momentum": str(attempt + 2)})
                assert reply.status == 200 and reply.body == ""  # the form closes at once
                standin.wait_for(lambda n=attempt: len(confirmations()) > n, timeout=60)
            engine = make_engine(sqlite_url)
            factory = make_session_factory(engine)

            def statuses() -> dict[str, str]:
                with factory() as session:
                    return dict(session.execute(select(Delivery.dedupe_key, Delivery.status)
                                                .where(Delivery.kind == "confirm")).all())

            wait_until(lambda: set(statuses().values()) == {"sent"})  # marked after sending
            with factory() as session:
                momentum = session.scalar(select(Checkin.momentum))
            assert count_checkins(factory) == 1 and momentum == kill_at + 1
            sent = statuses()
            engine.dispose()
        assert "0 answer(s) lost" in log.read_text()  # what it held went to the next one
        assert len(confirmations()) == len(sent) == kill_at


def test_database_unavailable_at_submit(example_programme: SessionFactory, database_url: str,
                                        clock: SteppingClock, tmp_path: Path) -> None:
    """The form closes when the answers are handed over; storing them fails, so the member
    is told by DM, with everything they typed, and checks in again."""
    engine = make_engine(database_url, busy_timeout=0.2)
    session_factory = make_session_factory(engine)
    with running_bot(session_factory, clock) as bot:
        view = bot.open_modal(HULL_MEMBER)
        values = {"momentum": "4", "highlights": "Kept safe while the database was away",
                  "blockers": "<!channel> *loud*"}
        with database_away(database_url):
            reply = bot.driver.submit(HULL_MEMBER, view, values)  # waits for the answer
        assert reply.status == 200 and reply.body == ""
        assert count_checkins(session_factory) == 0
        told = bot.dms_after(HULL_MEMBER, 1)[0]
        assert "didn't save" in told.text and "couldn't reach my records" in told.text
        given_back = [b["text"] for b in told.blocks or [] if b["type"] == "section"]
        assert "Highlights since last time: Kept safe while the database was away" \
            in [t["text"] for t in given_back]
        assert {"type": "plain_text", "text": "Blockers: <!channel> *loud*", "emoji": False} \
            in given_back  # plain text: shown as typed, never a mention or markup
        again = bot.open_modal(HULL_MEMBER)
        assert bot.driver.submit(HULL_MEMBER, again, values).status == 200
        assert count_checkins(session_factory) == 1
        # The member hears it was stored once.
        confirmations = bot.dms_after(HULL_MEMBER, 2)
        assert len(confirmations) == 2 and "check-in" in confirmations[1].text
    engine.dispose()


class database_away:
    """SQLite: another connection holds the write lock. PostgreSQL: connections refused."""

    def __init__(self, url: str) -> None:
        self.url = url

    def __enter__(self) -> None:
        if self.url.startswith("sqlite"):
            self.lock = sqlite3.connect(make_url(self.url).database or "", isolation_level=None)
            self.lock.execute("BEGIN EXCLUSIVE")
            return
        name = make_url(self.url).database
        self.admin = create_engine(make_url(self.url).set(database="postgres"),
                                   isolation_level="AUTOCOMMIT")
        with self.admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE datname = :name AND pid <> pg_backend_pid()"),
                         {"name": name})

    def __exit__(self, *exc: object) -> None:
        if self.url.startswith("sqlite"):
            self.lock.rollback() if self.lock.in_transaction else None
            self.lock.close()
            return
        with self.admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{make_url(self.url).database}" '
                              "ALLOW_CONNECTIONS true"))
        self.admin.dispose()


def test_revoked_token_mid_run_keeps_serving(bot: Harness) -> None:
    worker = DeliveryWorker(bot.session_factory, make_client(BOT_TOKEN, bot.standin.api_url),
                            bot.clock, limiter=RateLimiter(0))
    with bot.session_factory.begin() as session:
        queue_message(session, kind="prompt", recipient=HULL_MEMBER, dedupe_key="prompt:x",
                      payload={"text": "Time to check in"}, now=bot.clock())
    bot.standin.revoked = True
    report = worker.run_once()
    assert report.errors == {"token_revoked": 1} and report.sent == 0
    assert "Partnership status" in text_of(bot.command(HULL_MEMBER, "status"))  # still serving
    bot.standin.revoked = False
    bot.clock.advance(timedelta(hours=1))
    assert worker.run_once().sent == 1


def test_slack_out_of_reach_after_an_action_is_logged_not_raised(
        caplog: pytest.LogCaptureFixture) -> None:
    # What follows a stored check-in (confirmation, App Home) must not turn into a listener
    # error when Slack cannot be reached after the client's own retries.
    caplog.set_level(logging.WARNING)
    with best_effort("home publish", user=HULL_MEMBER):
        raise URLError(ConnectionRefusedError(111, "Connection refused"))
    with best_effort("dm", user=HULL_MEMBER):
        raise SlackApiError("refused", SlackResponse(
            client=None, http_verb="POST", api_url="", req_args={}, data={
                "ok": False, "error": "account_inactive"}, headers={}, status_code=200))
    assert f"home publish failed user={HULL_MEMBER} error=URLError" in caplog.text
    assert f"dm failed user={HULL_MEMBER} error=account_inactive" in caplog.text
    with pytest.raises(ValueError), best_effort("dm", user=HULL_MEMBER):
        raise ValueError("a bug is not Slack being away")


def test_ratelimited_views_open_is_retried(bot: Harness) -> None:
    bot.standin.fail("views.open", "ratelimited", times=1, retry_after=0)
    view = bot.open_modal(HULL_MEMBER)
    assert view.view["callback_id"] == "checkin"


def test_timeout_is_reconciled_not_sent_twice(bot: Harness) -> None:
    client = make_client(BOT_TOKEN, bot.standin.api_url, timeout=1)
    worker = DeliveryWorker(bot.session_factory, client, bot.clock, limiter=RateLimiter(0),
                            lease=timedelta(minutes=2))
    with bot.session_factory.begin() as session:
        queue_message(session, kind="prompt", recipient=HULL_MEMBER, dedupe_key="prompt:slow",
                      payload={"text": "Time to check in"}, now=bot.clock())
    bot.standin.fail("chat.postMessage", "slow", times=1, delay=1.5)
    report = worker.run_once()
    assert report.sent == 0 and sum(report.errors.values()) == 1
    bot.clock.advance(timedelta(minutes=3))
    assert worker.run_once().recovered == 1
    assert len(bot.driver.dms(HULL_MEMBER)) == 1  # Slack had it; it was not sent again


def test_no_secrets_or_checkin_text_in_debug_logs(example_programme: SessionFactory,
                                                  engine: Engine, clock: SteppingClock,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    bot_token, secret = "xoxb-RECOGNISABLE-BOT-TOKEN", "RECOGNISABLE-SIGNING-SECRET"
    sentinel = "RECOGNISABLE CHECK-IN TEXT"
    configure_logging("DEBUG")
    caplog.set_level(logging.DEBUG)
    with running_bot(example_programme, clock, bot_token=bot_token,
                     signing_secret=secret) as bot:
        standin, driver = bot.standin, bot.driver
        driver.command(HULL_MEMBER, "checkin")
        standin.wait_for(lambda: standin.calls_to("views.open"))
        driver.submit(HULL_MEMBER, driver.last_view(HULL_MEMBER),
                      {"momentum": "4", "highlights": sentinel, "blockers": sentinel})
        standin.wait_for(lambda: driver.dms(HULL_MEMBER))
        driver.command(HULL_LEAD, "status")
        standin.wait_for(lambda: driver.ephemerals(HULL_LEAD))
        driver.open_home(HULL_LEAD)
        standin.wait_for(lambda: HULL_LEAD in standin.workspace.home)
    logged = caplog.text
    assert "check-in stored" in logged  # the session really was logged at DEBUG
    for forbidden in (bot_token, secret, sentinel):
        assert forbidden not in logged
