"""Refuses signed payloads whose structure Slack never sends, before any listener runs.

A signature proves who sent a request, not that its JSON has the shape Bolt's matchers and
the listeners read (``actions: [{}]``, ``event`` as a list, ``view.blocks`` as a string).
Such a request gets a 400 and one log line naming the payload type and the problem, both
from fixed lists, never anything the request carried.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware

logger = logging.getLogger("lpbot.app")

INTERACTIVE = ("block_actions", "view_submission", "view_closed")
URL = re.compile(r"https?://[^\s\"'<>]+")


def _is_str(value: Any) -> bool:
    return isinstance(value, str)


def _user_problem(body: dict[str, Any]) -> str | None:
    user = body.get("user")
    if not isinstance(user, dict) or not _is_str(user.get("id")):
        return "user"
    return None


def _view_problem(view: Any) -> str | None:
    if not isinstance(view, dict):
        return "view"
    blocks = view.get("blocks", [])
    if not isinstance(blocks, list) or not all(
            isinstance(b, dict) and _is_str(b.get("type", "")) and _is_str(b.get("block_id", ""))
            for b in blocks):
        return "view.blocks"
    state = view.get("state", {})
    if not isinstance(state, dict) or not isinstance(state.get("values", {}), dict):
        return "view.state"
    if not _is_str(view.get("id", "")) or not _is_str(view.get("private_metadata", "")):
        return "view.id"
    return None


def _actions_problem(body: dict[str, Any]) -> str | None:
    actions = body.get("actions")
    if not isinstance(actions, list) or not actions or not all(
            isinstance(a, dict) and _is_str(a.get("action_id")) for a in actions):
        return "actions"
    if not _is_str(body.get("trigger_id")):
        return "trigger_id"
    container = body.get("container", {})
    if not isinstance(container, dict):
        return "container"
    if "view" in body:
        return _view_problem(body["view"])
    return None


def _command_problem(body: dict[str, Any]) -> str | None:
    for key in ("user_id", "response_url", "trigger_id"):
        if not _is_str(body.get(key)) or not body.get(key):
            return key
    if not _is_str(body.get("text", "")):
        return "text"
    if not URL.fullmatch(body["response_url"]):
        return "response_url"
    return None


def _event_problem(body: dict[str, Any]) -> str | None:
    event = body.get("event")
    if not isinstance(event, dict) or not _is_str(event.get("type")):
        return "event"
    return None


def shape_problem(body: Any) -> tuple[str, str] | None:
    """(payload type, what is wrong) for a payload Slack would never send, else None."""
    if not isinstance(body, dict):
        return "unknown", "body"
    if "command" in body:
        return ("command", problem) if (problem := _command_problem(body)) else None
    kind = body.get("type")
    if kind in INTERACTIVE:
        problem = _user_problem(body) or (
            _actions_problem(body) if kind == "block_actions" else _view_problem(body.get("view")))
        return (kind, problem) if problem else None
    if kind == "event_callback":
        return (kind, problem) if (problem := _event_problem(body)) else None
    return None


class RefuseMalformed(Middleware):
    """Bolt middleware: a 400 and one line for a malformed payload, else carry on.

    A class, not a function: Bolt builds a function middleware's arguments from the
    payload first (``actions[0]`` and the like), which is what fails on such payloads.
    """

    def process(self, *, req: BoltRequest, resp: BoltResponse,
                next: Callable[[], BoltResponse]) -> BoltResponse | None:
        found = shape_problem(req.body)
        if found is None:
            return next()
        logger.info("malformed payload refused type=%s problem=%s", *found)
        return BoltResponse(status=400, body="")
