"""Answers after the ack, on threads of their own (`lpbot serve` moves them further, into
a process: bot.shell.answer_process).

Bolt runs every listener on one small executor and sends the ack from there. If slow
answers (a staff overview, a digest preview) occupy it, every other person's ack waits
behind them and Slack shows a timeout. So listeners only ack and hand their work to this
pool; Bolt's threads are free again within milliseconds. The pool is bounded: when it is
full, new work is refused at once (the listener tells the person to try again) rather
than queued without end.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

logger = logging.getLogger("lpbot.answers")


class Refusals:
    """Work refused because the pool was full, said in the log at most once every
    ``every`` seconds with how many since the last line (the count of the last stretch
    comes with the next refusal). Under a flood a line per refused request filled the log,
    471,224 lines in seven minutes of bench.load, and cost each refusing ack a write."""

    def __init__(self, every: float = 1.0,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self._every, self._monotonic = every, monotonic
        self._lock = threading.Lock()
        self._count = 0
        self._said: float | None = None

    def refused(self, what: str) -> None:
        """One more ``what`` refused (a line names the last kind refused)."""
        with self._lock:
            self._count += 1
            now = self._monotonic()
            if self._said is not None and now - self._said < self._every:
                return
            count, self._count, self._said = self._count, 0, now
        logger.warning("answer pool full: %d refused since the last line (the last: %s)",
                       count, what)


class AnswerPool:
    """A thread pool for work done after the ack, refusing work beyond ``limit``."""

    def __init__(self, workers: int = 8, limit: int = 256) -> None:
        self._executor = ThreadPoolExecutor(max_workers=workers,
                                            thread_name_prefix="lpbot-answer")
        self._room = threading.BoundedSemaphore(limit)
        self._limit = limit
        # "Try again" notices for work refused: sent from a thread of their own, since the
        # ack leaves only when the listener returns and must not wait for Slack.
        self._notices = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lpbot-notice")
        self._notice_room = threading.BoundedSemaphore(limit)
        self._running = 0
        self._settled = threading.Condition()
        self.refusals = Refusals()

    def full(self) -> bool:
        """Whether new work would be refused now (a listener can say so in its ack, which
        costs Slack nothing more; the room may still run out before it submits)."""
        return self._running >= self._limit

    def submit(self, work: Callable[..., Any], *args: Any, **kwargs: Any) -> bool:
        """Start ``work`` soon; False (and nothing started) when the pool is full."""
        if not self._take_place():
            return False

        def run() -> None:
            try:
                work(*args, **kwargs)
            finally:
                self._give_place()

        try:
            self._executor.submit(run)
        except RuntimeError:  # shut down: the process is stopping
            self._give_place()
            return False
        return True

    def _take_place(self) -> bool:
        """A place for one more answer, counted as running; False when there is none."""
        if not self._room.acquire(blocking=False):
            self.refusals.refused("work")
            return False
        with self._settled:
            self._running += 1
        return True

    def _give_place(self) -> None:
        """An answer finished (or was dropped): its place is free again."""
        self._room.release()
        with self._settled:
            self._running -= 1
            self._settled.notify_all()

    def notify(self, notice: Callable[[], Any]) -> bool:
        """Send ``notice`` (a short message to Slack) soon, off the caller's thread; False
        when even the notices are backed up (it is dropped: the pool is overwhelmed)."""
        if not self._notice_room.acquire(blocking=False):
            logger.warning("notice queue full: notice dropped")
            return False

        def run() -> None:
            try:
                notice()
            except Exception:
                logger.exception("notice failed")
            finally:
                self._notice_room.release()

        try:
            self._notices.submit(run)
        except RuntimeError:  # shut down: the process is stopping
            self._notice_room.release()
            return False
        return True

    def wait_idle(self, timeout: float = 60.0) -> bool:
        """Block until no work is running or waiting (benchmarks); False on timeout."""
        with self._settled:
            return self._settled.wait_for(lambda: self._running == 0, timeout)

    def shutdown(self) -> None:
        """Finish what was started, accept nothing new."""
        self._executor.shutdown(wait=True)
        self._notices.shutdown(wait=True)


class InlineAnswers(AnswerPool):
    """Runs work at once on the caller's thread (for code that has no pool)."""

    def __init__(self) -> None:
        super().__init__(workers=1, limit=1)

    def submit(self, work: Callable[..., Any], *args: Any, **kwargs: Any) -> bool:
        work(*args, **kwargs)
        return True

    def notify(self, notice: Callable[[], Any]) -> bool:
        notice()
        return True
