"""What every listener needs besides the payload: the database, the clock, a sender."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bot.shell.answers import AnswerPool, InlineAnswers
from bot.shell.staff_gate import StaffGate
from bot.shell.view_seal import ViewSeal
from storage.clock import Clock
from storage.db import SessionFactory
from storage.faults import FaultPoint


def _not_sending(_: list[int]) -> None:
    """Without a sender, queued messages wait for the scheduler's next cycle."""


@dataclass(frozen=True)
class Deps:
    """Built once by the composition root; listeners find it in Bolt's ``context``.

    ``db`` is handed to storage functions, which open their own transactions: listeners
    never hold a session. ``answers`` runs what follows the ack, off Bolt's threads.
    """

    db: SessionFactory
    clock: Clock
    send_now: Callable[[list[int]], object] = _not_sending
    fault: FaultPoint = field(default_factory=lambda: FaultPoint(None))
    answers: AnswerPool = field(default_factory=InlineAnswers)
    seal: ViewSeal = field(default_factory=ViewSeal.random)
    staff: StaffGate = field(default_factory=StaffGate)
