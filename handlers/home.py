"""App Home: published when someone opens it, and refreshed after what changes it."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.blocks.admin import not_set_up_home, programme_home
from bot.blocks.home import home_view
from bot.shell.deps import Deps
from handlers.admin.gate import is_staff
from handlers.common import after_ack, best_effort, deps_of
from storage.access import is_outsider
from storage.admin_view import admin_view, recent_changes
from storage.home import home_data
from storage.people import set_timezone


def publish_home(deps: Deps, client: WebClient, slack_id: str) -> None:
    """Refresh someone's App Home after something changed it. Before a programme exists
    it says what to do first; staff who are in no partnership see the Programme view."""
    now = deps.clock()
    data = home_data(deps.db, slack_id, now)  # it says whether a programme exists
    if not data.programme:
        view = not_set_up_home(is_staff(deps, client, slack_id))
    elif is_outsider(data.viewer) and is_staff(deps, client, slack_id):
        view = programme_home(admin_view(deps.db), recent_changes(deps.db))
    else:
        # The way into the Programme view, for staff and LPBOT_STAFF (an admin who is
        # also a member uses `/lp admin`: no users.info on every Home refresh).
        entry = bool(data.viewer and data.viewer.is_staff) or deps.staff.listed(slack_id)
        view = home_view(data, now, admin_entry=entry)
    with best_effort("home publish", user=slack_id):
        client.views_publish(user_id=slack_id, view=view)


def handle_home_opened(event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    """Bolt acks events itself; the Home is built on the answer pool."""
    if event.get("tab", "home") != "home":
        return
    deps = deps_of(context)
    after_ack(deps, "app_home_opened", show_home, deps=deps, event=event, client=client)


def show_home(deps: Deps, event: dict[str, Any], client: WebClient) -> None:
    """Learn the person's time zone from Slack, then show them their Home."""
    slack_id = str(event.get("user", ""))
    with best_effort("users.info", user=slack_id):
        tz = client.users_info(user=slack_id)["user"].get("tz")
        if tz:
            set_timezone(deps.db, slack_id, str(tz))
    publish_home(deps, client, slack_id)
