"""`/lp reminders on|off`: the gentle nudges after a prompt."""

from __future__ import annotations

from bot.blocks import messages as msg
from handlers.commands.request import CommandRequest
from storage.access import Viewer
from storage.people import set_reminders


def switch_reminders(request: CommandRequest, who: Viewer) -> None:
    choice = request.rest.lower()
    if choice not in ("on", "off"):
        request.say_text(msg.REMINDERS_USAGE)
        return
    set_reminders(request.deps.db, who.person_id, choice == "on")
    request.say_text(msg.REMINDERS_ON if choice == "on" else msg.REMINDERS_OFF)
