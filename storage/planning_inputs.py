"""The plain values the scheduler plans from, read by storage and passed up as they are.

Pure (no ORM), so ``scheduler.planning`` stays a function of values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Recipient:
    """A member as planning sees them for one round."""

    person_id: int
    slack_id: str
    partnership_id: int
    tz: str | None
    paused_until: datetime | None
    snoozed_until: datetime | None
    reminders_enabled: bool
    answered: bool
    prompted_at: datetime | None = None  # when this round's prompt went (or will go) out
    backed_off: bool = False  # let ``cadence.back_off_after`` rounds pass unanswered


@dataclass(frozen=True)
class AlertTarget:
    partnership_id: int
    episode_id: int
    lead_person_id: int
    lead_slack_id: str
    tz: str | None = None


@dataclass(frozen=True)
class ClosedRound:
    """A round that has closed, of a partnership whose channel hears about it."""

    round_id: int
    partnership_id: int
    channel_id: str
    due_at: datetime
