"""Wires staff's Programme view buttons and editor submissions into the app."""

from __future__ import annotations

from slack_bolt import App

from bot.blocks import ids
from handlers.admin import actions, submissions
from handlers.common import acked


def register_admin(app: App) -> None:
    app.action(ids.ADMIN_HOME_PROGRAMME)(acked("admin home", actions.show_programme))
    app.action(ids.ADMIN_HOME_OVERVIEW)(acked("admin overview", actions.show_overview))
    app.action(ids.ADMIN_EDIT_PROGRAMME)(acked("admin programme", actions.edit_programme))
    app.action(ids.ADMIN_ADD_PARTNERSHIP)(acked("admin add", actions.edit_partnership))
    app.action(ids.ADMIN_EDIT_PARTNERSHIP)(acked("admin edit", actions.edit_partnership))
    app.action(ids.ADMIN_EDIT_STAFF)(acked("admin staff", actions.edit_staff))
    app.action(ids.ADMIN_ADD_LULL)(acked("admin add lull", actions.edit_lull))
    app.action(ids.ADMIN_EDIT_LULL)(acked("admin edit lull", actions.edit_lull))
    app.action(ids.ADMIN_REMOVE_LULL)(acked("admin remove lull", actions.remove_lull))
    app.view(ids.PROGRAMME_EDIT_VIEW)(submissions.handle_programme)
    app.view(ids.LULL_EDIT_VIEW)(submissions.handle_lull)
    app.view(ids.PARTNERSHIP_EDIT_VIEW)(submissions.handle_partnership)
    app.view(ids.INSTITUTIONS_VIEW)(submissions.handle_institutions)
    app.view(ids.STAFF_EDIT_VIEW)(submissions.handle_staff)
