"""THE sanitiser for text a person typed, wherever someone else reads it: Slack messages
and views (through bot/blocks/common.py, which re-exports it), the terminal, Markdown,
and the report-back pack's HTML pages. A module of its own, below every presenter, so
that each layer uses this one and none keeps a copy."""

from __future__ import annotations

import re
import unicodedata
from html import escape
from typing import Literal

Markup = Literal["slack", "markdown", "plain", "html"]

LINE_BREAKS = re.compile(r"\s*(?:\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029])\s*")
INVISIBLE = ("Cc", "Cf", "Co", "Cs", "Cn")  # controls, bidi and format characters, unassigned
KEPT = {"\t", "\u200d"}  # a tab; the joiner inside emoji such as 👩‍💻
SLACK_MARKUP = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "*": "∗", "_": "ˍ",
                              "~": "∼", "`": "'"})
MARKDOWN_MARKUP = re.compile(r"([\\`*_{}\[\]<>()#+\-!|~])")


def typed(text: str, limit: int | None = None, *, markup: Markup = "slack") -> str:
    """Text a person typed, on one line (line breaks folded to " / ", so it can't start a
    new bullet), without control, bidi or other invisible characters (U+202E can't
    reorder what follows), clipped, then escaped for ``markup``: "slack" (mrkdwn: no
    mention, link, bold, italic, strike or code), "markdown" (backslash-escaped), "html"
    (``html.escape``) or "plain" (a terminal, or a chart that escapes for itself)."""
    stripped = text.strip()
    if stripped.isprintable():  # no control, format, separator or unassigned character
        visible = stripped  # the common case, spared a look at each character
    else:
        folded = LINE_BREAKS.sub(" / ", stripped)
        visible = "".join(c for c in folded
                          if c in KEPT or unicodedata.category(c) not in INVISIBLE)
    clipped = visible if limit is None else clip(visible, limit)
    if markup == "slack":
        return clipped.translate(SLACK_MARKUP)
    if markup == "markdown":
        return MARKDOWN_MARKUP.sub(r"\\\1", clipped)
    if markup == "html":
        return escape(clipped)
    return clipped


def clip(text: str, limit: int) -> str:
    """Shorten to ``limit`` characters with an ellipsis, so a long answer never breaks a
    Block Kit limit."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
