"""`/lp forget <Slack id>`: staff open the erasure dialog; nothing is erased until they
confirm it (handlers.modals.erase)."""

from __future__ import annotations

import re

from bot.blocks import messages as msg
from bot.blocks.privacy import erase_modal
from handlers.commands.request import CommandRequest
from storage.access import Viewer
from storage.erasure import erasure_target, was_erased

# A Slack id as typed, or as Slack escapes a mention: <@U0123ABCD|name>.
SLACK_ID = re.compile(r"^<?@?([UW][A-Z0-9]{2,31})(?:\|[^>]*)?>?$")


def confirm_erasure(request: CommandRequest, who: Viewer) -> None:
    if not who.is_staff:
        request.say_text(msg.STAFF_ONLY)
        return
    match = SLACK_ID.match(request.rest.strip())
    if match is None:
        request.say_text(msg.FORGET_USAGE)
        return
    slack_id = match.group(1)
    target = erasure_target(request.deps.db, slack_id)
    if target is None:
        erased = was_erased(request.deps.db, slack_id)
        request.say_text((msg.FORGET_ALREADY if erased else msg.FORGET_UNKNOWN)
                         .format(slack_id=slack_id))
        return
    request.client.views_open(trigger_id=request.trigger_id, view=erase_modal(target))
