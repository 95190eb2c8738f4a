"""`/lp checkin`: open the check-in modal (or first ask which partnership)."""

from __future__ import annotations

from bot.blocks import messages as msg
from bot.blocks.checkin import choose_partnership_modal
from bot.shell.view_seal import ViewClaim
from handlers.commands.request import CommandRequest
from handlers.views import checkin_view, open_modal
from storage.access import Viewer
from storage.forms import checkin_form


def open_checkin(request: CommandRequest, who: Viewer) -> None:
    if not who.seats:
        request.say_text(msg.NOT_A_MEMBER)
        return
    deps = request.deps
    if len(who.seats) > 1:
        view = choose_partnership_modal([(s.partnership_id, s.name) for s in who.seats],
                                        deps.seal.seal(ViewClaim("choose", who.slack_id)))
    else:
        view = checkin_view(deps, who.slack_id, checkin_form(
            deps.db, who.person_id, who.seats[0].partnership_id, deps.clock()))
    open_modal(request.client, request.trigger_id, view, user=who.slack_id,
               tell=request.say_text)
