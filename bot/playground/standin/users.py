"""The stand-in's ``users.*`` methods: one person, or everyone a page at a time."""

from __future__ import annotations

from typing import Any

from bot.playground.standin.workspace import SlackError, WebApiMethod, Workspace


def users_info(workspace: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    user = workspace.users.get(str(args["user"]))
    if user is None:
        raise SlackError("user_not_found")
    return {"user": user}


def users_list(workspace: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    return workspace.page(list(workspace.users.values()), args, "members")


REQUIRED: dict[str, tuple[str, ...]] = {
    "users.info": ("user",),
}

METHODS: dict[str, WebApiMethod] = {
    "users.info": users_info,
    "users.list": users_list,
}
