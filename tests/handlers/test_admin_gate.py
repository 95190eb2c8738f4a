"""Who is staff before the programme says so: LPBOT_STAFF, and workspace owners and
admins by Slack's word (users.info), remembered briefly per process."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.playground.standin import StandIn
from bot.playground.standin.server import BOT_TOKEN
from bot.shell.deps import Deps
from bot.shell.settings import SettingsError, load_settings
from bot.shell.slack_client import make_client
from bot.shell.staff_gate import StaffGate
from handlers.admin.gate import is_staff
from storage.clock import SteppingClock
from storage.db import SessionFactory


class Ticks:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def standin() -> Iterator[StandIn]:
    with StandIn(bot_token=BOT_TOKEN) as server:
        ws = server.workspace
        ws.add_user("U0ADMIN", "Ada Admin", is_admin=True)
        ws.add_user("U0OWNER", "Otto Owner", is_owner=True)
        ws.add_user("U0PLAIN", "Pat Plain")
        ws.add_user("U0GONE", "Gil Gone", is_admin=True, deleted=True)
        yield server


def test_listed_admins_and_owners_are_staff_others_are_not(
        standin: StandIn, session_factory: SessionFactory, clock: SteppingClock) -> None:
    ticks = Ticks()
    deps = Deps(db=session_factory, clock=clock,
                staff=StaffGate(frozenset({"U0LISTED"}), ttl=300, monotonic=ticks))
    client = make_client(BOT_TOKEN, standin.api_url)
    assert is_staff(deps, client, "U0LISTED")  # no Slack call needed
    assert is_staff(deps, client, "U0ADMIN") and is_staff(deps, client, "U0OWNER")
    assert not is_staff(deps, client, "U0PLAIN")
    assert not is_staff(deps, client, "U0GONE")  # a deactivated admin
    assert not is_staff(deps, client, "U0NOBODY")  # Slack says user_not_found
    assert not is_staff(deps, client, "<@forged>\n")  # never asked about
    asked = len(standin.calls_to("users.info", ok=None))
    assert is_staff(deps, client, "U0ADMIN") and not is_staff(deps, client, "U0PLAIN")
    assert len(standin.calls_to("users.info", ok=None)) == asked  # remembered
    with standin.lock:
        standin.workspace.users["U0ADMIN"]["is_admin"] = False  # demoted in Slack
    ticks.now += 301
    assert not is_staff(deps, client, "U0ADMIN")


def test_lpbot_staff_setting_is_read_and_checked() -> None:
    settings = load_settings({"LPBOT_STAFF": "U0AAA, W0BBB"}, dotenv_path=None)
    assert settings.staff_ids == frozenset({"U0AAA", "W0BBB"})
    assert load_settings({}, dotenv_path=None).staff_ids == frozenset()
    with pytest.raises(SettingsError, match="LPBOT_STAFF"):
        load_settings({"LPBOT_STAFF": "U0AAA,@sam"}, dotenv_path=None)
