"""Slack's ``user_change`` event: someone deactivated in Slack is deactivated in lpbot
(no more prompts, history kept), and comes back if Slack reactivates them."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext

from bot.shell.deps import Deps
from handlers.common import after_ack, deps_of, logger
from storage.leavers import mark_left, mark_returned


def handle_user_change(event: dict[str, Any], context: BoltContext) -> None:
    deps = deps_of(context)
    after_ack(deps, "user_change", follow_user, deps=deps, event=event)


def follow_user(deps: Deps, event: dict[str, Any]) -> None:
    """One UPDATE at most: the event fires for every profile change in the workspace."""
    user = event.get("user")
    if not isinstance(user, dict) or not isinstance(user.get("id"), str):
        return
    slack_id = user["id"][:32]
    if user.get("deleted") is True:
        if mark_left(deps.db, slack_id, deps.clock()):
            logger.info("deactivated: left Slack user=%s", slack_id)
    elif mark_returned(deps.db, slack_id):
        logger.info("reactivated: back in Slack user=%s", slack_id)
