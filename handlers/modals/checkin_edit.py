"""A member edits their check-in until its round closes: the button on their confirmation
opens the modal filled with their answers; saving replaces them.

Only the member themself may open or save it: the button's check-in id is looked up for
the clicker, and the modal is sealed to them and to that check-in, whatever the payload
says. Once the round has closed, both the button and a late Save say so kindly.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.blocks import ids
from bot.blocks import messages as msg
from bot.blocks.checkin import checkin_form_modal, confirmation_blocks, confirmation_text
from bot.shell.deps import Deps
from bot.shell.view_seal import ViewClaim
from handlers.common import after_ack, deps_of, dm, from_home, int_value, log_id, logger, user_id
from handlers.modals.checkin import confirm, parse_checkin, refused_words
from handlers.views import claim_or_refuse, open_modal
from storage.access import viewer
from storage.checkin_edits import RoundClosed, edit_checkin, edit_form, parse_base
from storage.checkins import CheckinRejected, Outcome
from storage.db import StorageError


def open_checkin_edit(deps: Deps, body: dict[str, Any], client: WebClient) -> None:
    """The check-in modal filled with the clicker's own answers, while the round is open."""
    slack_id = user_id(body)
    actions = body.get("actions") or [{}]
    action = actions[0] if isinstance(actions[0], dict) else {}
    checkin_id = int_value(action.get("value"))
    who = viewer(deps.db, slack_id)
    if who is None or checkin_id is None:
        logger.warning("refused edit check-in user=%s", log_id(slack_id))
        dm(client, slack_id, msg.NOT_YOUR_CHECKIN)
        return
    try:
        found = edit_form(deps.db, person_id=who.person_id, checkin_id=checkin_id,
                          now=deps.clock())
    except RoundClosed:
        dm(client, slack_id, msg.ROUND_CLOSED)
        return
    except CheckinRejected:
        logger.warning("refused edit check-in user=%s checkin=%s", log_id(slack_id),
                       checkin_id)
        dm(client, slack_id, msg.NOT_YOUR_CHECKIN)
        return
    claim = ViewClaim("edit", slack_id, found.form.partnership_id, found.base,
                      from_home(body))
    view = checkin_form_modal(found.form, deps.seal.seal(claim), ids.EDIT_CHECKIN_VIEW)
    open_modal(client, str(body.get("trigger_id", "")), view, user=slack_id,
               tell=lambda words: dm(client, slack_id, words))


def handle_checkin_edit(ack: Ack, body: dict[str, Any], view: dict[str, Any],
                        client: WebClient, context: BoltContext) -> None:
    """Validate and replace the answers inside the ack, so a refusal shows in the modal."""
    deps = deps_of(context)
    sealed = claim_or_refuse(deps, ack, body, view, "edit", ids.B_MOMENTUM)
    if sealed is None:
        return
    slack_id, claim, where = sealed
    target = parse_base(claim.base)
    if target is None or claim.partnership_id is None:
        ack(response_action="errors", errors={where: msg.ERR_NOT_YOUR_VIEW})
        return
    who = viewer(deps.db, slack_id)
    if who is None or not who.is_member_of(claim.partnership_id):
        ack(response_action="errors", errors={where: msg.NOT_YOUR_PARTNERSHIP})
        return
    data, errors = parse_checkin(view)
    if data is None:
        ack(response_action="errors", errors=errors)
        return
    seat = who.seat(claim.partnership_id)
    checkin_id, stamp = target
    try:
        outcome, queued = edit_checkin(
            deps.db, person_id=who.person_id, slack_id=slack_id, checkin_id=checkin_id,
            data=replace(data, base=stamp), now=deps.clock(),
            confirmation=lambda _, momentum: confirmation_text(
                False, who.name, seat.name if seat else "", momentum),
            confirmation_blocks=confirmation_blocks)
    except CheckinRejected as error:
        ack(response_action="errors", errors={where: refused_words(error)})
        return
    except StorageError:
        logger.exception("check-in edit not stored user=%s", log_id(slack_id))
        ack(response_action="errors", errors={where: msg.ERR_NOT_SAVED})
        return
    ack()
    logger.info("check-in edit %s user=%s checkin=%s", outcome.value, log_id(slack_id),
                checkin_id)
    after_ack(deps, "check-in edit confirmation", confirm, deps=deps, client=client,
              slack_id=slack_id, queued=queued,
              refresh_home=claim.home and outcome is not Outcome.DUPLICATE)
