"""Small helpers shared by the builders: escaping, clipping, text objects."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import (
    ContextBlock,
    MarkdownTextObject,
    Option,
    PlainTextObject,
    SectionBlock,
)

SECTION_LIMIT = 3000


def esc(text: str) -> str:
    """Escape text a person typed so Slack shows it as written: no pings, no links."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    """Shorten to ``limit`` characters with an ellipsis, so a long answer never breaks a
    Block Kit limit."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def echo(text: str, limit: int = 60) -> str:
    """Text a person typed, shown back inside `code`: clipped, escaped, no backticks."""
    return esc(clip(text, limit)).replace("`", "'")


def plain(text: str, limit: int = 75) -> PlainTextObject:
    return PlainTextObject(text=clip(text, limit), emoji=True)


def mrkdwn_section(text: str, block_id: str | None = None) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=clip(text, SECTION_LIMIT)),
                        block_id=block_id)


def context(text: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=clip(text, SECTION_LIMIT))])


def option(label: str, value: str) -> Option:
    return Option(text=plain(label), value=value)


def when(moment: datetime | None, tz: str = "Europe/London") -> str:
    """A date people read: ``Tue 24 Nov``."""
    if moment is None:
        return "never"
    return moment.astimezone(ZoneInfo(tz)).strftime("%a %-d %b")


def percent(rate: float | None) -> str:
    return "n/a" if rate is None else f"{round(rate * 100)}%"
