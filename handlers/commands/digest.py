"""`/lp digest`: staff preview this week's digest, privately."""

from __future__ import annotations

from bot.blocks import messages as msg
from bot.blocks.digest import digest_messages
from handlers.commands.request import CommandRequest
from storage.access import Viewer
from storage.digest import digest_now


def preview_digest(request: CommandRequest, who: Viewer) -> None:
    if not who.is_staff:
        request.say_text(msg.STAFF_ONLY)
        return
    for part in digest_messages(digest_now(request.deps.db, request.deps.clock())):
        request.say(part.blocks, part.text)
