"""Personal data on screen and on file: the privacy notice, the staff erasure dialog, and
the zip a person receives from `/lp my data`."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from typing import Any

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.blocks import ids
from bot.blocks import messages as msg
from bot.blocks.common import esc, mrkdwn_section, plain
from storage.erasure import Erased, ErasureTarget
from storage.privacy import PersonalData, PrivacyFacts

EXPORT_NAME = "lpbot-my-data.zip"


def privacy_blocks(facts: PrivacyFacts) -> list[Block]:
    """`/lp privacy`: what is stored, who sees it, how long, and how to get or erase it."""
    if not facts.known:
        return [mrkdwn_section(msg.PRIVACY_NOTHING)]
    lines = [msg.PRIVACY_HEADER, msg.PRIVACY_STORES + " " +
             msg.PRIVACY_YOU_HAVE.format(count=facts.checkins), msg.PRIVACY_WHO,
             msg.PRIVACY_CHANNEL]
    if facts.retention_days is not None and facts.report_back is not None:
        lines.append(msg.PRIVACY_KEPT.format(days=facts.retention_days,
                                             report_back=facts.report_back.strftime("%-d %B %Y")))
    lines.append(msg.PRIVACY_RIGHTS)
    return [mrkdwn_section(line) for line in lines]


def privacy_text(facts: PrivacyFacts) -> str:
    return msg.PRIVACY_HEADER if facts.known else msg.PRIVACY_NOTHING


def erase_modal(target: ErasureTarget) -> View:
    """The confirmation dialog: who, what goes, what stays; nothing happens until Erase."""
    where = ", ".join(target.partnerships) or "no partnership"
    text = msg.FORGET_WHO.format(name=esc(target.name), partnerships=esc(where),
                                 checkins=target.checkins)
    return View(type="modal", callback_id=ids.ERASE_VIEW, title=plain(msg.FORGET_TITLE, 24),
                submit=plain(msg.FORGET_CONFIRM, 24), close=plain(msg.CANCEL, 24),
                private_metadata=target.slack_id, blocks=[mrkdwn_section(text)])


def erased_text(result: Erased) -> str:
    return msg.FORGET_DONE.format(checkins=result.checkins, texts=result.texts,
                                  dropped=result.deliveries_dropped)


def _csv(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    columns: list[str] = []
    for row in rows:
        columns += [key for key in row if key not in columns]
    writer = csv.DictWriter(out, fieldnames=columns or ["none"], restval="")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def export_archive(data: PersonalData) -> bytes:
    """One zip: data.json with everything, and a CSV per list for spreadsheets."""
    document = {"exported_at": data.exported_at.isoformat(), "profile": data.profile,
                "settings": data.settings, "memberships": data.memberships,
                "checkins": data.checkins, "objective_updates": data.objective_updates,
                "messages_to_you": data.deliveries}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(document, indent=2, ensure_ascii=False))
        for name, rows in (("checkins.csv", data.checkins),
                           ("objective_updates.csv", data.objective_updates),
                           ("memberships.csv", data.memberships),
                           ("messages_to_you.csv", data.deliveries)):
            archive.writestr(name, _csv(rows))
    return buffer.getvalue()
