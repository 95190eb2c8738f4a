"""The stand-in's ``conversations.*`` methods: channel info and members, joining,
opening a DM, and reading history and threads a page at a time."""

from __future__ import annotations

from typing import Any

from bot.playground.standin.workspace import BOT_USER_ID, SlackError, WebApiMethod, Workspace


def conversations_members(workspace: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    return workspace.page(list(workspace.channel_info(args)["members"]), args, "members")


def conversations_info(workspace: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    """The channel with ``is_member`` for the bot; a private channel the bot is not in
    is hidden from it (channel_not_found), as in Slack."""
    channel = workspace.channel_info(args)
    member = BOT_USER_ID in channel["members"]
    if channel.get("is_private") and not member:
        raise SlackError("channel_not_found")
    info = {k: v for k, v in channel.items() if k != "members"}
    if not channel.get("is_im"):
        info["is_member"] = member
    return {"channel": info}


def conversations_join(workspace: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    """The bot joins a public channel (channels:join); private ones and DMs can't be
    joined, as in Slack; joining twice is fine, with a warning."""
    info = workspace.channels.get(str(args["channel"]))
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


def conversations_open(workspace: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    user = str(args["users"]).split(",")[0]
    if user not in workspace.users:
        raise SlackError("user_not_found")
    return {"channel": {"id": workspace.dm_channel(user)}}


def conversations_history(workspace: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    channel = str(args["channel"])
    if channel.startswith("U"):
        channel = workspace.dm_channel(channel)
    workspace.channel_info({"channel": channel})
    with_metadata = str(args.get("include_all_metadata", "")).lower() in ("1", "true")
    oldest = float(args.get("oldest") or 0)
    found = [m.as_slack(with_metadata=with_metadata) for m in reversed(workspace.messages_in(
        channel)) if float(m.ts) >= oldest]
    page = workspace.page(found, args, "messages")
    page["has_more"] = bool(page["response_metadata"]["next_cursor"])
    return page


def conversations_replies(workspace: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    channel = str(args["channel"])
    workspace.channel_info({"channel": channel})
    ts = str(args["ts"])
    with_metadata = str(args.get("include_all_metadata", "")).lower() in ("1", "true")
    thread = [m for m in workspace.messages_in(channel) if m.ts == ts or m.thread_ts == ts]
    if not thread:
        raise SlackError("thread_not_found")
    found = [m.as_slack(with_metadata=with_metadata) for m in thread]
    page = workspace.page(found, args, "messages")
    page["has_more"] = bool(page["response_metadata"]["next_cursor"])
    return page


REQUIRED: dict[str, tuple[str, ...]] = {
    "conversations.members": ("channel",),
    "conversations.info": ("channel",),
    "conversations.history": ("channel",),
    "conversations.open": ("users",),
    "conversations.replies": ("channel", "ts"),
    "conversations.join": ("channel",),
}

METHODS: dict[str, WebApiMethod] = {
    "conversations.members": conversations_members,
    "conversations.info": conversations_info,
    "conversations.history": conversations_history,
    "conversations.open": conversations_open,
    "conversations.replies": conversations_replies,
    "conversations.join": conversations_join,
}
