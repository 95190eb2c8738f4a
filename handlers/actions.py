"""Buttons: open the check-in, the one-click pulse, snooze."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.blocks import ids
from bot.blocks import messages as msg
from bot.blocks.checkin import answered_blocks
from bot.blocks.common import esc, mrkdwn_section, when
from bot.render import checkin_view_for, home_for
from bot.shell.deps import Deps
from handlers.common import best_effort, dm, int_value, logger, safely, user_id, viewer_for
from storage.access import Viewer, load_viewer
from storage.checkins import CheckinInput, Outcome, record_checkin
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
    viewer = viewer_for(deps, slack_id)
    partnership_id = int_value(_action(body).get("value"))
    if viewer is None or partnership_id is None or not viewer.is_member_of(partnership_id):
        logger.warning("refused %s user=%s", what, slack_id)
        dm(client, slack_id, msg.NOT_YOUR_PARTNERSHIP)
        return None
    return viewer, partnership_id


def _replace_prompt(client: WebClient, body: dict[str, Any], blocks: list[Any],
                    text: str) -> None:
    container = body.get("container") or {}
    channel, ts = container.get("channel_id"), container.get("message_ts")
    if container.get("type") != "message" or not channel or not ts:
        return
    with best_effort("prompt update", channel=channel):
        client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)


def publish_home(deps: Deps, client: WebClient, slack_id: str) -> None:
    """Refresh someone's App Home after something changed it."""
    with deps.session_factory() as session:
        view = home_for(session, load_viewer(session, slack_id), deps.clock())
    with best_effort("home publish", user=slack_id):
        client.views_publish(user_id=slack_id, view=view)


def register(app: App, deps: Deps) -> None:
    @app.action(ids.OPEN_CHECKIN)
    @safely("open check-in")
    def handle_open_checkin(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        member = _clicking_member(deps, client, body, "open_checkin")
        if member is None:
            return
        viewer, partnership_id = member
        with deps.session_factory.begin() as session:
            view = checkin_view_for(session, viewer, partnership_id, deps.clock())
        client.views_open(trigger_id=body["trigger_id"], view=view)

    @app.action(PULSE_RE)
    @safely("pulse")
    def handle_pulse(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        match = PULSE_RE.match(str(_action(body).get("action_id", "")))
        member = _clicking_member(deps, client, body, "pulse")
        if member is None or match is None:
            return
        viewer, partnership_id = member
        slack_id = viewer.slack_id
        momentum = int(match.group(1))
        with deps.session_factory.begin() as session:
            _, outcome = record_checkin(session, person_id=viewer.person_id,
                                        partnership_id=partnership_id,
                                        data=CheckinInput(momentum=momentum, source="pulse"),
                                        now=deps.clock())
        logger.info("pulse stored user=%s partnership=%s outcome=%s", slack_id,
                    partnership_id, outcome.value)
        seat = viewer.seat(partnership_id)
        text = msg.PULSE_THANKS.format(momentum=momentum,
                                       partnership=esc(seat.name if seat else ""))
        _replace_prompt(client, body, answered_blocks(text, partnership_id), text)
        if outcome is not Outcome.DUPLICATE:
            publish_home(deps, client, slack_id)

    @app.action(ids.SNOOZE)
    @safely("snooze")
    def handle_snooze(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        member = _clicking_member(deps, client, body, "snooze")
        if member is None:
            return
        viewer, _ = member
        with deps.session_factory.begin() as session:
            until = snooze(session, viewer.person_id, deps.clock())
        text = msg.SNOOZED.format(until=when(until))
        _replace_prompt(client, body, [mrkdwn_section(text)], text)
