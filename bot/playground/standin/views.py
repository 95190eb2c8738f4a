"""The stand-in's ``views.*`` methods: modals opened with a one-use trigger, pushed,
updated (with Slack's hash check) and App Home published."""

from __future__ import annotations

from typing import Any

from bot.playground.standin.blockkit import check_view
from bot.playground.standin.workspace import SlackError, View, WebApiMethod, Workspace


def views_open(workspace: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    view = workspace.json_arg(args["view"])
    user = workspace.use_trigger(str(args["trigger_id"]))
    return {"view": workspace.store_view(view, user).as_slack()}


def views_push(workspace: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    view = workspace.json_arg(args["view"])
    workspace.use_trigger(str(args["trigger_id"]))
    parent = next((v for v in reversed(workspace.views.values()) if v.open), None)
    stored = workspace.store_view(view, parent.user if parent else "",
                                  root=parent.root_view_id if parent else None,
                                  previous=parent.id if parent else None)
    return {"view": stored.as_slack()}


def views_update(workspace: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    view = workspace.json_arg(args["view"])
    stored = workspace.views.get(str(args.get("view_id") or ""))
    if stored is None:
        raise SlackError("not_found")
    if args.get("hash") and args["hash"] != stored.hash:
        raise SlackError("hash_conflict")
    problems = check_view(view)
    if problems:
        raise SlackError("invalid_blocks", problems)
    stored.view = view
    stored.hash = workspace.view_hash(view)
    return {"view": stored.as_slack()}


def views_publish(workspace: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    view = workspace.json_arg(args["view"])
    user = str(args["user_id"])
    if user not in workspace.users:
        raise SlackError("user_not_found")
    current = workspace.home.get(user)
    if args.get("hash") and current and args["hash"] != current.hash:
        raise SlackError("hash_conflict")
    if view.get("type") != "home":
        raise SlackError("invalid_arguments", ["view.type must be home"])
    problems = check_view(view)
    if problems:
        raise SlackError("invalid_blocks", problems)
    stored = View(id=current.id if current else workspace.next_id("V"), user=user, view=view,
                  hash=workspace.view_hash(view), root_view_id="")
    stored.root_view_id = stored.id
    workspace.home[user] = stored
    return {"view": stored.as_slack()}


REQUIRED: dict[str, tuple[str, ...]] = {
    "views.open": ("trigger_id", "view"),
    "views.push": ("trigger_id", "view"),
    "views.update": ("view",),
    "views.publish": ("user_id", "view"),
}

METHODS: dict[str, WebApiMethod] = {
    "views.open": views_open,
    "views.push": views_push,
    "views.update": views_update,
    "views.publish": views_publish,
}
