"""The scheduler's messages rendered as Block Kit (the scheduler's Renderer)."""

from __future__ import annotations

from typing import Any

from bot.blocks import messages as msg
from bot.blocks.channel_summary import channel_summary_messages
from bot.blocks.checkin import progress_text, prompt_blocks
from bot.blocks.common import esc, mrkdwn_section
from bot.blocks.digest import digest_messages
from storage.channel_summaries import RoundSummary
from storage.digest import Digest


class BlockKitRenderer:
    """Builds {"text", "blocks"} payloads that the outbox stores and the worker sends."""

    def prompt(self, *, partnership_id: int, partnership_name: str, lull: str | None,
               report_back_days: int | None, reminder: bool,
               progress: tuple[int, int] | None = None) -> dict[str, Any]:
        blocks = prompt_blocks(partnership_id=partnership_id, partnership_name=partnership_name,
                               lull=lull, report_back_days=report_back_days, reminder=reminder,
                               progress=progress)
        text = (msg.REMINDER_TEXT if reminder else msg.PROMPT_TEXT).format(
            partnership=esc(partnership_name))
        if reminder and progress is not None:
            text += " " + progress_text(*progress)
        return {"text": text, "blocks": [b.to_dict() for b in blocks]}

    def lead_alert(self, *, partnership_name: str, reasons: list[str]) -> dict[str, Any]:
        text = msg.LEAD_ALERT.format(partnership=esc(partnership_name),
                                     reasons="; ".join(reasons) or "it has gone quiet")
        return {"text": text, "blocks": [mrkdwn_section(text).to_dict()]}

    def digest(self, digest: Digest) -> list[dict[str, Any]]:
        return [{"text": m.text, "blocks": [b.to_dict() for b in m.blocks]}
                for m in digest_messages(digest)]

    def channel_summary(self, summary: RoundSummary) -> list[dict[str, Any]]:
        return channel_summary_messages(summary)
