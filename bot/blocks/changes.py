"""One line for one audit-log entry, the same in the terminal (`lpbot audit`) and in the
staff's "recent changes": who changed what, from what to what."""

from __future__ import annotations

from typing import Any

from storage.audit import Change

LONGEST_VALUE = 60


def _value(value: Any) -> str:
    if isinstance(value, list):
        shown = ", ".join(str(v) for v in value)
        text = f"[{shown}]"
    elif isinstance(value, dict):
        text = "{" + ", ".join(str(k) for k in value) + "}"
    else:
        text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= LONGEST_VALUE else text[:LONGEST_VALUE - 1] + "…"


def change_summary(change: Change) -> str:
    """``partnership hull: name 'Hull' → 'Hull: growth'`` (what, then each field)."""
    if not change.before:
        fields = ", ".join(f"{k} {_value(v)}" for k, v in change.after.items())
        verb = "added" if change.action == "programme" else ""
        return f"{change.what}: {verb}{' ' if verb and fields else ''}{fields}".rstrip(": ")
    keys = [*change.before, *(k for k in change.after if k not in change.before)]
    fields = "; ".join(f"{k} {_value(change.before.get(k))} → {_value(change.after.get(k))}"
                       for k in keys)
    return f"{change.what}: {fields}"


def audit_line(change: Change) -> str:
    """The terminal's line: when (UTC), who, then the summary."""
    return f"{change.at:%Y-%m-%d %H:%M} UTC  {change.actor}  {change_summary(change)}"
