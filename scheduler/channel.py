"""The tick's part for partnership channels: a summary of each round once it has closed,
as outbox rows (a parent and its threaded replies), from plain values.

Planned like every scheduled message (pure intents, then rows with natural keys), so a
double tick, a late tick or two schedulers queue each summary once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from scheduler.planning import SUMMARY_LATE, Intent
from storage.channel_summaries import RoundSummary

SUMMARY_WINDOW = SUMMARY_LATE + timedelta(days=7)  # older closed rounds aren't looked at

RenderSummary = Callable[[RoundSummary], list[dict[str, Any]]]


def shared_rounds(intents: Sequence[Intent]) -> list[int]:
    """The rounds whose summaries will really be written (not the dropped ones)."""
    return [i.round_id for i in intents if i.dropped is None and i.round_id is not None]


def summary_rows(now: datetime, intents: Sequence[Intent], found: Sequence[RoundSummary],
                 render: RenderSummary) -> list[dict[str, Any]]:
    """Outbox rows for these new summary intents: the parent, then each threaded reply as
    its own row keyed ``<parent>#n``; a dropped or empty one is recorded as dropped."""
    by_round = {s.round_id: s for s in found}
    rows: list[dict[str, Any]] = []
    for intent in intents:
        summary = by_round.get(intent.round_id or 0)
        parts = render(summary) if summary is not None and intent.dropped is None else []
        if not parts:
            rows.append(_row(intent, {"text": "summary skipped"}, now,
                             dropped=intent.dropped or "nothing to share"))
            continue
        rows.append(_row(intent, parts[0], now))
        rows += [_row(intent, {**part, "thread_of": intent.dedupe_key}, now,
                      key=f"{intent.dedupe_key}#{index}")
                 for index, part in enumerate(parts[1:], start=2)]
    return rows


def _row(intent: Intent, payload: dict[str, Any], now: datetime, *, key: str | None = None,
         dropped: str | None = None) -> dict[str, Any]:
    return {"kind": intent.kind, "recipient": intent.recipient,
            "dedupe_key": key or intent.dedupe_key, "payload": payload,
            "status": "dropped" if dropped else "pending", "attempts": 0,
            "created_at": now, "next_attempt_at": max(now, intent.send_at),
            "expires_at": None, "last_error": dropped, "person_id": None,
            "round_id": intent.round_id}
