"""Events API: App Home opened."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.shell.deps import Deps
from handlers.actions import publish_home
from handlers.common import best_effort, safely
from storage.people import set_timezone


def register(app: App, deps: Deps) -> None:
    @app.event("app_home_opened")
    @safely("app_home_opened")
    def handle_home_opened(event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        slack_id = str(event.get("user", ""))
        with best_effort("users.info", user=slack_id):
            tz = client.users_info(user=slack_id)["user"].get("tz")
            if tz:
                with deps.session_factory.begin() as session:
                    set_timezone(session, slack_id, str(tz))
        publish_home(deps, client, slack_id)
