"""Bolt listeners: named module-level functions, one module per Slack surface.

``register`` only wires: it puts the dependencies in every request's ``context`` and maps
each command, button, modal and event to its listener.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext

from bot.blocks import ids
from bot.shell.deps import Deps
from handlers import buttons, cadence, commands, home, overview, people
from handlers.common import DEPS
from handlers.modals import checkin, erase, objectives
from handlers.pack import handle_send_pack


def register(app: App, deps: Deps) -> None:
    """Wire every listener into ``app``; ``deps`` reach them through ``context``."""

    def provide_deps(context: BoltContext, next: Callable[[], Any]) -> Any:
        context[DEPS] = deps
        return next()

    app.use(provide_deps)
    app.command("/lp")(commands.handle_lp)
    app.action(ids.OPEN_CHECKIN)(buttons.handle_open_checkin)
    app.action(re.compile(rf"^{ids.PULSE}_[1-5]$"))(buttons.handle_pulse)
    app.action(ids.SNOOZE)(buttons.handle_snooze)
    app.action(ids.SEND_PACK)(handle_send_pack)
    app.action(re.compile(rf"^{ids.OVERVIEW_PAGE}_(previous|next)$"))(
        overview.handle_overview_page)
    app.action(ids.HOME_REMINDERS)(cadence.handle_home_reminders)
    app.action(ids.HOME_PAUSE)(cadence.handle_home_pause)
    app.action(ids.HOME_RESUME)(cadence.handle_home_resume)
    app.view(ids.CHECKIN_VIEW)(checkin.handle_checkin_submission)
    app.view(ids.CHOOSE_VIEW)(checkin.handle_partnership_choice)
    app.view(ids.OBJECTIVES_VIEW)(objectives.handle_objectives_submission)
    app.event("app_home_opened")(home.handle_home_opened)
    app.view(ids.ERASE_VIEW)(erase.handle_erase_submission)
    app.event("user_change")(people.handle_user_change)
