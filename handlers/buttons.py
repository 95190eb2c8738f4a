"""Buttons in prompts and App Home: open the check-in, the one-click pulse, snooze."""

from __future__ import annotations

import re
from typing import Any

from slack_sdk import WebClient

from bot.blocks import ids
from bot.blocks import messages as msg
from bot.blocks.checkin import answered_blocks
from bot.blocks.common import esc, mrkdwn_section, when
from bot.shell.deps import Deps
from handlers.common import (
    best_effort,
    dm,
    from_home,
    int_value,
    log_id,
    logger,
    user_id,
)
from handlers.home import publish_home
from handlers.views import checkin_view, open_modal
from storage.access import Viewer, viewer
from storage.checkins import CheckinInput, Outcome, submit_checkin
from storage.forms import checkin_form
from storage.people import snooze

PULSE_RE = re.compile(rf"^{ids.PULSE}_([1-5])$")


def _action(body: dict[str, Any]) -> dict[str, Any]:
    actions = body.get("actions") or [{}]
    return actions[0] if isinstance(actions[0], dict) else {}


def _clicking_member(deps: Deps, client: WebClient, body: dict[str, Any], what: str
                     ) -> tuple[Viewer, int] | None:
    """The clicker and the partnership the button names, if (and only if) the clicker
    belongs to it; anyone else is told so and the click does nothing."""
    slack_id = user_id(body)
    who = viewer(deps.db, slack_id)
    partnership_id = int_value(_action(body).get("value"))
    if who is None or partnership_id is None or not who.is_member_of(partnership_id):
        logger.warning("refused %s user=%s", what, log_id(slack_id))
        dm(client, slack_id, msg.NOT_YOUR_PARTNERSHIP)
        return None
    return who, partnership_id


def _replace_prompt(client: WebClient, body: dict[str, Any], blocks: list[Any],
                    text: str) -> None:
    container = body.get("container") or {}
    channel, ts = container.get("channel_id"), container.get("message_ts")
    if container.get("type") != "message" or not channel or not ts:
        return
    with best_effort("prompt update", channel=channel):
        client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)



def open_checkin(deps: Deps, body: dict[str, Any], client: WebClient) -> None:
    """The check-in modal for the partnership the button names (members only)."""
    member = _clicking_member(deps, client, body, "open_checkin")
    if member is None:
        return
    who, partnership_id = member
    form = checkin_form(deps.db, who.person_id, partnership_id, deps.clock())
    open_modal(client, str(body.get("trigger_id", "")),
               checkin_view(deps, who.slack_id, form, home=from_home(body)),
               user=who.slack_id, tell=lambda text: dm(client, who.slack_id, text))



def record_pulse(deps: Deps, body: dict[str, Any], client: WebClient) -> None:
    """Store a one-click momentum score and turn the prompt into a thank-you."""
    match = PULSE_RE.match(str(_action(body).get("action_id", "")))
    member = _clicking_member(deps, client, body, "pulse")
    if member is None or match is None:
        return
    who, partnership_id = member
    momentum = int(match.group(1))
    outcome, _ = submit_checkin(deps.db, person_id=who.person_id, slack_id=who.slack_id,
                                partnership_id=partnership_id,
                                data=CheckinInput(momentum=momentum, source="pulse"),
                                now=deps.clock())
    logger.info("pulse stored user=%s partnership=%s outcome=%s", who.slack_id,
                partnership_id, outcome.value)
    seat = who.seat(partnership_id)
    text = msg.PULSE_THANKS.format(momentum=momentum,
                                   partnership=esc(seat.name if seat else ""))
    _replace_prompt(client, body, answered_blocks(text, partnership_id), text)
    if outcome is not Outcome.DUPLICATE and from_home(body):
        publish_home(deps, client, who.slack_id)



def snooze_reminders(deps: Deps, body: dict[str, Any], client: WebClient) -> None:
    """No reminders for two days; the prompt says until when."""
    member = _clicking_member(deps, client, body, "snooze")
    if member is None:
        return
    who, _ = member
    until = snooze(deps.db, who.person_id, deps.clock())
    text = msg.SNOOZED.format(until=when(until))
    _replace_prompt(client, body, [mrkdwn_section(text)], text)
