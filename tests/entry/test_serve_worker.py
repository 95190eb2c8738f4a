"""`lpbot serve`'s worker keeps what its start-up built out of the collector's way."""

from __future__ import annotations

import gc
from types import SimpleNamespace

from bot.entry.serve import LpbotWorker


def test_a_worker_freezes_what_its_start_up_built() -> None:
    """A full collection walking the app's ~220,000 start-up objects paused every ack in
    the worker for 90-350 ms under load: once the app is built, they are frozen."""
    app = object()
    worker = LpbotWorker.__new__(LpbotWorker)  # no master, sockets or loop: only the load
    worker.app = SimpleNamespace(wsgi=lambda: app)
    built_before = [object() for _ in range(100)]
    frozen = gc.get_freeze_count()
    try:
        worker.load_wsgi()
        assert worker.asgi is app
        assert gc.get_freeze_count() >= frozen + len(built_before)
    finally:
        gc.unfreeze()
