"""The stand-in's ``auth.test`` and ``chat.*`` methods: messages posted, shown to one
person, and updated, checked against Block Kit's limits as Slack checks them."""

from __future__ import annotations

from typing import Any

from bot.playground.standin.blockkit import check_message
from bot.playground.standin.workspace import (
    BOT_ID,
    BOT_USER_ID,
    TEAM_ID,
    Message,
    SlackError,
    WebApiMethod,
    Workspace,
)


def auth_test(workspace: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    return {"url": "http://localhost/", "team": "Local", "user": "lpbot",
            "team_id": TEAM_ID, "user_id": BOT_USER_ID, "bot_id": BOT_ID,
            "is_enterprise_install": False}


def chat_postMessage(workspace: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    blocks = workspace.json_arg(args.get("blocks"))
    text = args.get("text")
    if not text and not blocks:
        raise SlackError("no_text")
    problems = check_message(text, blocks)
    if problems:
        raise SlackError("invalid_blocks", problems)
    channel = workspace.resolve_channel(str(args["channel"]))
    message = Message(channel=channel, ts=workspace.next_ts(), text=str(text or ""),
                      blocks=blocks, metadata=workspace.json_arg(args.get("metadata")),
                      thread_ts=args.get("thread_ts"))
    workspace.messages.append(message)
    return {"channel": channel, "ts": message.ts, "message": message.as_slack()}


def chat_postEphemeral(workspace: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    blocks = workspace.json_arg(args.get("blocks"))
    problems = check_message(args.get("text"), blocks)
    if problems:
        raise SlackError("invalid_blocks", problems)
    user = str(args["user"])
    channel = str(args["channel"])
    if user not in workspace.users:
        raise SlackError("user_not_found")
    info = workspace.channels.get(channel)
    if info is None:
        raise SlackError("channel_not_found")
    if user not in info["members"]:
        raise SlackError("user_not_in_channel")
    message = Message(channel=channel, ts=workspace.next_ts(), text=str(args.get("text") or ""),
                      blocks=blocks, ephemeral_to=user)
    workspace.messages.append(message)
    return {"message_ts": message.ts}


def chat_update(workspace: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    blocks = workspace.json_arg(args.get("blocks"))
    problems = check_message(args.get("text"), blocks)
    if problems:
        raise SlackError("invalid_blocks", problems)
    for message in workspace.messages:
        if message.channel == args["channel"] and message.ts == args["ts"]:
            if "text" in args:
                message.text = str(args["text"])
            if blocks is not None:
                message.blocks = blocks
            return {"channel": message.channel, "ts": message.ts, "text": message.text}
    raise SlackError("message_not_found")


REQUIRED: dict[str, tuple[str, ...]] = {
    "chat.postMessage": ("channel",),
    "chat.postEphemeral": ("channel", "user"),
    "chat.update": ("channel", "ts"),
}

METHODS: dict[str, WebApiMethod] = {
    "auth.test": auth_test,
    "chat.postMessage": chat_postMessage,
    "chat.postEphemeral": chat_postEphemeral,
    "chat.update": chat_update,
}
