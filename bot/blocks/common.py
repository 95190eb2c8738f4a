"""Small helpers shared by the builders: escaping, clipping, text objects."""

from __future__ import annotations

import re
import unicodedata
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
LINE_BREAKS = re.compile(r"\s*(?:\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029])\s*")
INVISIBLE = ("Cc", "Cf", "Co", "Cs", "Cn")  # controls, bidi and format characters, unassigned
KEPT = {"\t", "\u200d"}  # a tab; the joiner inside emoji such as 👩‍💻
SLACK_MARKUP = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "*": "∗", "_": "ˍ",
                              "~": "∼", "`": "'"})
MARKDOWN_MARKUP = re.compile(r"([\\`*_{}\[\]<>()#+\-!|~])")


def typed(text: str, limit: int | None = None, *, markup: str = "slack") -> str:
    """THE sanitiser for text a person typed, wherever someone else reads it: on one line
    (line breaks folded to " / ", so it can't start a new bullet), without control, bidi or
    other invisible characters (U+202E can't reorder what follows), clipped, then escaped
    for ``markup``: "slack" (mrkdwn: no mention, link, bold, italic, strike or code),
    "markdown" (backslash-escaped) or "plain" (a terminal)."""
    folded = LINE_BREAKS.sub(" / ", text.strip())
    # isprintable() is False for every character of the INVISIBLE categories, so most
    # text (names, titles, plain answers) skips the per-character look-up.
    visible = folded if folded.isprintable() else "".join(
        c for c in folded if c in KEPT or unicodedata.category(c) not in INVISIBLE)
    clipped = visible if limit is None else clip(visible, limit)
    if markup == "slack":
        return clipped.translate(SLACK_MARKUP)
    if markup == "markdown":
        return MARKDOWN_MARKUP.sub(r"\\\1", clipped)
    return clipped


def quoted(text: str, limit: int | None = None, *, markup: str = "slack") -> str:
    """A typed answer shown as one visibly quoted entry: “…”, sanitised by ``typed``."""
    return f"“{typed(text, limit, markup=markup)}”"


def esc(text: str) -> str:
    """Text for Slack mrkdwn (names, titles, anything typed): see ``typed``."""
    return typed(text)


def clip(text: str, limit: int) -> str:
    """Shorten to ``limit`` characters with an ellipsis, so a long answer never breaks a
    Block Kit limit."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
