"""The answer process of an `lpbot serve` worker: where its answers compute, so they never
hold the interpreter an ack is waiting for (see bot.shell.answer_process)."""

from __future__ import annotations

import gc
from typing import Any

from bot.compose import open_runtime
from bot.shell.answer_process import serve_answers
from bot.shell.settings import Settings, configure_logging

ANSWER_THREADS = 3  # answers at once in one answer process: they overlap their Slack calls


def answer_process(settings: Settings, jobs: Any, done: Any, limit: int) -> None:
    """Build this process's own runtime (its database engine, Slack client, dependencies),
    then run the worker's answers until it stops."""
    configure_logging(settings.log_level)
    runtime = open_runtime(settings, prepare=False, check_token=False,  # the worker did
                           signing_secret=settings.signing_secret,
                           answer_threads=ANSWER_THREADS)
    gc.freeze()  # start-up's objects live as long as the process: no collection walks them
    try:
        serve_answers(jobs, done, runtime.deps, runtime.client)
    finally:
        runtime.close()
