"""`/lp checkin`: open the check-in modal (or first ask which partnership)."""

from __future__ import annotations

from bot.blocks import messages as msg
from bot.blocks.checkin import checkin_form_modal, choose_partnership_modal
from handlers.commands.request import CommandRequest
from storage.access import Viewer
from storage.forms import checkin_form


def open_checkin(request: CommandRequest, who: Viewer) -> None:
    if not who.seats:
        request.say_text(msg.NOT_A_MEMBER)
        return
    if len(who.seats) > 1:
        view = choose_partnership_modal([(s.partnership_id, s.name) for s in who.seats])
    else:
        deps = request.deps
        view = checkin_form_modal(checkin_form(deps.db, who.person_id,
                                               who.seats[0].partnership_id, deps.clock()))
    request.client.views_open(trigger_id=request.trigger_id, view=view)
