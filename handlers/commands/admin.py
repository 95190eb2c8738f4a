"""`/lp admin`: staff open the Programme view as a modal; anyone else is told politely.

Answered for anyone (in the programme or not), because on a fresh install the workspace
admins and ``LPBOT_STAFF`` are staff before any programme exists.
"""

from __future__ import annotations

from bot.blocks import admin_text as t
from handlers.admin.gate import is_staff, refuse
from handlers.admin.screens import admin_modal
from handlers.commands.request import CommandRequest
from handlers.views import open_modal


def open_admin(request: CommandRequest) -> None:
    slack_id = request.slack_id
    if not is_staff(request.deps, request.client, slack_id):
        refuse("/lp admin", slack_id)
        request.say_text(t.STAFF_ONLY)
        return
    open_modal(request.client, request.trigger_id, admin_modal(request.deps, slack_id),
               user=slack_id, tell=request.say_text)
