"""Bolt listeners, one module per Slack surface, each exposing ``register(app, deps)``."""

from __future__ import annotations

from slack_bolt import App

from bot.shell.deps import Deps
from handlers import actions, commands, events, views


def register_all(app: App, deps: Deps) -> None:
    for module in (commands, actions, views, events):
        module.register(app, deps)
