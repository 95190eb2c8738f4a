"""Exactly-once delivery with real `lpbot scheduler` processes: killed, restarted, doubled."""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from datetime import time as clock_time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.blocks.scheduled import BlockKitRenderer
from bot.playground.standin import StandIn
from bot.playground.standin.seed import seed_workspace
from bot.playground.standin.server import APP_TOKEN, BOT_TOKEN
from scheduler.tick import tick
from storage.clock import system_clock
from storage.db import make_engine, make_session_factory, upgrade
from storage.importer import import_programme
from storage.models import Delivery
from storage.programme import ProgrammeSpec, load_programme
from tests.conftest import POSTGRES_URL, recreate_pg_database
from tests.live_programme import last_working_day_before, write_live_programme
from tests.processes import lpbot_env, lpbot_process

MEMBERS = 12
LONDON = "Europe/London"
TODAY = datetime.now(ZoneInfo(LONDON)).date()


def import_live(database_url: str, folder: Path) -> ProgrammeSpec:
    """Import a programme whose round is open today (the processes use the real clock),
    and plan its prompts as a tick did on the round's first morning: prompts wait for
    working hours, so a run at night or at a weekend still finds every prompt due."""
    spec = load_programme(write_live_programme(folder / "live.yaml", TODAY, MEMBERS))
    engine = make_engine(database_url)
    session_factory = make_session_factory(engine)
    with session_factory.begin() as session:
        import_programme(spec, session=session, now=system_clock())
    morning = datetime.combine(last_working_day_before(TODAY), clock_time(9), ZoneInfo(LONDON))
    planned = tick(session_factory, morning.astimezone(UTC), BlockKitRenderer())
    assert planned.queued == {"prompt": MEMBERS}
    engine.dispose()
    return spec


@pytest.fixture
def live(tmp_path: Path, database_url: str) -> Iterator[tuple[StandIn, str]]:
    spec = import_live(database_url, tmp_path)
    with StandIn() as standin:
        seed_workspace(standin, spec)
        yield standin, database_url


def scheduler_env(standin: StandIn, database_url: str, **extra: str) -> dict[str, str]:
    values = {"LPBOT_TICK_SECONDS": "1", "LPBOT_SEND_RATE": "500", **extra}
    return lpbot_env(SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_APP_TOKEN=APP_TOKEN,
                     SLACK_API_URL=standin.api_url, DATABASE_URL=database_url, **values)


def outbox(database_url: str) -> Counter[str]:
    engine = make_engine(database_url)
    with engine.connect() as conn:
        counts = Counter(dict(conn.execute(select(Delivery.status, func.count())
                                           .group_by(Delivery.status)).all()))
    engine.dispose()
    return counts


def wait_for_prompts(database_url: str, timeout: float = 60) -> Counter[str]:
    """Poll the outbox until every member's prompt is sent and nothing is in flight."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        counts = outbox(database_url)
        if counts["sent"] >= MEMBERS and not counts["pending"] and not counts["in_flight"]:
            return counts
        time.sleep(0.2)
    raise AssertionError(f"prompts not all sent: {outbox(database_url)}")


def sent_keys(standin: StandIn) -> Counter[str]:
    return Counter(c.args["metadata"]["event_payload"]["dedupe_key"]
                   for c in standin.calls_to("chat.postMessage"))


@pytest.mark.parametrize("fault", ["before_send:1", "after_send:1", "after_send:5",
                                   "after_commit:3"])
def test_killed_mid_fan_out_then_restarted(live: tuple[StandIn, str], tmp_path: Path,
                                           fault: str) -> None:
    standin, database_url = live
    env = scheduler_env(standin, database_url, LPBOT_LEASE_SECONDS="1", LPBOT_FAULT=fault)
    log = tmp_path / "killed.log"
    with lpbot_process(["scheduler"], env, log) as process:
        assert process.wait(timeout=60) == -9, log.read_text()
    restart = scheduler_env(standin, database_url, LPBOT_LEASE_SECONDS="1")
    with lpbot_process(["scheduler"], restart, tmp_path / "restarted.log"):
        counts = wait_for_prompts(database_url)
    keys = sent_keys(standin)
    assert [k for k, n in keys.items() if n > 1] == []
    assert sum(k.startswith("prompt:") for k in keys) == MEMBERS
    assert counts["sent"] == len(keys)


def test_two_schedulers_at_once_on_postgresql(tmp_path: Path) -> None:
    if not POSTGRES_URL:
        pytest.skip("LPBOT_TEST_POSTGRES_URL is not set")
    database_url = recreate_pg_database(f"lpbot_twice_{os.getpid()}")
    upgrade(database_url)
    spec = import_live(database_url, tmp_path)
    with StandIn() as standin:
        seed_workspace(standin, spec)
        env = scheduler_env(standin, database_url, LPBOT_SEND_RATE="50")
        with lpbot_process(["scheduler"], env, tmp_path / "one.log"), \
                lpbot_process(["scheduler"], env, tmp_path / "two.log"):
            wait_for_prompts(database_url)
        keys = sent_keys(standin)
    assert [k for k, n in keys.items() if n > 1] == []
    assert sum(k.startswith("prompt:") for k in keys) == MEMBERS
    logs = (tmp_path / "one.log").read_text() + (tmp_path / "two.log").read_text()
    assert logs.count("delivered sent=") >= 1
