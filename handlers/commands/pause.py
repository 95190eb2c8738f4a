"""`/lp pause 2 weeks` and `/lp resume`: a member stops and restarts their prompts."""

from __future__ import annotations

import re
from datetime import timedelta

from bot.blocks import messages as msg
from bot.blocks.common import when
from handlers.commands.request import CommandRequest
from storage.access import Viewer
from storage.people import pause, resume

PAUSE_RE = re.compile(r"^(\d{1,3})\s*(day|days|d|week|weeks|w)$")


def parse_pause(text: str) -> timedelta | None:
    """"2 weeks", "10 days", "3w": from a day to 26 weeks, else None."""
    match = PAUSE_RE.match(text.strip().lower())
    if not match:
        return None
    number = int(match.group(1))
    length = timedelta(weeks=number) if match.group(2).startswith("w") else \
        timedelta(days=number)
    return length if timedelta(days=1) <= length <= timedelta(weeks=26) else None


def pause_prompts(request: CommandRequest, who: Viewer) -> None:
    length = parse_pause(request.rest)
    if length is None or not who.seats:
        request.say_text(msg.PAUSE_USAGE if who.seats else msg.NOT_A_MEMBER)
        return
    until = pause(request.deps.db, who.person_id, length, request.deps.clock())
    request.say_text(msg.PAUSED.format(until=when(until)))


def resume_prompts(request: CommandRequest, who: Viewer) -> None:
    was_paused = resume(request.deps.db, who.person_id, request.deps.clock())
    request.say_text(msg.RESUMED if was_paused else msg.NOT_PAUSED)
