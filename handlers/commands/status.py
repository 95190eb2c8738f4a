"""`/lp status [all | slug | name]`: what this person may see of momentum."""

from __future__ import annotations

from bot.blocks.status import status_view_blocks
from handlers.commands.request import CommandRequest
from storage.access import Viewer
from storage.status import status_view


def show_status(request: CommandRequest, who: Viewer) -> None:
    now = request.deps.clock()
    view = status_view(request.deps.db, who, request.rest, now)
    request.say(status_view_blocks(view, now), "Status")
