"""`/lp objectives [slug]`: a lead (or staff) opens the objectives editor."""

from __future__ import annotations

from bot.blocks import messages as msg
from bot.blocks.common import echo
from bot.blocks.objectives import objectives_form_modal
from bot.shell.view_seal import ViewClaim
from handlers.commands.request import CommandRequest
from handlers.views import open_modal
from storage.access import Viewer
from storage.forms import objectives_form
from storage.status import find_partnership_id


def open_objectives(request: CommandRequest, who: Viewer) -> None:
    target = _target(request, who)
    if isinstance(target, str):
        request.say_text(target)
        return
    claim = ViewClaim("objectives", who.slack_id, target)
    view = objectives_form_modal(objectives_form(request.deps.db, target),
                                 request.deps.seal.seal(claim))
    open_modal(request.client, request.trigger_id, view, user=who.slack_id,
               tell=request.say_text)


def _target(request: CommandRequest, who: Viewer) -> int | str:
    """The partnership whose objectives this person may edit, or why not."""
    key = request.rest
    if key:
        partnership_id = find_partnership_id(request.deps.db, key)
        if partnership_id is None:
            return msg.UNKNOWN_PARTNERSHIP.format(key=echo(key))
        if not (who.is_staff or who.leads(partnership_id)):
            return msg.NOT_YOUR_PARTNERSHIP if who.led else msg.LEADS_ONLY
        return partnership_id
    if not who.led:
        return msg.LEADS_ONLY
    if len(who.led) > 1:
        return msg.SEVERAL_LED.format(command="objectives", slug=who.led[0].slug)
    return who.led[0].partnership_id
