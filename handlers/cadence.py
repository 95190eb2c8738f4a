"""App Home cadence controls: a member turns reminders on or off, or pauses prompts until
a date, without knowing a slash command. Each acts on the clicker's own record only."""

from __future__ import annotations

from datetime import date
from typing import Any

from slack_sdk import WebClient

from bot.blocks import messages as msg
from bot.shell.deps import Deps
from handlers.common import dm, logger, user_id
from handlers.home import publish_home
from storage.access import Viewer, viewer
from storage.calendar_store import programme_calendar
from storage.people import pause_until_day, resume, set_reminders


def _action(body: dict[str, Any]) -> dict[str, Any]:
    actions = body.get("actions") or [{}]
    return actions[0] if isinstance(actions[0], dict) else {}


def _member(deps: Deps, client: WebClient, body: dict[str, Any], what: str) -> Viewer | None:
    """The clicker, if they belong to a partnership; anyone else is told so."""
    slack_id = user_id(body)
    who = viewer(deps.db, slack_id)
    if who is None or not who.seats:
        logger.warning("refused %s user=%s", what, slack_id)
        dm(client, slack_id, msg.NOT_A_MEMBER)
        return None
    return who



def switch_reminders(deps: Deps, body: dict[str, Any], client: WebClient) -> None:
    """Reminders on or off, as the button says; the Home shows the new state."""
    who = _member(deps, client, body, "home_reminders")
    choice = str(_action(body).get("value", ""))
    if who is None or choice not in ("on", "off"):
        return
    set_reminders(deps.db, who.person_id, choice == "on")
    logger.info("reminders %s user=%s", choice, who.slack_id)
    publish_home(deps, client, who.slack_id)



def pause_prompts_until(deps: Deps, body: dict[str, Any], client: WebClient) -> None:
    """Pause prompts until the picked day (from tomorrow to 26 weeks ahead)."""
    who = _member(deps, client, body, "home_pause")
    if who is None:
        return
    try:
        day = date.fromisoformat(str(_action(body).get("selected_date") or ""))
        pause_until_day(deps.db, who.person_id, day, deps.clock(),
                        programme_calendar(deps.db).timezone)
        refused = False
    except ValueError:
        refused = True
    logger.info("pause until a date user=%s refused=%s", who.slack_id, refused)
    publish_home(deps, client, who.slack_id)
    if refused:
        dm(client, who.slack_id, msg.PAUSE_DATE_INVALID)



def resume_prompts(deps: Deps, body: dict[str, Any], client: WebClient) -> None:
    """End a pause at once."""
    who = _member(deps, client, body, "home_resume")
    if who is None:
        return
    resume(deps.db, who.person_id, deps.clock())
    publish_home(deps, client, who.slack_id)
