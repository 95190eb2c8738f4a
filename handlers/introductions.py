""""Introduce them": staff open a review modal from the digest's common ground, and on
Send lpbot opens a group DM of the partnerships' leads and the staff member and posts the
introduction there once.

Only staff may click or send (the one gate, ``is_staff``), whatever the payload says.
Who is in the DM is read again from the database at Send; the group itself travels sealed
in the modal, so a forged submission can't change it.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks import ids
from bot.blocks import introduction as intro
from bot.blocks import messages as msg
from bot.blocks.common import esc
from bot.shell.deps import Deps
from bot.shell.view_seal import ViewClaim
from handlers.admin.gate import is_staff
from handlers.admin.naming import NotInSlack, people_from_slack
from handlers.common import after_ack, deps_of, dm, log_id, logger, user_id
from handlers.modals.state import text, values
from handlers.views import claimed, open_modal
from storage.access import viewer
from storage.common_ground import GroupRef
from storage.introductions import (
    already_introduced,
    introduction_draft,
    introduction_key,
    queue_introduction,
)


def _staff(deps: Deps, client: WebClient, slack_id: str, what: str) -> bool:
    """The one staff gate every admin action uses (database, ``LPBOT_STAFF``, Slack)."""
    if not is_staff(deps, client, slack_id):
        logger.warning("refused %s user=%s", what, log_id(slack_id))
        return False
    return True


def _staff_name(deps: Deps, client: WebClient, slack_id: str) -> str:
    """The name to sign the draft with: as lpbot knows them, else as Slack does."""
    who = viewer(deps.db, slack_id)
    if who is not None:
        return who.name
    try:
        return people_from_slack(deps, client, [slack_id]).people[0].name
    except NotInSlack:
        return ""


def open_introduction(deps: Deps, body: dict[str, Any], client: WebClient) -> None:
    """The review modal for the group the button names (staff only)."""
    slack_id = user_id(body)
    if not _staff(deps, client, slack_id, "introduce"):
        dm(client, slack_id, msg.STAFF_ONLY)
        return
    actions = body.get("actions") or [{}]
    action = actions[0] if isinstance(actions[0], dict) else {}
    ref = GroupRef.from_value(action.get("value"))
    if ref is None:
        dm(client, slack_id, intro.INTRO_STALE)
        return
    if already_introduced(deps.db, introduction_key(ref, slack_id)):
        dm(client, slack_id, intro.INTRO_SENT_ALREADY.format(theme=esc(ref.theme)))
        return
    draft = introduction_draft(deps.db, ref)
    if draft is None:
        dm(client, slack_id, intro.INTRO_NO_LEADS)
        return
    sealed = deps.seal.seal(ViewClaim("intro", slack_id, None, ref.to_value()))
    open_modal(client, str(body.get("trigger_id", "")),
               intro.introduction_modal(
                   draft, _staff_name(deps, client, slack_id), sealed), user=slack_id,
               tell=lambda words: dm(client, slack_id, words))


def handle_introduction_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any],
                                   client: WebClient, context: BoltContext) -> None:
    """Check the seal, the sender and the text inside the ack (errors show inline); the
    group DM is opened and the introduction sent after it."""
    deps = deps_of(context)
    slack_id = user_id(body)
    where = ids.B_INTRO_TEXT
    claim = claimed(deps, view, "intro", slack_id)
    ref = GroupRef.from_value(claim.base) if claim is not None else None
    if claim is None or ref is None:
        ack(response_action="errors", errors={where: msg.ERR_NOT_YOUR_VIEW})
        return
    if not _staff(deps, client, slack_id, "introduction"):
        ack(response_action="errors", errors={where: msg.STAFF_ONLY})
        return
    words = text(values(view), ids.B_INTRO_TEXT, intro.INTRO_LIMIT)
    if not words:
        ack(response_action="errors", errors={where: intro.ERR_INTRO_EMPTY})
        return
    if len(words) > intro.INTRO_LIMIT:
        ack(response_action="errors",
            errors={where: intro.ERR_INTRO_LONG.format(limit=intro.INTRO_LIMIT)})
        return
    ack()
    after_ack(deps, "introduction", send_introduction, deps=deps, client=client,
              staff=slack_id, ref=ref, words=words)


def send_introduction(deps: Deps, client: WebClient, staff: str, ref: GroupRef,
                      words: str) -> None:
    """Open the group DM (leads read now) and queue the introduction under its key; only
    the first of several submissions finds the key free, so one message goes out."""
    key = introduction_key(ref, staff)
    if already_introduced(deps.db, key):
        logger.info("introduction already sent user=%s group=%s", log_id(staff), ref.key)
        return
    draft = introduction_draft(deps.db, ref)
    if draft is None:
        dm(client, staff, intro.INTRO_NO_LEADS)
        return
    users = list(dict.fromkeys([lead.slack_id for lead in draft.leads] + [staff]))
    try:
        opened = client.conversations_open(users=",".join(users))
        channel = str(opened["channel"]["id"])
    except (SlackApiError, OSError) as error:
        reason = error.response.get("error") if isinstance(error, SlackApiError) \
            else type(error).__name__
        logger.warning("group DM not opened user=%s error=%s", log_id(staff), log_id(reason))
        dm(client, staff, intro.INTRO_FAILED.format(error=esc(str(reason))))
        return
    row = queue_introduction(deps.db, key=key, channel=channel,
                             payload=intro.introduction_message(words), now=deps.clock())
    logger.info("introduction %s user=%s group=%s leads=%s", "queued" if row else "duplicate",
                log_id(staff), ref.key, len(draft.leads))
    if row is not None:
        deps.send_now([row])
