"""Modals sealed to the person they were opened for, and opened without a traceback.

Every modal lpbot opens carries a sealed claim (``bot.shell.view_seal``): whose it is, what
for, which partnership, and the check-in it was opened against. A submission is believed
only when the seal is intact, the purpose matches and the submitter is the owner.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from slack_bolt import Ack
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.views import View

from bot.blocks import messages as msg
from bot.blocks.checkin import checkin_form_modal
from bot.shell.deps import Deps
from bot.shell.view_seal import ViewClaim
from handlers.common import log_id, logger, user_id
from handlers.modals.state import first_input_block
from storage.forms import CheckinForm


def claimed(deps: Deps, view: dict[str, Any], purpose: str, slack_id: str
            ) -> ViewClaim | None:
    """The view's claim if lpbot sealed it for ``purpose`` and for ``slack_id``; else one
    log line (ids only) and None."""
    claim = deps.seal.open(view.get("private_metadata"))
    reason = ("not sealed by lpbot" if claim is None else
              "another purpose" if claim.purpose != purpose else
              "another owner" if claim.owner != slack_id else None)
    if claim is not None and reason is None:
        return claim
    logger.warning("refused %s view user=%s owner=%s view=%s reason=%s", purpose,
                   log_id(slack_id), log_id(claim.owner) if claim else "-",
                   log_id(view.get("id", "-")), reason)
    return None


class Sealed(NamedTuple):
    """A submission whose seal holds: its submitter, their claim, and the block a general
    error hangs on."""

    slack_id: str
    claim: ViewClaim
    where: str


def claim_or_refuse(deps: Deps, ack: Ack, body: dict[str, Any], view: dict[str, Any],
                    purpose: str, preferred: str) -> Sealed | None:
    """The submitted view's claim for its submitter; otherwise the ack that refuses it
    inline (on ``preferred``, or the first input block there is) and None."""
    slack_id = user_id(body)
    where = first_input_block(view, preferred)
    claim = claimed(deps, view, purpose, slack_id)
    if claim is None:
        ack(response_action="errors", errors={where: msg.ERR_NOT_YOUR_VIEW})
        return None
    return Sealed(slack_id, claim, where)


def open_modal(client: WebClient, trigger_id: str, view: View, *, user: str,
               tell: Callable[[str], None]) -> bool:
    """views.open; when Slack refuses (mostly a trigger that expired or was used) or can't
    be reached, one log line and a message asking the person to try again."""
    try:
        client.views_open(trigger_id=trigger_id, view=view)
        return True
    except (SlackApiError, OSError) as error:
        reason = error.response.get("error") if isinstance(error, SlackApiError) \
            else type(error).__name__
        logger.warning("views.open failed user=%s error=%s", log_id(user), log_id(reason))
        tell(msg.VIEW_OPEN_FAILED)
        return False


def checkin_view(deps: Deps, slack_id: str, form: CheckinForm, *, home: bool = False
                 ) -> View:
    """The check-in modal, sealed to its owner, to the check-in it shows and to whether it
    was opened from the App Home tab."""
    claim = ViewClaim("checkin", slack_id, form.partnership_id, form.base, home)
    return checkin_form_modal(form, deps.seal.seal(claim))
