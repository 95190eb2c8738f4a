"""What a staff member does in Slack to set up a programme, step by step, through the
real app (signed requests, the modals the bot really opened)."""

from __future__ import annotations

from typing import Any

from bot.blocks import admin_forms as f
from bot.blocks import ids
from bot.playground.standin.workspace import View
from tests.harness import Harness, text_of

ADMIN = "U0ADMIN"


def add_admin(bot: Harness, slack_id: str = ADMIN, name: str = "Ada Admin") -> None:
    """A workspace admin in the stand-in (users.info says ``is_admin``)."""
    with bot.standin.lock:
        bot.standin.workspace.add_user(slack_id, name, is_admin=True)


def home(bot: Harness, user: str, contains: str, *, opening: bool = True) -> dict[str, Any]:
    """Wait until App Home shows ``contains``: opened by the person (the overview, for
    staff in the programme), or as the bot refreshed it after a save (the Programme
    view), when not ``opening``."""
    if opening:
        bot.driver.open_home(user)
    return bot.wait(lambda: (view := bot.standin.workspace.home.get(user)) is not None
                    and contains in text_of(view.view) and view.view)


def click_home(bot: Harness, user: str, action_id: str, value: str | None = None) -> View:
    """Click a button in the user's App Home that opens a modal; the modal."""
    before = len(bot.standin.calls_to("views.open"))
    with bot.standin.lock:
        home_view = bot.standin.workspace.home[user]
    reply = bot.driver.click(user, action_id, view=home_view, value=value)
    assert reply.status == 200, reply.body
    bot.wait(lambda: len(bot.standin.calls_to("views.open")) > before)
    return bot.driver.last_view(user)


def submit(bot: Harness, user: str, view: View, values: dict[str, Any]) -> Any:
    reply = bot.driver.submit(user, view, values)
    assert reply.status == 200, reply.body
    return reply.json


PROGRAMME = {f.B_NAME: "Leading Places 2027", f.B_START: "2026-11-02",
             f.B_REPORT_BACK: "2027-06-30", f.B_EVERY: "2", f.B_WEEKDAY: "1",
             f.B_HOUR: "10"}


def create_programme(bot: Harness, user: str, **extra: Any) -> None:
    home(bot, user, "Create the programme")
    view = click_home(bot, user, ids.ADMIN_EDIT_PROGRAMME)
    assert view.view["callback_id"] == ids.PROGRAMME_EDIT_VIEW
    answer = submit(bot, user, view, {**PROGRAMME, **extra})
    assert answer is None, answer
    home(bot, user, "Add partnership", opening=False)


def add_partnership(bot: Harness, user: str, *, name: str, members: list[str],
                    leads: list[str], objectives: list[str], channel: str | None = None,
                    institutions: dict[str, str] | None = None) -> Any:
    """The two steps: the partnership, then its members' institutions."""
    view = click_home(bot, user, ids.ADMIN_ADD_PARTNERSHIP)
    answer = submit(bot, user, view, {
        f.B_P_NAME: name, f.B_P_PLACE: name.split(":")[0], f.B_P_CHALLENGE: "A challenge",
        f.B_P_OBJECTIVES: "\n".join(objectives), f.B_P_CHANNEL: channel,
        f.B_P_MEMBERS: members, f.B_P_LEADS: leads})
    assert answer and answer.get("response_action") == "update", answer
    assert view.view["callback_id"] == ids.INSTITUTIONS_VIEW
    answer = submit(bot, user, view, {f"{f.B_NEW_INSTITUTION}{k}": v
                                      for k, v in (institutions or {}).items()})
    assert answer is None, answer
    return home(bot, user, name.replace("&", "&amp;"), opening=False)


def add_lull(bot: Harness, user: str, name: str, start: str, end: str) -> None:
    view = click_home(bot, user, ids.ADMIN_ADD_LULL)
    answer = submit(bot, user, view, {f.B_LULL_NAME: name, f.B_LULL_START: start,
                                      f.B_LULL_END: end, f.B_LULL_EVERY: "1"})
    assert answer is None, answer
    home(bot, user, name, opening=False)
