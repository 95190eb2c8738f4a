"""Answers in a process of their own, behind the acks in the CPU's queue.

Threads could keep a slow answer from holding up Bolt, but not from holding the GIL: while
an answer computed (a staff overview, a lead's status), every ack in the same process
waited its turn for the interpreter, and the slowest acks were many times the floor's. So
`lpbot serve` gives each worker one answer process, started fresh (spawn: nothing of the
worker's threads or connections crosses), lowered in the scheduler's priority (``nice``),
with its own database engine, Slack client and answer threads. A listener acks and hands
over the work by name with the payload it needs; the process rebuilds what cannot travel
(the dependencies, the Web API client, the ``respond`` of the request's response_url).

The bound is the pool's: at most ``limit`` answers wait or run, and beyond that new work
is refused at once (the listener tells the person to try again). Work that can't be sent
(not picklable) runs on this process's threads instead, with a warning. A process that
died is started again. Work marked safe to run again (``again``: a check-in, stored once
by its view's id however often it runs) is sent to the new process, up to ``ATTEMPTS``
times in all; the rest of what it held is counted as finished, so the bound is not lost.
"""

from __future__ import annotations

import itertools
import logging
import multiprocessing
import os
import pickle
import queue
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.context import SpawnProcess
from typing import Any

from slack_bolt import Respond
from slack_sdk import WebClient

from bot.shell.answers import AnswerPool
from bot.shell.deps import Deps

logger = logging.getLogger("lpbot.answers")
NICENESS = 10  # acks first: an answer gets the CPU the acks leave (Linux gives ~10 %)
READY = 0  # what the answer process reports once it can take work (job ids start at 1)
PARENT_CHECK = 1.0  # seconds between the answer process's looks at whether its worker lives
ATTEMPTS = 2  # runs of work marked ``again`` before a process dying under it gives it up
_SPAWN = multiprocessing.get_context("spawn")


@dataclass(frozen=True)
class Stand:
    """What stands in for a worker's object that the answer process has its own of."""

    name: str  # "deps" or "client"


@dataclass(frozen=True)
class RespondTo:
    """A request's ``respond``, which the answer process rebuilds from its URL."""

    url: str | None


ChildMain = Callable[[Any, Any, Any, int], None]  # (settings, jobs, done, limit)


@dataclass(frozen=True)
class _Held:
    """A job the answer process holds: its payload when it may be sent again, and how
    many times it has been sent."""

    payload: bytes | None
    runs: int = 1


class ProcessAnswers(AnswerPool):
    """An answer pool whose work runs in a child process started by ``child_main``."""

    def __init__(self, child_main: ChildMain, settings: Any, limit: int = 256) -> None:
        super().__init__(workers=1, limit=limit)  # the threads: for work that can't travel
        self._child_main, self._settings, self._limit = child_main, settings, limit
        self._ids = itertools.count(1)
        self._held: dict[int, _Held] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._ready = threading.Event()
        self._child = self._start_child()
        self._reader = threading.Thread(target=self._read_done, name="lpbot-answers-done",
                                        daemon=True)
        self._reader.start()

    def submit(self, work: Callable[..., Any], *args: Any, **kwargs: Any) -> bool:
        """Send ``work`` to the answer process; False (nothing sent) when the pool is full."""
        try:
            job_id = next(self._ids)
            payload = packed(work, args, kwargs)
        except CANNOT_TRAVEL as error:
            logger.warning("answer %s can't travel (%s): run in this process",
                           getattr(work, "__name__", type(work).__name__), type(error).__name__)
            return super().submit(work, *args, **kwargs)
        if not self._take_place():
            return False
        with self._lock:
            if not self._child.is_alive() and not self._stopping.is_set():
                self._restart()
            self._held[job_id] = _Held(payload if getattr(work, "again", False) else None)
            self._jobs.put((job_id, payload))
        return True

    def wait_ready(self, timeout: float) -> bool:
        """Block until the answer process is ready for work (a worker waits for this
        before serving: a modal's trigger lasts 3 s, not the process's start-up)."""
        return self._ready.wait(timeout)

    @property
    def child_pid(self) -> int | None:
        """The answer process's pid (for the operator's ps, and tests)."""
        return self._child.pid

    def _start_child(self) -> SpawnProcess:
        # New queues for each process: one killed mid-read may leave a queue's lock held.
        self._jobs: Any = _SPAWN.Queue()
        self._done: Any = _SPAWN.Queue()
        child = _SPAWN.Process(target=self._child_main, name="lpbot-answers", daemon=True,
                               args=(self._settings, self._jobs, self._done, self._limit))
        child.start()
        # Lowered from here, at once: its start-up (imports, engine) is below the acks too.
        os.setpriority(os.PRIO_PROCESS, child.pid or 0,
                       os.getpriority(os.PRIO_PROCESS, 0) + NICENESS)
        return child

    def _restart(self) -> None:
        """(Lock held.) The answer process died: start another, send it again the work that
        may run again, and forget the rest of what the dead one held."""
        again = {job_id: held for job_id, held in self._held.items()
                 if held.payload is not None and held.runs < ATTEMPTS}
        logger.error("answer process exited (code %s): starting another; %d answer(s) lost, "
                     "%d sent again", self._child.exitcode, len(self._held) - len(again),
                     len(again))
        for _ in range(len(self._held) - len(again)):
            self._give_place()
        self._held = {job_id: _Held(held.payload, held.runs + 1)
                      for job_id, held in again.items()}
        self._child = self._start_child()
        for job_id, held in self._held.items():
            self._jobs.put((job_id, held.payload))

    def _read_done(self) -> None:
        """Give each finished answer's place back; notice the process dying meanwhile."""
        while not self._stopping.is_set():
            try:
                job_id = self._done.get(timeout=PARENT_CHECK)
            except queue.Empty:
                with self._lock:
                    if self._held and not self._child.is_alive() \
                            and not self._stopping.is_set():
                        self._restart()
                continue
            except (EOFError, OSError):
                return
            if job_id == READY:
                self._ready.set()
                continue
            with self._lock:
                if self._held.pop(job_id, None) is not None:
                    self._give_place()

    def shutdown(self) -> None:
        """Let the answer process finish what it holds, then stop it."""
        self._stopping.set()
        self._jobs.put(None)
        self._child.join(timeout=30)
        if self._child.is_alive():
            self._child.terminate()
        self._reader.join(timeout=PARENT_CHECK * 2)
        super().shutdown()


CANNOT_TRAVEL = (pickle.PicklingError, AttributeError, TypeError)  # what pickle raises


def packed(work: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> bytes:
    """``work`` and its arguments as they cross to the answer process (``CANNOT_TRAVEL``
    when they can't: a closure, an open connection)."""
    return pickle.dumps((work, args, {k: travelling(v) for k, v in kwargs.items()}))


def travelling(value: Any) -> Any:
    """``value`` as it can cross to the answer process."""
    if isinstance(value, Deps):
        return Stand("deps")
    if isinstance(value, WebClient):
        return Stand("client")
    if isinstance(value, Respond):
        return RespondTo(value.response_url)
    return value


def arrived(value: Any, deps: Deps, client: WebClient) -> Any:
    """``value`` as the answer process uses it: its own dependencies and client."""
    if isinstance(value, Stand):
        return deps if value.name == "deps" else client
    if isinstance(value, RespondTo):
        return Respond(response_url=value.url)
    return value


def serve_answers(jobs: Any, done: Any, deps: Deps, client: WebClient) -> None:
    """The answer process's loop (its worker lowered its priority): run each job on
    ``deps.answers`` (its threads) and report it finished; stop at the worker's ``None``,
    or when the worker is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the worker, which stops us
    parent = os.getppid()
    done.put(READY)
    while True:
        try:
            item = jobs.get(timeout=PARENT_CHECK)
        except queue.Empty:
            if os.getppid() != parent:
                break
            continue
        if item is None:
            break
        job_id, payload = item
        try:
            work, args, kwargs = pickle.loads(payload)
        except Exception:  # e.g. a module the worker has and this process can't import
            logger.exception("answer could not be read here: dropped")
            done.put(job_id)
            continue
        given = {k: arrived(v, deps, client) for k, v in kwargs.items()}
        if not deps.answers.submit(_reporting(work, job_id, done), *args, **given):
            done.put(job_id)  # cannot happen while the worker keeps the bound; never hang


def _reporting(work: Callable[..., Any], job_id: int, done: Any) -> Callable[..., None]:
    def run(*args: Any, **kwargs: Any) -> None:
        try:
            work(*args, **kwargs)
        finally:
            done.put(job_id)

    return run
