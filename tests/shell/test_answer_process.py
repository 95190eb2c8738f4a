"""`lpbot serve`'s answer process: work travels by name, runs in a lower-priority process
with that process's own dependencies, stays bounded, and survives the process dying."""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from slack_bolt import Respond
from slack_sdk import WebClient

from bot.shell.answer_process import ATTEMPTS, NICENESS, ProcessAnswers, serve_answers
from bot.shell.answers import AnswerPool
from bot.shell.deps import Deps
from handlers.common import Guarded
from storage.clock import system_clock
from storage.db import open_database

LIMIT = 2


def child_main(settings: Any, jobs: Any, done: Any, limit: int) -> None:
    """A small answer process: real dependencies of its own, no Slack app."""
    db = open_database("sqlite://")
    deps = Deps(db=db, clock=system_clock, answers=AnswerPool(workers=limit, limit=limit))
    try:
        serve_answers(jobs, done, deps, WebClient(token="xoxb-child"))
    finally:
        deps.answers.shutdown()
        db.dispose()


def record(out: str, deps: Deps, client: WebClient, respond: Respond, word: str) -> None:
    """What the work saw, written where the test reads it."""
    Path(out).write_text(json.dumps({
        "pid": os.getpid(), "nice": os.nice(0), "deps": deps.answers is not None,
        "token": client.token, "url": respond.response_url, "word": word}))


def wait_for_word(fifo: str) -> None:
    """Block until the test writes to ``fifo`` (a named pipe: no polling, no sleeping)."""
    with open(fifo) as pipe:
        pipe.read()


@pytest.fixture
def pool() -> Iterator[ProcessAnswers]:
    answers = ProcessAnswers(child_main, settings=None, limit=LIMIT)
    try:
        yield answers
    finally:
        answers.shutdown()


def _parent_deps() -> Deps:
    return Deps(db=open_database("sqlite://"), clock=system_clock)


def test_work_runs_in_the_lower_priority_process_with_its_own_dependencies(
        pool: ProcessAnswers, tmp_path: Path) -> None:
    out = tmp_path / "seen.json"
    assert pool.submit(record, str(out), deps=_parent_deps(),
                       client=WebClient(token="xoxb-parent"),
                       respond=Respond(response_url="http://slack.test/respond/1"), word="hi")
    assert pool.wait_idle(30)
    seen = json.loads(out.read_text())
    assert seen["pid"] != os.getpid()
    assert seen["nice"] >= os.nice(0) + NICENESS
    assert seen["token"] == "xoxb-child"  # the process's own client, not the worker's
    assert seen["url"] == "http://slack.test/respond/1" and seen["word"] == "hi"


def test_work_that_cannot_travel_runs_here_instead(pool: ProcessAnswers) -> None:
    ran: list[int] = []
    assert pool.submit(lambda: ran.append(os.getpid()))
    assert pool.wait_idle(30)
    assert ran == [os.getpid()]


def test_beyond_the_limit_work_is_refused_at_once(pool: ProcessAnswers,
                                                  tmp_path: Path) -> None:
    fifos = [tmp_path / f"go{n}" for n in range(LIMIT)]
    for fifo in fifos:
        os.mkfifo(fifo)
        assert pool.submit(wait_for_word, str(fifo))
    assert not pool.submit(wait_for_word, str(fifos[0]))  # full: nothing sent
    for fifo in fifos:
        fifo.write_text("go")  # opens once the answer process is reading it
    assert pool.wait_idle(30)


def test_a_dead_answer_process_is_replaced_and_gives_back_its_places(
        pool: ProcessAnswers, tmp_path: Path) -> None:
    fifo = tmp_path / "never"
    os.mkfifo(fifo)
    assert pool.submit(wait_for_word, str(fifo))
    assert pool.submit(wait_for_word, str(fifo))
    first = pool.child_pid
    assert first is not None
    os.kill(first, signal.SIGKILL)
    assert pool.wait_idle(30)  # the dead process's answers are counted out
    out = tmp_path / "after.json"
    assert pool.submit(record, str(out), deps=_parent_deps(),
                       client=WebClient(token="x"), respond=Respond(response_url=None),
                       word="again")
    assert pool.wait_idle(30)
    assert json.loads(out.read_text())["pid"] not in (first, os.getpid())


def _refuse_to_arrive() -> None:
    raise ImportError("not in this process")


class ArrivesBroken:
    """Pickles in the worker, fails to unpickle in the answer process."""

    def __reduce__(self) -> tuple[Any, tuple[()]]:
        return (_refuse_to_arrive, ())


def test_work_that_cannot_be_read_there_is_dropped_and_the_process_goes_on(
        pool: ProcessAnswers, tmp_path: Path) -> None:
    assert pool.submit(record, ArrivesBroken())
    assert pool.wait_idle(30)  # its place is given back
    out = tmp_path / "next.json"
    assert pool.submit(record, str(out), deps=_parent_deps(), client=WebClient(token="x"),
                       respond=Respond(response_url=None), word="next")
    assert pool.wait_idle(30)
    assert json.loads(out.read_text())["word"] == "next"


def die_the_first_time(marker: str, out: str) -> None:
    """Kill this answer process on the first run (after leaving ``marker``), then, run
    again, write which run it was."""
    runs = Path(marker)
    runs.write_text(runs.read_text() + "x" if runs.exists() else "x")
    if len(runs.read_text()) == 1:
        os.kill(os.getpid(), signal.SIGKILL)
    Path(out).write_text(json.dumps({"pid": os.getpid(), "runs": len(runs.read_text())}))


def always_die(marker: str) -> None:
    runs = Path(marker)
    runs.write_text(runs.read_text() + "x" if runs.exists() else "x")
    os.kill(os.getpid(), signal.SIGKILL)


def test_work_that_may_run_again_goes_to_the_next_process(pool: ProcessAnswers,
                                                         tmp_path: Path) -> None:
    marker, out = tmp_path / "runs", tmp_path / "out.json"
    assert pool.submit(Guarded("once", die_the_first_time, again=True), str(marker), str(out))
    assert pool.wait_idle(30)
    assert json.loads(out.read_text())["runs"] == 2


def test_work_that_kills_every_process_is_given_up_after_its_attempts(
        pool: ProcessAnswers, tmp_path: Path) -> None:
    marker = tmp_path / "runs"
    assert pool.submit(Guarded("poison", always_die, again=True), str(marker))
    assert pool.wait_idle(30)  # its place is given back: the pool is not stuck
    assert len(marker.read_text()) == ATTEMPTS
    fifo = tmp_path / "never"  # and work not marked ``again`` runs once only
    assert pool.submit(always_die, str(fifo))
    assert pool.wait_idle(30)
    assert fifo.read_text() == "x"
