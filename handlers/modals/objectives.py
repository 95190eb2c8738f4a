"""The leads' objectives editor: reword, retire and add, with every wording kept."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.blocks import ids
from bot.blocks import messages as msg
from bot.shell.deps import Deps
from handlers.common import (
    after_ack,
    deps_of,
    dm,
    int_value,
    log_id,
    logger,
)
from handlers.home import publish_home
from handlers.modals.state import text, values
from handlers.views import claim_or_refuse
from storage.access import viewer
from storage.db import StorageError
from storage.objectives import ObjectiveEdit, save_objectives

OBJECTIVE_LIMIT = 300
CHALLENGE_LIMIT = 2000


def parse_objectives(view: dict[str, Any]) -> tuple[ObjectiveEdit | None, dict[str, str]]:
    """The edit the modal asks for, or the inline errors to show."""
    state = values(view)
    titles: dict[int, str] = {}
    errors: dict[str, str] = {}
    for block_id in state:
        if block_id.startswith((ids.B_OBJECTIVE_TITLE, ids.B_NEW_OBJECTIVE)):
            if len(text(state, block_id, OBJECTIVE_LIMIT)) > OBJECTIVE_LIMIT:
                errors[block_id] = msg.ERR_OBJECTIVE_TOO_LONG
        if block_id.startswith(ids.B_OBJECTIVE_TITLE):
            objective_id = int_value(block_id[len(ids.B_OBJECTIVE_TITLE):])
            if objective_id is None:
                errors[block_id] = msg.ERR_STALE
            else:
                titles[objective_id] = text(state, block_id, OBJECTIVE_LIMIT)
    if errors:
        return None, errors
    new = [text(state, b, OBJECTIVE_LIMIT) for b in state if b.startswith(ids.B_NEW_OBJECTIVE)]
    return ObjectiveEdit(text(state, ids.B_CHALLENGE, CHALLENGE_LIMIT), titles, new), {}


def handle_objectives_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any],
                                 client: WebClient, context: BoltContext) -> None:
    """Only the partnership's leads and staff may save; the ack carries any error."""
    deps = deps_of(context)
    sealed = claim_or_refuse(deps, ack, body, view, "objectives", ids.B_CHALLENGE)
    if sealed is None:
        return
    slack_id, claim, where = sealed
    partnership_id = claim.partnership_id
    who = viewer(deps.db, slack_id)
    if who is None or partnership_id is None or not (
            who.is_staff or who.leads(partnership_id)):
        logger.warning("refused objectives edit user=%s partnership=%s", log_id(slack_id),
                       partnership_id)
        ack(response_action="errors", errors={where: msg.NOT_YOUR_PARTNERSHIP})
        return
    edit, errors = parse_objectives(view)
    if edit is None:
        ack(response_action="errors", errors=errors)
        return
    try:
        result = save_objectives(deps.db, partnership_id=partnership_id, edit=edit,
                                 by=slack_id, now=deps.clock())
    except ValueError:
        ack(response_action="errors", errors={where: msg.ERR_STALE})
        return
    except StorageError:
        logger.exception("objectives not stored user=%s", log_id(slack_id))
        ack(response_action="errors", errors={where: msg.ERR_NOT_SAVED})
        return
    ack()
    after_ack(deps, "objectives saved", _tell_saved, deps=deps, client=client,
              slack_id=slack_id, text=msg.OBJECTIVES_SAVED.format(
                  added=result.added, reworded=result.reworded, retired=result.retired))


def _tell_saved(deps: Deps, client: WebClient, slack_id: str, text: str) -> None:
    dm(client, slack_id, text)
    publish_home(deps, client, slack_id)
