"""The answer pool's wait for idleness, which bench.costs uses to count an answer's CPU."""

from __future__ import annotations

import threading

from bot.shell.answers import AnswerPool


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
