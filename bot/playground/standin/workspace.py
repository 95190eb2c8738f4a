"""The stand-in's workspace: users, channels, messages and views, and the lookups every Web
API method shares (resolving a channel, using a trigger, paging, storing a view).

The methods themselves live by family (chat, views, users, conversations, mpim, files) and
are gathered in ``standin.methods``; each takes the workspace and the call's arguments and
returns Slack's answer as a dict; a Slack error is raised as ``SlackError`` and becomes
``{"ok": false, "error": ...}``.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.playground.standin.blockkit import check_view

TRIGGER_LIFETIME = 3.0
BOT_USER_ID = "U0LPBOT"
BOT_ID = "B0LPBOT"
TEAM_ID = "T0LOCAL"

# One Web API method: the workspace and the call's arguments in, Slack's answer out.
WebApiMethod = Callable[["Workspace", dict[str, Any]], dict[str, Any]]


class SlackError(Exception):
    """A Slack ``ok: false`` answer."""

    def __init__(self, error: str, messages: list[str] | None = None) -> None:
        super().__init__(error)
        self.error = error
        self.messages = messages or []


@dataclass
class Message:
    channel: str
    ts: str
    text: str
    blocks: list[dict[str, Any]] | None
    metadata: dict[str, Any] | None = None
    thread_ts: str | None = None
    user: str = BOT_USER_ID
    ephemeral_to: str | None = None
    files: list[dict[str, Any]] | None = None  # shared by files.completeUploadExternal

    def as_slack(self, *, with_metadata: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "message", "ts": self.ts, "text": self.text,
                               "user": self.user, "bot_id": BOT_ID, "channel": self.channel}
        if self.blocks is not None:
            out["blocks"] = self.blocks
        if self.thread_ts:
            out["thread_ts"] = self.thread_ts
        if with_metadata and self.metadata:
            out["metadata"] = self.metadata
        if self.files:
            out["files"] = self.files
        return out


@dataclass
class View:
    id: str
    user: str
    view: dict[str, Any]
    hash: str
    root_view_id: str
    open: bool = True
    previous_view_id: str | None = None
    errors: dict[str, str] = field(default_factory=dict)

    def as_slack(self) -> dict[str, Any]:
        out = dict(self.view)
        out.update(id=self.id, hash=self.hash, team_id=TEAM_ID, app_id="A0LPBOT",
                   bot_id=BOT_ID, root_view_id=self.root_view_id,
                   previous_view_id=self.previous_view_id, state={"values": {}},
                   private_metadata=self.view.get("private_metadata", ""),
                   callback_id=self.view.get("callback_id", ""))
        return out


@dataclass
class Workspace:
    """The state of the pretend workspace, guarded by the server's lock."""

    monotonic: Callable[[], float] = time.monotonic
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    channels: dict[str, dict[str, Any]] = field(default_factory=dict)
    messages: list[Message] = field(default_factory=list)
    views: dict[str, View] = field(default_factory=dict)
    home: dict[str, View] = field(default_factory=dict)
    triggers: dict[str, tuple[float, str]] = field(default_factory=dict)
    files: dict[str, Any] = field(default_factory=dict)  # id -> standin.files.StoredFile
    upload_base: str = ""  # where upload URLs point (the stand-in's own address)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _ts_base: int = field(default_factory=lambda: int(time.time()))

    def next_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):08X}"

    def next_ts(self) -> str:
        n = next(self._ids)
        return f"{self._ts_base + n // 1000000}.{n % 1000000:06d}"

    # --- the model and its lookups --------------------------------------------------

    def add_user(self, user_id: str, name: str, *, tz: str = "Europe/London",
                 deleted: bool = False, is_admin: bool = False,
                 is_owner: bool = False) -> None:
        self.users[user_id] = {"id": user_id, "team_id": TEAM_ID, "name": name.lower()
                               .replace(" ", "."), "real_name": name, "deleted": deleted,
                               "tz": tz, "is_bot": False, "is_admin": is_admin,
                               "is_owner": is_owner,
                               "profile": {"real_name": name, "display_name": name}}

    def add_channel(self, channel_id: str, name: str, members: list[str] | None = None, *,
                    bot_member: bool = True, is_private: bool = False) -> None:
        members = list(members or [])
        if bot_member:
            members.append(BOT_USER_ID)
        self.channels[channel_id] = {"id": channel_id, "name": name, "is_channel": True,
                                     "is_im": False, "is_archived": False,
                                     "is_private": is_private, "members": members}

    def dm_channel(self, user_id: str) -> str:
        channel_id = "D" + user_id[1:]
        if channel_id not in self.channels:
            self.channels[channel_id] = {"id": channel_id, "is_im": True, "user": user_id,
                                         "is_archived": False,
                                         "members": [user_id, BOT_USER_ID]}
        return channel_id

    def new_trigger(self, user: str) -> str:
        """A trigger id for ``user``: valid for 3 seconds and for one use, as in Slack."""
        trigger = f"{next(self._ids)}.{int(self.monotonic() * 1000)}.{self.next_id('t')}"
        self.triggers[trigger] = (self.monotonic(), user)
        return trigger

    def use_trigger(self, trigger: str) -> str:
        issued = self.triggers.pop(trigger, None)
        if issued is None or self.monotonic() - issued[0] > TRIGGER_LIFETIME:
            raise SlackError("expired_trigger_id")
        return issued[1]

    def resolve_channel(self, channel: str) -> str:
        if channel.startswith(("U", "W")):
            user = self.users.get(channel)
            if user is None:
                raise SlackError("channel_not_found")
            if user["deleted"]:
                raise SlackError("account_inactive")
            return self.dm_channel(channel)
        info = self.channels.get(channel)
        if info is None:
            raise SlackError("channel_not_found")
        if info["is_archived"]:
            raise SlackError("is_archived")
        if BOT_USER_ID not in info["members"]:
            # Slack hides a private channel from a bot outside it; a public one says so.
            raise SlackError("channel_not_found" if info.get("is_private") else
                             "not_in_channel")
        if info.get("is_im") and self.users.get(info.get("user", ""), {}).get("deleted"):
            raise SlackError("account_inactive")
        return channel

    @staticmethod
    def json_arg(value: Any) -> Any:
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                raise SlackError("invalid_arguments") from None
        return value

    def messages_in(self, channel: str) -> list[Message]:
        return [m for m in self.messages if m.channel == channel and not m.ephemeral_to]


    def store_view(self, view: dict[str, Any], user: str, *, root: str | None = None,
                    previous: str | None = None) -> View:
        problems = check_view(view)
        if problems:
            raise SlackError("invalid_blocks", problems)
        view_id = self.next_id("V")
        stored = View(id=view_id, user=user, view=view, hash=self.view_hash(view),
                      root_view_id=root or view_id, previous_view_id=previous)
        self.views[view_id] = stored
        return stored

    def view_hash(self, view: dict[str, Any]) -> str:
        digest = hashlib.sha1(json.dumps(view, sort_keys=True).encode()).hexdigest()[:12]
        return f"{int(self.monotonic() * 1000)}.{digest}{next(self._ids)}"

    @staticmethod
    def page(items: list[Any], args: dict[str, Any], key: str) -> dict[str, Any]:
        start = int(args.get("cursor") or 0)
        limit = max(1, min(int(args.get("limit") or 100), 1000))
        page = items[start:start + limit]
        cursor = str(start + limit) if start + limit < len(items) else ""
        return {key: page, "response_metadata": {"next_cursor": cursor}}

    def channel_info(self, args: dict[str, Any]) -> dict[str, Any]:
        info = self.channels.get(str(args["channel"]))
        if info is None:
            raise SlackError("channel_not_found")
        return info


