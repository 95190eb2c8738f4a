"""The staff erasure dialog's confirmation: checked again from the database, then erased."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.blocks import messages as msg
from bot.blocks.privacy import erased_text
from bot.shell.deps import Deps
from handlers.common import after_ack, deps_of, dm, logger, user_id
from storage.access import viewer
from storage.erasure import AlreadyErased, UnknownPerson, erase_person


def handle_erase_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any],
                            client: WebClient, context: BoltContext) -> None:
    """Close the dialog at once; the erasure runs after the ack and is reported by DM."""
    ack()
    deps = deps_of(context)
    after_ack(deps, "erase", erase_confirmed, deps=deps, staff=user_id(body),
              slack_id=str(view.get("private_metadata") or ""), client=client)


def erase_confirmed(deps: Deps, staff: str, slack_id: str, client: WebClient) -> None:
    """Only staff may erase, whatever the dialog claims; logs carry ids of lpbot's rows."""
    who = viewer(deps.db, staff)
    if who is None or not who.is_staff:
        logger.warning("refused erasure user=%s", staff)
        dm(client, staff, msg.STAFF_ONLY)
        return
    try:
        result = erase_person(deps.db, slack_id, actor=staff, now=deps.clock())
    except AlreadyErased:
        dm(client, staff, msg.FORGET_ALREADY.format(slack_id=slack_id))
        return
    except UnknownPerson:
        dm(client, staff, msg.FORGET_UNKNOWN.format(slack_id=slack_id[:32]))
        return
    logger.info("erased person=%s by=%s", result.person_id, staff)
    dm(client, staff, erased_text(result))
