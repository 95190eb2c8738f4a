"""The staff button in App Home that sends the report-back pack as a zip file."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient

from bot.blocks import messages as msg
from bot.report.pack import zipped
from bot.shell.deps import Deps
from handlers.common import best_effort, dm, logger, user_id
from storage.access import viewer
from storage.pack import pack_partnerships, pack_programme


def send_pack(deps: Deps, body: dict[str, Any], client: WebClient) -> None:
    """Build the pack and upload it into the clicker's DM: staff only, checked here from the
    database whatever the Home they clicked in showed."""
    slack_id = user_id(body)
    who = viewer(deps.db, slack_id)
    if who is None or not who.is_staff:
        logger.warning("refused send_pack user=%s", slack_id)
        dm(client, slack_id, msg.STAFF_ONLY)
        return
    now = deps.clock()
    programme = pack_programme(deps.db, now)
    data, result = zipped(programme, pack_partnerships(deps.db, programme, now))
    with best_effort("pack upload", user=slack_id):
        channel = client.conversations_open(users=slack_id)["channel"]["id"]
        client.files_upload_v2(channel=channel, file=data, filename="report-back-pack.zip",
                               title="Report-back pack",
                               initial_comment=msg.PACK_SENT.format(pages=result.pages))
        logger.info("pack sent user=%s pages=%d bytes=%d", slack_id, result.pages, len(data))
        return
    dm(client, slack_id, msg.PACK_FAILED)  # reached only when Slack refused the upload
