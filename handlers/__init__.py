"""Bolt listeners: named module-level functions, one module per Slack surface.

``register`` only wires: it puts the dependencies in every request's ``context`` and maps
each command, button, modal and event to its listener; a button's listener is its named
work function behind ``acked`` (ack at once, the work on the answer pool).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext

from bot.blocks import ids
from bot.shell.deps import Deps
from handlers import buttons, cadence, commands, home, introductions, overview, pack, people
from handlers.admin.wiring import register_admin
from handlers.common import DEPS, acked
from handlers.modals import checkin, checkin_edit, erase, objectives


def register(app: App, deps: Deps) -> None:
    """Wire every listener into ``app``; ``deps`` reach them through ``context``."""

    def provide_deps(context: BoltContext, next: Callable[[], Any]) -> Any:
        context[DEPS] = deps
        return next()

    app.use(provide_deps)
    app.command("/lp")(commands.handle_lp)
    app.action(ids.OPEN_CHECKIN)(acked("open check-in", buttons.open_checkin))
    app.action(re.compile(rf"^{ids.PULSE}_[1-5]$"))(acked("pulse", buttons.record_pulse))
    app.action(ids.SNOOZE)(acked("snooze", buttons.snooze_reminders))
    app.action(ids.SEND_PACK)(acked("send pack", pack.send_pack))
    app.action(re.compile(rf"^{ids.OVERVIEW_PAGE}_(previous|next)$"))(
        acked("overview page", overview.show_page))
    app.action(ids.HOME_REMINDERS)(acked("home reminders", cadence.switch_reminders))
    app.action(ids.HOME_PAUSE)(acked("home pause", cadence.pause_prompts_until))
    app.action(ids.HOME_RESUME)(acked("home resume", cadence.resume_prompts))
    app.view(ids.CHECKIN_VIEW)(checkin.handle_checkin_submission)
    app.view(ids.CHOOSE_VIEW)(checkin.handle_partnership_choice)
    app.view(ids.OBJECTIVES_VIEW)(objectives.handle_objectives_submission)
    app.event("app_home_opened")(home.handle_home_opened)
    app.view(ids.ERASE_VIEW)(erase.handle_erase_submission)
    app.event("user_change")(people.handle_user_change)
    app.action(ids.INTRODUCE)(acked("introduce", introductions.open_introduction))
    app.view(ids.INTRO_VIEW)(introductions.handle_introduction_submission)
    app.action(ids.EDIT_CHECKIN)(acked("edit check-in", checkin_edit.open_checkin_edit))
    app.view(ids.EDIT_CHECKIN_VIEW)(checkin_edit.handle_checkin_edit)
    register_admin(app)
