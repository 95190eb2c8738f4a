"""Group DMs at the stand-in: ``conversations.open`` with several users opens (or resumes)
a multi-person DM, as Slack does; one user is still the workspace's one-to-one DM.

Slack takes 1 to 8 users besides the caller (the bot is added itself), resumes the same
group DM for the same people, and refuses unknown or deactivated users. Messages posted
there are recorded like any other (``Workspace.messages_in(channel)``).
"""

from __future__ import annotations

from typing import Any

from bot.playground.standin import conversations
from bot.playground.standin.workspace import BOT_USER_ID, SlackError, WebApiMethod, Workspace

MAX_USERS = 8


def conversations_open(workspace: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    users = [u.strip() for u in str(args["users"]).split(",") if u.strip()]
    others = list(dict.fromkeys(u for u in users if u != BOT_USER_ID))
    if len(others) <= 1:
        return conversations.conversations_open(workspace, args)
    if len(others) > MAX_USERS:
        raise SlackError("too_many_users")
    for user in others:
        info = workspace.users.get(user)
        if info is None:
            raise SlackError("user_not_found")
        if info["deleted"]:
            raise SlackError("user_disabled")
    members = sorted([*others, BOT_USER_ID])
    for channel in workspace.channels.values():
        if channel.get("is_mpim") and sorted(channel["members"]) == members:
            return {"channel": {"id": channel["id"]}}
    channel_id = workspace.next_id("G")
    workspace.channels[channel_id] = {
        "id": channel_id, "name": "mpdm-" + "--".join(others), "is_channel": False,
        "is_im": False, "is_mpim": True, "is_private": True, "is_archived": False,
        "members": [*others, BOT_USER_ID]}
    return {"channel": {"id": channel_id}}


def group_dms(workspace: Workspace) -> list[dict[str, Any]]:
    """Every group DM opened so far (for tests and the playground)."""
    return [c for c in workspace.channels.values() if c.get("is_mpim")]


METHODS: dict[str, WebApiMethod] = {
    "conversations.open": conversations_open,
}
