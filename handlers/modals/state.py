"""Reading a submitted modal's state safely, whatever shape Slack (or a forger) sent."""

from __future__ import annotations

from typing import Any

from handlers.common import clean_text


def values(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """block_id -> the single element's state."""
    state = view.get("state") or {}
    found = state.get("values") if isinstance(state, dict) else None
    out: dict[str, dict[str, Any]] = {}
    if isinstance(found, dict):
        for block_id, actions in found.items():
            if isinstance(actions, dict) and actions:
                element = next(iter(actions.values()))
                if isinstance(element, dict):
                    out[str(block_id)] = element
    return out


def text(state: dict[str, dict[str, Any]], block_id: str, limit: int) -> str:
    """A typed answer, cleaned, one character longer than ``limit`` at most (so a caller
    can tell "too long" apart from "exactly at the limit")."""
    return clean_text((state.get(block_id) or {}).get("value"), limit + 1)


def choice(state: dict[str, dict[str, Any]], block_id: str) -> str | None:
    option = (state.get(block_id) or {}).get("selected_option")
    return str(option.get("value")) if isinstance(option, dict) else None


def first_input_block(view: dict[str, Any], preferred: str) -> str:
    """A block id that exists in the view, to hang a general error on."""
    block_ids = [b["block_id"] for b in view.get("blocks") or [] if isinstance(b, dict)
                 and b.get("type") == "input" and isinstance(b.get("block_id"), str)]
    return preferred if preferred in block_ids else (block_ids[0] if block_ids else preferred)
