"""App Home cadence controls through signed requests: reminders on/off, pause until a date."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from bot.blocks import ids
from bot.blocks import messages as msg
from bot.playground.standin.workspace import View
from tests.harness import HULL_LEAD, HULL_MEMBER, OUTSIDER, Harness, text_of


def home(bot: Harness, user: str, after: str | None = None) -> View:
    """``user``'s published Home, once it differs from the hash ``after``."""
    def ready() -> Any:
        view = bot.standin.workspace.home.get(user)
        return view if view is not None and view.hash != after else None
    found = bot.wait(ready)
    assert isinstance(found, View)
    return found


def shown(view: View) -> str:
    return text_of({"blocks": view.view["blocks"]})


def opened(bot: Harness, user: str) -> View:
    assert bot.driver.open_home(user).status == 200
    return home(bot, user)


def test_reminders_switch_off_and_on_from_home(bot: Harness) -> None:
    view = opened(bot, HULL_MEMBER)
    assert msg.CADENCE_REMINDERS_ON in shown(view)
    assert bot.driver.click(HULL_MEMBER, ids.HOME_REMINDERS, view=view).status == 200
    view = home(bot, HULL_MEMBER, after=view.hash)
    assert msg.CADENCE_REMINDERS_OFF in shown(view)
    assert bot.person(HULL_MEMBER).reminders_enabled is False
    assert bot.driver.click(HULL_MEMBER, ids.HOME_REMINDERS, view=view).status == 200
    view = home(bot, HULL_MEMBER, after=view.hash)
    assert msg.CADENCE_REMINDERS_ON in shown(view)
    assert bot.person(HULL_MEMBER).reminders_enabled is True


def test_pause_until_a_date_then_resume(bot: Harness) -> None:
    view = opened(bot, HULL_LEAD)  # a lead is a member too
    reply = bot.driver.click(HULL_LEAD, ids.HOME_PAUSE, view=view, selected="2026-12-08")
    assert reply.status == 200
    view = home(bot, HULL_LEAD, after=view.hash)
    # Midnight at the start of that day in the person's zone (London: UTC in December).
    assert bot.person(HULL_LEAD).paused_until == datetime(2026, 12, 8, tzinfo=UTC)
    assert "paused until Tue 8 Dec" in shown(view)
    assert bot.driver.click(HULL_LEAD, ids.HOME_RESUME, view=view).status == 200
    view = home(bot, HULL_LEAD, after=view.hash)
    assert bot.person(HULL_LEAD).paused_until is None
    assert "paused until" not in shown(view)


@pytest.mark.parametrize("picked", ["2026-11-24", "2026-11-01", "2027-07-01", "soon", ""])
def test_a_day_out_of_range_is_refused_kindly(bot: Harness, picked: str) -> None:
    view = opened(bot, HULL_MEMBER)
    dms = len(bot.driver.dms(HULL_MEMBER))
    assert bot.driver.click(HULL_MEMBER, ids.HOME_PAUSE, view=view,
                            selected=picked).status == 200
    said = bot.dms_after(HULL_MEMBER, dms + 1)[-1]
    assert said.text == msg.PAUSE_DATE_INVALID
    assert bot.person(HULL_MEMBER).paused_until is None


def test_an_outsider_forging_the_controls_changes_nothing(bot: Harness) -> None:
    view = opened(bot, HULL_MEMBER)
    for action, picked in ((ids.HOME_REMINDERS, None), (ids.HOME_PAUSE, "2026-12-08")):
        dms = len(bot.driver.dms(OUTSIDER))
        assert bot.driver.click(OUTSIDER, action, view=view, selected=picked).status == 200
        assert bot.dms_after(OUTSIDER, dms + 1)[-1].text == msg.NOT_A_MEMBER
    member = bot.person(HULL_MEMBER)
    assert member.reminders_enabled is True and member.paused_until is None
