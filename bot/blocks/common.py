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

from bot.sanitise import Markup
from bot.sanitise import clip as clip
from bot.sanitise import typed as typed

SECTION_LIMIT = 3000


def quoted(text: str, limit: int | None = None, *, markup: Markup = "slack") -> str:
    """A typed answer shown as one visibly quoted entry: “…”, sanitised by ``typed``."""
    return f"“{typed(text, limit, markup=markup)}”"


def esc(text: str) -> str:
    """Text for Slack mrkdwn (names, titles, anything typed): see ``typed``."""
    return typed(text)


def echo(text: str, limit: int = 60) -> str:
    """Text a person typed, shown back inside `code`: sanitised by ``typed``, clipped."""
    return typed(text, limit)


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
