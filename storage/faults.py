"""Deliberate crash points for fault tests: off unless LPBOT_FAULT names one."""

from __future__ import annotations

import os
import signal
import threading


class FaultPoint:
    """Kills this process with SIGKILL at a named point, for crash tests.

    Set ``LPBOT_FAULT=<point>:<n>`` (points: ``before_send``, ``after_send``,
    ``after_commit`` in delivery; ``checkin_stored`` between storing a check-in and
    answering Slack) to die the n-th time that point is reached. Off unless set.
    """

    def __init__(self, spec: str | None) -> None:
        self.point, _, count = (spec or "").partition(":")
        self.remaining = int(count) if count.isdigit() else 0
        self._lock = threading.Lock()

    @classmethod
    def from_env(cls) -> FaultPoint:
        return cls(os.environ.get("LPBOT_FAULT"))

    def reach(self, point: str) -> None:
        if point != self.point or self.remaining <= 0:
            return
        with self._lock:
            self.remaining -= 1
            if self.remaining == 0:
                os.kill(os.getpid(), signal.SIGKILL)
