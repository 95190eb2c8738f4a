"""The driver: sends the app what Slack sends, signed with Slack's real scheme.

Over HTTP (``app_url`` given) every request is signed (``v0:timestamp:body``, HMAC-SHA256);
over Socket Mode it travels as an envelope through the stand-in's WebSocket. Modal
submissions fill the view the bot really opened, read back from the stand-in.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from bot.playground.standin.server import SIGNING_SECRET, StandIn
from bot.playground.standin.workspace import TEAM_ID, Message, View


@dataclass
class Reply:
    """The app's answer to one request."""

    status: int
    body: str

    @property
    def json(self) -> Any:
        try:
            return json.loads(self.body) if self.body else None
        except ValueError:
            return None


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """Slack's request signature for ``body`` sent at ``timestamp``."""
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def _elements(blocks: list[dict[str, Any]]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    for block in blocks:
        if block.get("type") == "actions":
            for element in block.get("elements", []):
                yield block, element
        for key in ("accessory", "element"):
            if key in block:
                yield block, block[key]


def _option(element: dict[str, Any], value: str) -> dict[str, Any]:
    for option in element.get("options", []):
        if isinstance(option, dict) and option.get("value") == value:
            return dict(option)
    return {"text": {"type": "plain_text", "text": value}, "value": value}


PICKERS = {  # element type -> (the state's field, the element's initial field)
    "datepicker": ("selected_date", "initial_date"),
    "users_select": ("selected_user", "initial_user"),
    "multi_users_select": ("selected_users", "initial_users"),
    "conversations_select": ("selected_conversation", "initial_conversation"),
    "channels_select": ("selected_channel", "initial_channel"),
}


def state_values(view: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """The ``view.state.values`` Slack would send for ``values`` keyed by block id;
    blocks not named keep their initial values, as in the Slack client."""
    state: dict[str, Any] = {}
    for block in view.get("blocks", []):
        if block.get("type") != "input":
            continue
        element = block["element"]
        block_id = block.get("block_id", "")
        kind = element["type"]
        given = values.get(block_id)
        entry: dict[str, Any] = {"type": kind}
        if kind in ("static_select", "radio_buttons", "external_select"):
            option = (_option(element, given) if given is not None
                      else element.get("initial_option"))
            entry["selected_option"] = option
        elif kind in PICKERS:  # Slack's own pickers send what was picked, by type
            field_name, initial = PICKERS[kind]
            entry[field_name] = given if given is not None else element.get(initial)
        elif kind == "checkboxes":
            chosen = given if given is not None else [
                o["value"] for o in element.get("initial_options", [])]
            entry["selected_options"] = [_option(element, v) for v in chosen]
        else:
            entry["value"] = given if given is not None else element.get("initial_value")
        state[block_id] = {element.get("action_id", ""): entry}
    return state


class SlackDriver:
    """Plays Slack's part towards the app, over signed HTTP or Socket Mode."""

    def __init__(self, standin: StandIn, *, app_url: str | None = None,
                 signing_secret: str = SIGNING_SECRET,
                 wall_clock: Callable[[], float] = time.time) -> None:
        self.standin = standin
        self.app_url = app_url
        self.signing_secret = signing_secret
        self.wall_clock = wall_clock

    # --- transport -----------------------------------------------------------------

    def post_raw(self, body: bytes, content_type: str, *, timestamp: str | None = None,
                 sign_with: str | None = None, headers: dict[str, str] | None = None) -> Reply:
        """POST ``body`` to the app, signed (or mis-signed) as asked."""
        assert self.app_url, "post_raw needs the app's HTTP address"
        stamp = timestamp or str(int(self.wall_clock()))
        all_headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": signature(sign_with or self.signing_secret, stamp, body),
            **(headers or {}),
        }
        request = urllib.request.Request(self.app_url, data=body, headers=all_headers,
                                         method="POST")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return Reply(response.status, response.read().decode())
        except urllib.error.HTTPError as error:
            return Reply(error.code, error.read().decode())
        except (ConnectionError, http.client.HTTPException, urllib.error.URLError):
            return Reply(502, "")  # the app went away mid-request: Slack reports a failure

    def _send(self, kind: str, payload: dict[str, Any], **options: Any) -> Reply:
        if self.app_url is None:
            ack = self.standin.socket.deliver(kind, payload)
            return Reply(200, json.dumps(ack.get("payload")) if ack.get("payload") else "")
        if kind == "slash_commands":
            body = urlencode(payload).encode()
            return self.post_raw(body, "application/x-www-form-urlencoded", **options)
        if kind == "interactive":
            body = urlencode({"payload": json.dumps(payload)}).encode()
            return self.post_raw(body, "application/x-www-form-urlencoded", **options)
        return self.post_raw(json.dumps(payload).encode(), "application/json", **options)

    # --- what people do --------------------------------------------------------------

    def _user(self, user: str) -> dict[str, str]:
        name = self.standin.workspace.users.get(user, {}).get("name", user)
        return {"id": user, "username": name, "name": name, "team_id": TEAM_ID}

    def command(self, user: str, text: str = "", *, command: str = "/lp",
                channel: str | None = None, response_id: str | None = None,
                **options: Any) -> Reply:
        """Run a slash command as ``user`` (in their DM with the bot unless told)."""
        with self.standin.lock:
            channel = channel or self.standin.workspace.dm_channel(user)
        payload = {
            "token": "verification-token-unused", "team_id": TEAM_ID, "team_domain": "local",
            "channel_id": channel, "channel_name": "directmessage", "user_id": user,
            "user_name": self._user(user)["name"], "command": command, "text": text,
            "api_app_id": "A0LPBOT", "is_enterprise_install": "false",
            "response_url": self.standin.new_response_url(user, response_id),
            "trigger_id": self.standin.new_trigger(user),
        }
        reply = self._send("slash_commands", payload, **options)
        if reply.status == 200 and reply.body:  # an ack with a message: JSON or plain text
            acked = reply.json if isinstance(reply.json, dict) else {"text": reply.body}
            self.standin.command_acked(user, acked)
        return reply

    def _interactive(self, kind: str, user: str, extra: dict[str, Any],
                     **options: Any) -> Reply:
        payload = {"type": kind, "team": {"id": TEAM_ID, "domain": "local"},
                   "user": self._user(user), "api_app_id": "A0LPBOT",
                   "token": "verification-token-unused",
                   "trigger_id": self.standin.new_trigger(user), "is_enterprise_install": False,
                   **extra}
        return self._send("interactive", payload, **options)

    def click(self, user: str, action_id: str, *, message: Message | None = None,
              view: View | None = None, value: str | None = None,
              selected: str | None = None, ephemeral: dict[str, Any] | None = None,
              **options: Any) -> Reply:
        """Click a button (or pick an option) that the bot put in a message, a view, or an
        ephemeral answer (one of ``ephemerals(user)``)."""
        source = message.blocks if message else view.view.get("blocks", []) if view else \
            (ephemeral or {}).get("blocks") or []
        found = next(((b, e) for b, e in _elements(source or [])
                      if e.get("action_id") == action_id), None)
        if found is None:
            raise LookupError(f"no element with action_id {action_id!r}")
        block, element = found
        action: dict[str, Any] = {"action_id": action_id, "block_id": block.get("block_id", ""),
                                  "type": element["type"], "action_ts": str(self.wall_clock())}
        if element["type"] == "button":
            action["value"] = value if value is not None else element.get("value", "")
            action["text"] = element.get("text")
        elif element["type"] == "datepicker":
            action["selected_date"] = selected  # YYYY-MM-DD, as Slack sends it
        else:
            action["selected_option"] = _option(element, selected or "")
        extra: dict[str, Any] = {"actions": [action]}
        if message is not None:
            extra.update(
                container={"type": "message", "message_ts": message.ts,
                           "channel_id": message.channel, "is_ephemeral": False},
                channel={"id": message.channel, "name": "directmessage"},
                message=message.as_slack(),
                response_url=self.standin.new_response_url(user))
        elif ephemeral is not None:
            # Slack sends no message body for an ephemeral message, only where it was.
            extra.update(
                container={"type": "message", "message_ts": ephemeral.get("ts", ""),
                           "channel_id": self.standin.workspace.dm_channel(user),
                           "is_ephemeral": True},
                response_url=self.standin.new_response_url(user))
        elif view is not None:
            slack_view = view.as_slack()
            slack_view["state"] = {"values": state_values(view.view, {})}
            extra.update(container={"type": "view", "view_id": view.id}, view=slack_view)
        return self._interactive("block_actions", user, extra, **options)

    def submit(self, user: str, view: View, values: dict[str, Any] | None = None,
               **options: Any) -> Reply:
        """Submit a modal with ``values`` keyed by block id, then act on the answer as the
        Slack client would (close, update, or show errors)."""
        slack_view = view.as_slack()
        slack_view["state"] = {"values": state_values(view.view, values or {})}
        reply = self._interactive("view_submission", user,
                                  {"view": slack_view, "response_urls": []}, **options)
        self._apply_response(view, reply)
        return reply

    def _apply_response(self, view: View, reply: Reply) -> None:
        answer = reply.json if reply.status == 200 else None
        with self.standin.lock:
            action = (answer or {}).get("response_action") if isinstance(answer, dict) else None
            if reply.status != 200:
                return
            if action == "errors":
                view.errors = answer.get("errors", {})  # type: ignore[union-attr]
            elif action == "update":
                view.view, view.errors = answer["view"], {}  # type: ignore[index]
            elif action == "push":
                self.standin.workspace.store_view(answer["view"], view.user,  # type: ignore[index]
                                                  root=view.root_view_id, previous=view.id)
            else:
                for other in self.standin.workspace.views.values():
                    if action == "clear" and other.root_view_id == view.root_view_id:
                        other.open = False
                view.open = False

    def close(self, user: str, view: View, **options: Any) -> Reply:
        """Close a modal (``view_closed``, sent when the view asks to be notified)."""
        view.open = False
        return self._interactive("view_closed", user, {"view": view.as_slack(),
                                                        "is_cleared": False}, **options)

    def event(self, event: dict[str, Any], **options: Any) -> Reply:
        """Deliver an Events API event."""
        body = {"token": "verification-token-unused", "team_id": TEAM_ID,
                "api_app_id": "A0LPBOT", "event": event, "type": "event_callback",
                "event_id": f"Ev{uuid.uuid4().hex[:10].upper()}",
                "event_time": int(self.wall_clock())}
        return self._send("events_api", body, **options)

    def open_home(self, user: str) -> Reply:
        """The user opens the bot's App Home tab."""
        with self.standin.lock:
            channel = self.standin.workspace.dm_channel(user)
        return self.event({"type": "app_home_opened", "user": user, "channel": channel,
                           "tab": "home", "event_ts": str(self.wall_clock())})

    # --- reading what the bot did -----------------------------------------------------

    def last_view(self, user: str | None = None) -> View:
        """The most recently opened modal that is still open (for ``user`` when given)."""
        with self.standin.lock:
            views = [v for v in self.standin.workspace.views.values()
                     if v.open and (user is None or v.user == user)]
        if not views:
            raise LookupError("no open modal")
        return views[-1]

    def dms(self, user: str) -> list[Message]:
        with self.standin.lock:
            channel = self.standin.workspace.dm_channel(user)
            return self.standin.workspace.messages_in(channel)

    def ephemerals(self, user: str) -> list[dict[str, Any]]:
        """What the user saw privately: ephemeral posts and response_url answers, in order."""
        with self.standin.lock:
            posted = [{"text": m.text, "blocks": m.blocks, "ts": m.ts} for m in
                      self.standin.workspace.messages if m.ephemeral_to == user]
            answered = [r for r in self.standin.responses if r.get("user") == user]
            return sorted(posted + answered, key=lambda r: float(r["ts"]))
