"""What every listener needs besides the payload: sessions and the clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from storage.clock import Clock
from storage.db import SessionFactory
from storage.faults import FaultPoint


def _not_sending(_: list[int]) -> None:
    """Without a sender, queued messages wait for the scheduler's next cycle."""


@dataclass(frozen=True)
class Deps:
    session_factory: SessionFactory
    clock: Clock
    send_now: Callable[[list[int]], object] = _not_sending
    fault: FaultPoint = field(default_factory=lambda: FaultPoint(None))
