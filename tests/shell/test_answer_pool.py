"""The answer pool: its wait for idleness (which bench.costs uses to count an answer's
CPU), its notices, and how it says in the log what it refused."""

from __future__ import annotations

import logging
import threading

import pytest

from bot.shell.answers import AnswerPool, Refusals


def test_wait_idle_returns_once_every_answer_has_finished() -> None:
    pool = AnswerPool(workers=2, limit=8)
    release = threading.Event()
    done: list[int] = []

    def answer(n: int) -> None:
        release.wait(5)
        done.append(n)

    try:
        assert all(pool.submit(answer, n) for n in range(4))
        assert not pool.wait_idle(timeout=0.05)  # still running
        release.set()
        assert pool.wait_idle(timeout=5)
        assert sorted(done) == [0, 1, 2, 3]
    finally:
        pool.shutdown()


def test_an_idle_pool_is_idle_at_once() -> None:
    pool = AnswerPool(workers=1, limit=1)
    try:
        assert pool.wait_idle(timeout=0.01)
    finally:
        pool.shutdown()


def test_a_notice_is_sent_off_the_callers_thread_while_the_pool_is_full() -> None:
    pool = AnswerPool(workers=1, limit=1)
    release = threading.Event()
    sent: list[str] = []
    try:
        assert pool.submit(release.wait, 5)
        assert not pool.submit(sent.append, "never")  # full: refused at once
        assert pool.notify(lambda: sent.append(threading.current_thread().name))
        release.set()
        assert pool.wait_idle(timeout=5)
    finally:
        pool.shutdown()  # waits for the notice too
    assert len(sent) == 1 and sent[0].startswith("lpbot-notice")


def test_refusals_are_counted_in_a_line_a_second_not_a_line_each(
        caplog: pytest.LogCaptureFixture) -> None:
    now = [100.0]
    refusals = Refusals(every=1.0, monotonic=lambda: now[0])
    caplog.set_level(logging.WARNING, "lpbot.answers")
    refusals.refused("/lp, in its ack")  # the first is said at once
    for _ in range(499):
        now[0] += 0.001
        refusals.refused("work")
    now[0] = 101.0  # a second after the first line: the rest, counted
    refusals.refused("work")
    assert [r.getMessage() for r in caplog.records] == [
        "answer pool full: 1 refused since the last line (the last: /lp, in its ack)",
        "answer pool full: 500 refused since the last line (the last: work)"]


def test_a_full_pool_counts_what_it_refuses(caplog: pytest.LogCaptureFixture) -> None:
    pool = AnswerPool(workers=1, limit=1)
    release = threading.Event()
    caplog.set_level(logging.WARNING, "lpbot.answers")
    try:
        assert pool.submit(release.wait, 5)
        assert not pool.submit(print, "refused")
        assert [r.getMessage() for r in caplog.records] == [
            "answer pool full: 1 refused since the last line (the last: work)"]
    finally:
        release.set()
        pool.shutdown()
