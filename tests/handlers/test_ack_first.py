"""The ack never waits for work: answers run on their own pool, so a slow answer, or many,
can't delay anyone's acknowledgement; a full pool says so instead of queueing forever.

Slowness is made with events, not sleeps: answers are held until the test releases them.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.blocks import messages as msg
from bot.compose import build_runtime
from bot.playground.standin.driver import SlackDriver
from bot.shell.slack_client import make_client
from bot.shell.web import make_wsgi, serve_in_thread
from storage.clock import SteppingClock
from storage.db import SessionFactory
from tests.e2e.test_faults import count_checkins
from tests.harness import HULL_LEAD, HULL_MEMBER, SPEC, STAFF, Harness, text_of


def _hold(pool_size: int, bot: Harness) -> threading.Event:
    """Occupy every answer thread until the returned event is set."""
    release = threading.Event()
    started = threading.Semaphore(0)

    def wait() -> None:
        started.release()
        release.wait(30)

    for _ in range(pool_size):
        assert bot.runtime.answers.submit(wait)
    for _ in range(pool_size):
        assert started.acquire(timeout=10)
    return release


def test_acks_come_while_every_answer_thread_is_busy(bot: Harness) -> None:
    release = _hold(8, bot)
    users = [HULL_MEMBER, HULL_LEAD, STAFF] * 8
    try:
        with ThreadPoolExecutor(max_workers=12) as senders:
            replies = list(senders.map(
                lambda user: bot.driver.command(user, "status all" if user == STAFF
                                                else "help"), users))
        assert [r.status for r in replies] == [200] * len(users)
        assert bot.driver.ephemerals(HULL_MEMBER) == []  # no answer yet: all held
    finally:
        release.set()
    answered = bot.wait(lambda: len(bot.driver.ephemerals(HULL_MEMBER)) == 8
                        and bot.driver.ephemerals(HULL_MEMBER))
    assert all(msg.HELP_HEADER in text_of(a) for a in answered)


@pytest.fixture
def small_pool_bot(example_programme: SessionFactory, clock: SteppingClock
                   ) -> Iterator[Harness]:
    """A bot with one answer thread and room for one waiting answer."""
    from bot.playground.standin import StandIn
    from bot.playground.standin.seed import seed_workspace
    from bot.playground.standin.server import BOT_TOKEN, SIGNING_SECRET

    with StandIn() as standin:
        seed_workspace(standin, SPEC)
        runtime = build_runtime(db=example_programme, clock=clock,
                                client=make_client(BOT_TOKEN, standin.api_url),
                                signing_secret=SIGNING_SECRET, send_rate=0,
                                answer_threads=1, answer_limit=1)
        with serve_in_thread(make_wsgi(runtime.app, example_programme)) as base:
            driver = SlackDriver(standin, app_url=base + "/slack/events")
            yield Harness(standin, driver, example_programme, clock, base, runtime)
        runtime.answers.shutdown()


def test_a_full_pool_answers_busy_at_once(small_pool_bot: Harness) -> None:
    bot = small_pool_bot
    release = _hold(1, bot)
    try:
        assert bot.driver.command(HULL_MEMBER, "help").status == 200
        busy = bot.wait(lambda: bot.driver.ephemerals(HULL_MEMBER))
        assert msg.BUSY in text_of(busy[0])
    finally:
        release.set()
    assert bot.runtime.answers.wait_idle(30)  # the held answer has given its place back
    assert bot.driver.command(HULL_MEMBER, "help").status == 200
    later = bot.wait(lambda: len(bot.driver.ephemerals(HULL_MEMBER)) == 2
                     and bot.driver.ephemerals(HULL_MEMBER))
    assert msg.HELP_HEADER in text_of(later[1])


def test_a_full_pool_keeps_the_checkin_form_open_with_its_answers(
        small_pool_bot: Harness) -> None:
    bot = small_pool_bot
    view = bot.open_modal(HULL_MEMBER)
    assert bot.runtime.answers.wait_idle(30)
    answers = {"momentum": "4", "highlights": "Sent while lpbot was busy"}
    release = _hold(1, bot)
    try:
        reply = bot.driver.submit(HULL_MEMBER, view, answers)
        assert reply.json["response_action"] == "errors"
        assert msg.BUSY_FORM in reply.json["errors"].values()
        assert bot.driver.last_view(HULL_MEMBER).id == view.id and view.open
    finally:
        release.set()
    assert bot.runtime.answers.wait_idle(30)
    assert count_checkins(bot.session_factory) == 0  # nothing was handed over
    view.errors = {}
    assert bot.driver.submit(HULL_MEMBER, view, answers).body == ""  # the form closes
    assert bot.runtime.answers.wait_idle(30)
    assert count_checkins(bot.session_factory) == 1
