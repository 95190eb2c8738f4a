"""Pacing sends: Slack's per-workspace rate, and at most so many messages a second into
any one channel."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class RateLimiter:
    """At most ``rate`` calls a second across threads (Slack's limits are per workspace)."""

    def __init__(self, rate: float, monotonic: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.monotonic, self.sleep = monotonic, sleep
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        with self._lock:
            now = self.monotonic()
            slot = max(now, self._next)
            self._next = slot + self.interval
        if slot > now:
            self.sleep(slot - now)


class ChannelLimiter:
    """At most ``rate`` messages a second into any one channel (Slack's limit for posting
    to a channel); DMs to people are paced by the workspace limiter alone."""

    def __init__(self, rate: float, monotonic: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.rate, self.monotonic, self.sleep = rate, monotonic, sleep
        self._limiters: dict[str, RateLimiter] = {}
        self._lock = threading.Lock()

    def wait(self, channel: str) -> None:
        if self.rate <= 0 or channel.startswith(("U", "W", "D")):
            return
        with self._lock:
            limiter = self._limiters.get(channel)
            if limiter is None:
                limiter = self._limiters[channel] = RateLimiter(self.rate, self.monotonic,
                                                                self.sleep)
        limiter.wait()
