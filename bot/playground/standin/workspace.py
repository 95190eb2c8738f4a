"""The stand-in's workspace: users, channels, messages and views, and the Web API methods.

Each method takes the call's arguments and returns Slack's answer as a dict; a Slack
error is raised as ``SlackError`` and becomes ``{"ok": false, "error": ...}``.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.playground.standin.blockkit import check_message, check_view

TRIGGER_LIFETIME = 3.0
BOT_USER_ID = "U0LPBOT"
BOT_ID = "B0LPBOT"
TEAM_ID = "T0LOCAL"


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

    # --- the model ---------------------------------------------------------------

    def add_user(self, user_id: str, name: str, *, tz: str = "Europe/London",
                 deleted: bool = False) -> None:
        self.users[user_id] = {"id": user_id, "team_id": TEAM_ID, "name": name.lower()
                               .replace(" ", "."), "real_name": name, "deleted": deleted,
                               "tz": tz, "is_bot": False,
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

    def _use_trigger(self, trigger: str) -> str:
        issued = self.triggers.pop(trigger, None)
        if issued is None or self.monotonic() - issued[0] > TRIGGER_LIFETIME:
            raise SlackError("expired_trigger_id")
        return issued[1]

    def _resolve_channel(self, channel: str) -> str:
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
    def _json_arg(value: Any) -> Any:
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                raise SlackError("invalid_arguments") from None
        return value

    def messages_in(self, channel: str) -> list[Message]:
        return [m for m in self.messages if m.channel == channel and not m.ephemeral_to]

    # --- the Web API -------------------------------------------------------------

    def auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"url": "http://localhost/", "team": "Local", "user": "lpbot",
                "team_id": TEAM_ID, "user_id": BOT_USER_ID, "bot_id": BOT_ID,
                "is_enterprise_install": False}

    def chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        blocks = self._json_arg(args.get("blocks"))
        text = args.get("text")
        if not text and not blocks:
            raise SlackError("no_text")
        problems = check_message(text, blocks)
        if problems:
            raise SlackError("invalid_blocks", problems)
        channel = self._resolve_channel(str(args["channel"]))
        message = Message(channel=channel, ts=self.next_ts(), text=str(text or ""),
                          blocks=blocks, metadata=self._json_arg(args.get("metadata")),
                          thread_ts=args.get("thread_ts"))
        self.messages.append(message)
        return {"channel": channel, "ts": message.ts, "message": message.as_slack()}

    def chat_postEphemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        blocks = self._json_arg(args.get("blocks"))
        problems = check_message(args.get("text"), blocks)
        if problems:
            raise SlackError("invalid_blocks", problems)
        user = str(args["user"])
        channel = str(args["channel"])
        if user not in self.users:
            raise SlackError("user_not_found")
        info = self.channels.get(channel)
        if info is None:
            raise SlackError("channel_not_found")
        if user not in info["members"]:
            raise SlackError("user_not_in_channel")
        message = Message(channel=channel, ts=self.next_ts(), text=str(args.get("text") or ""),
                          blocks=blocks, ephemeral_to=user)
        self.messages.append(message)
        return {"message_ts": message.ts}

    def chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        blocks = self._json_arg(args.get("blocks"))
        problems = check_message(args.get("text"), blocks)
        if problems:
            raise SlackError("invalid_blocks", problems)
        for message in self.messages:
            if message.channel == args["channel"] and message.ts == args["ts"]:
                if "text" in args:
                    message.text = str(args["text"])
                if blocks is not None:
                    message.blocks = blocks
                return {"channel": message.channel, "ts": message.ts, "text": message.text}
        raise SlackError("message_not_found")

    def _store_view(self, view: dict[str, Any], user: str, *, root: str | None = None,
                    previous: str | None = None) -> View:
        problems = check_view(view)
        if problems:
            raise SlackError("invalid_blocks", problems)
        view_id = self.next_id("V")
        stored = View(id=view_id, user=user, view=view, hash=self._hash(view),
                      root_view_id=root or view_id, previous_view_id=previous)
        self.views[view_id] = stored
        return stored

    def _hash(self, view: dict[str, Any]) -> str:
        digest = hashlib.sha1(json.dumps(view, sort_keys=True).encode()).hexdigest()[:12]
        return f"{int(self.monotonic() * 1000)}.{digest}{next(self._ids)}"

    def views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        view = self._json_arg(args["view"])
        user = self._use_trigger(str(args["trigger_id"]))
        return {"view": self._store_view(view, user).as_slack()}

    def views_push(self, args: dict[str, Any]) -> dict[str, Any]:
        view = self._json_arg(args["view"])
        self._use_trigger(str(args["trigger_id"]))
        parent = next((v for v in reversed(self.views.values()) if v.open), None)
        stored = self._store_view(view, parent.user if parent else "",
                                  root=parent.root_view_id if parent else None,
                                  previous=parent.id if parent else None)
        return {"view": stored.as_slack()}

    def views_update(self, args: dict[str, Any]) -> dict[str, Any]:
        view = self._json_arg(args["view"])
        stored = self.views.get(str(args.get("view_id") or ""))
        if stored is None:
            raise SlackError("not_found")
        if args.get("hash") and args["hash"] != stored.hash:
            raise SlackError("hash_conflict")
        problems = check_view(view)
        if problems:
            raise SlackError("invalid_blocks", problems)
        stored.view = view
        stored.hash = self._hash(view)
        return {"view": stored.as_slack()}

    def views_publish(self, args: dict[str, Any]) -> dict[str, Any]:
        view = self._json_arg(args["view"])
        user = str(args["user_id"])
        if user not in self.users:
            raise SlackError("user_not_found")
        current = self.home.get(user)
        if args.get("hash") and current and args["hash"] != current.hash:
            raise SlackError("hash_conflict")
        if view.get("type") != "home":
            raise SlackError("invalid_arguments", ["view.type must be home"])
        problems = check_view(view)
        if problems:
            raise SlackError("invalid_blocks", problems)
        stored = View(id=current.id if current else self.next_id("V"), user=user, view=view,
                      hash=self._hash(view), root_view_id="")
        stored.root_view_id = stored.id
        self.home[user] = stored
        return {"view": stored.as_slack()}

    def users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        user = self.users.get(str(args["user"]))
        if user is None:
            raise SlackError("user_not_found")
        return {"user": user}

    @staticmethod
    def _page(items: list[Any], args: dict[str, Any], key: str) -> dict[str, Any]:
        start = int(args.get("cursor") or 0)
        limit = max(1, min(int(args.get("limit") or 100), 1000))
        page = items[start:start + limit]
        cursor = str(start + limit) if start + limit < len(items) else ""
        return {key: page, "response_metadata": {"next_cursor": cursor}}

    def users_list(self, args: dict[str, Any]) -> dict[str, Any]:
        return self._page(list(self.users.values()), args, "members")

    def _channel(self, args: dict[str, Any]) -> dict[str, Any]:
        info = self.channels.get(str(args["channel"]))
        if info is None:
            raise SlackError("channel_not_found")
        return info

    def conversations_members(self, args: dict[str, Any]) -> dict[str, Any]:
        return self._page(list(self._channel(args)["members"]), args, "members")

    def conversations_info(self, args: dict[str, Any]) -> dict[str, Any]:
        """The channel with ``is_member`` for the bot; a private channel the bot is not in
        is hidden from it (channel_not_found), as in Slack."""
        channel = self._channel(args)
        member = BOT_USER_ID in channel["members"]
        if channel.get("is_private") and not member:
            raise SlackError("channel_not_found")
        info = {k: v for k, v in channel.items() if k != "members"}
        if not channel.get("is_im"):
            info["is_member"] = member
        return {"channel": info}

    def conversations_join(self, args: dict[str, Any]) -> dict[str, Any]:
        """The bot joins a public channel (channels:join); private ones and DMs can't be
        joined, as in Slack; joining twice is fine, with a warning."""
        info = self.channels.get(str(args["channel"]))
        if info is None or (info.get("is_private") and BOT_USER_ID not in info["members"]):
            raise SlackError("channel_not_found")
        if info.get("is_im") or info.get("is_private"):
            raise SlackError("method_not_supported_for_channel_type")
        if info["is_archived"]:
            raise SlackError("is_archived")
        answer: dict[str, Any] = {}
        if BOT_USER_ID in info["members"]:
            answer["warning"] = "already_in_channel"
        else:
            info["members"].append(BOT_USER_ID)
        return {**answer, "channel": {k: v for k, v in info.items() if k != "members"}}

    def conversations_open(self, args: dict[str, Any]) -> dict[str, Any]:
        user = str(args["users"]).split(",")[0]
        if user not in self.users:
            raise SlackError("user_not_found")
        return {"channel": {"id": self.dm_channel(user)}}

    def conversations_history(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = str(args["channel"])
        if channel.startswith("U"):
            channel = self.dm_channel(channel)
        self._channel({"channel": channel})
        with_metadata = str(args.get("include_all_metadata", "")).lower() in ("1", "true")
        oldest = float(args.get("oldest") or 0)
        found = [m.as_slack(with_metadata=with_metadata) for m in reversed(self.messages_in(
            channel)) if float(m.ts) >= oldest]
        page = self._page(found, args, "messages")
        page["has_more"] = bool(page["response_metadata"]["next_cursor"])
        return page

    def conversations_replies(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = str(args["channel"])
        self._channel({"channel": channel})
        ts = str(args["ts"])
        with_metadata = str(args.get("include_all_metadata", "")).lower() in ("1", "true")
        thread = [m for m in self.messages_in(channel) if m.ts == ts or m.thread_ts == ts]
        if not thread:
            raise SlackError("thread_not_found")
        found = [m.as_slack(with_metadata=with_metadata) for m in thread]
        page = self._page(found, args, "messages")
        page["has_more"] = bool(page["response_metadata"]["next_cursor"])
        return page


REQUIRED: dict[str, tuple[str, ...]] = {
    "chat.postMessage": ("channel",),
    "chat.postEphemeral": ("channel", "user"),
    "chat.update": ("channel", "ts"),
    "views.open": ("trigger_id", "view"),
    "views.push": ("trigger_id", "view"),
    "views.update": ("view",),
    "views.publish": ("user_id", "view"),
    "users.info": ("user",),
    "conversations.members": ("channel",),
    "conversations.info": ("channel",),
    "conversations.history": ("channel",),
    "conversations.open": ("users",),
    "conversations.replies": ("channel", "ts"),
    "conversations.join": ("channel",),
}

METHODS: dict[str, Callable[[Workspace, dict[str, Any]], dict[str, Any]]] = {
    "auth.test": Workspace.auth_test,
    "chat.postMessage": Workspace.chat_postMessage,
    "chat.postEphemeral": Workspace.chat_postEphemeral,
    "chat.update": Workspace.chat_update,
    "views.open": Workspace.views_open,
    "views.push": Workspace.views_push,
    "views.update": Workspace.views_update,
    "views.publish": Workspace.views_publish,
    "users.info": Workspace.users_info,
    "users.list": Workspace.users_list,
    "conversations.members": Workspace.conversations_members,
    "conversations.info": Workspace.conversations_info,
    "conversations.history": Workspace.conversations_history,
    "conversations.open": Workspace.conversations_open,
    "conversations.replies": Workspace.conversations_replies,
    "conversations.join": Workspace.conversations_join,
}
