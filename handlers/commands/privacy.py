"""`/lp privacy` and `/lp my data`: anyone may ask what lpbot holds about them, and get it."""

from __future__ import annotations

from slack_sdk.errors import SlackApiError, SlackRequestError

from bot.blocks import messages as msg
from bot.blocks.privacy import EXPORT_NAME, export_archive, privacy_blocks, privacy_text
from handlers.commands.request import CommandRequest
from handlers.common import logger
from storage.privacy import claim_export, personal_data, privacy_facts, release_export


def show_privacy(request: CommandRequest) -> None:
    facts = privacy_facts(request.deps.db, request.slack_id)
    request.say(privacy_blocks(facts), privacy_text(facts))


def send_my_data(request: CommandRequest) -> None:
    """A zip of everything about the asker, uploaded into their DM; once a day at most
    (the audit log counts), and a failed upload does not use up the day's file."""
    if request.rest:
        request.say_text(msg.MY_DATA_USAGE)
        return
    deps, slack_id = request.deps, request.slack_id
    now = deps.clock()
    data = personal_data(deps.db, slack_id, now)
    if data is None:
        request.say_text(msg.MY_DATA_NOTHING)
        return
    entry = claim_export(deps.db, slack_id, now)
    if entry is None:
        logger.info("my data refused (limit) user=%s", slack_id)
        request.say_text(msg.MY_DATA_LIMIT)
        return
    archive = export_archive(data)
    try:
        channel = request.client.conversations_open(users=slack_id)["channel"]["id"]
        request.client.files_upload_v2(channel=channel, content=archive, filename=EXPORT_NAME,
                                       title=EXPORT_NAME, initial_comment=msg.MY_DATA_COMMENT)
    except (SlackApiError, SlackRequestError, OSError) as error:
        reason = error.response.get("error") if isinstance(error, SlackApiError) \
            else type(error).__name__
        logger.warning("my data upload failed user=%s error=%s", slack_id, reason)
        release_export(deps.db, entry)
        request.say_text(msg.MY_DATA_FAILED)
        return
    logger.info("my data sent user=%s bytes=%s", slack_id, len(archive))
    request.say_text(msg.MY_DATA_SENT)
