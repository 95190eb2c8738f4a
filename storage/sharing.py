"""What a partnership's own channel and report-back copy may show: a pure rule, no database.

``off``: figures only, no free text; ``summary``: figures, objective statuses, highlights and
blockers without names; ``full``: answers with names. Staff always see everything.
"""

from __future__ import annotations

from typing import Literal

Sharing = Literal["off", "summary", "full"]
SHARING_LEVELS: tuple[Sharing, ...] = ("off", "summary", "full")
DEFAULT_SHARING: Sharing = "summary"


def parse_sharing(value: str | None) -> Sharing:
    """A stored or typed setting as a ``Sharing``; anything unknown falls back to the default
    rather than to more openness."""
    cleaned = (value or "").strip().lower()
    for level in SHARING_LEVELS:
        if cleaned == level:
            return level
    return DEFAULT_SHARING


def shows_text(sharing: Sharing) -> bool:
    """Whether free text (highlights, blockers) may appear in the partnership's copy."""
    return sharing != "off"


def shows_names(sharing: Sharing) -> bool:
    """Whether the partnership's copy may say who wrote what."""
    return sharing == "full"
