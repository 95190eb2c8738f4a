"""One scheduler cycle: learn time zones, plan (tick) into the outbox, then deliver.

The wiring is built once by the composition root and handed to APScheduler as the job's
argument: nothing here is global, and nothing needs pickling (the job store is in memory).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from scheduler.delivery import DeliveryReport, DeliveryWorker
from scheduler.tick import Renderer, TickReport, tick
from scheduler.timezones import UsersPort, sync_time_zones
from storage.clock import Clock
from storage.db import SessionFactory

logger = logging.getLogger("lpbot.jobs")


@dataclass
class Wiring:
    """What a cycle needs: the database, the clock, the Block Kit renderer, the sender."""

    session_factory: SessionFactory
    clock: Clock
    renderer: Renderer
    worker: DeliveryWorker
    users: UsersPort | None = None


def run_cycle(wiring: Wiring) -> tuple[TickReport, DeliveryReport]:
    """One planning pass and one delivery pass."""
    if wiring.users is not None:
        sync_time_zones(wiring.session_factory, wiring.users)
    planned = tick(wiring.session_factory, wiring.clock(), wiring.renderer)
    delivered = wiring.worker.run_once()
    if delivered.sent or delivered.failed or delivered.recovered:
        logger.info("delivered sent=%s failed=%s retried=%s dropped=%s recovered=%s",
                    delivered.sent, delivered.failed, delivered.retried, delivered.dropped,
                    delivered.recovered)
    return planned, delivered


def cycle_job(wiring: Wiring) -> None:
    """The periodic job (and the digest job): a whole cycle, never raising into APScheduler."""
    try:
        run_cycle(wiring)
    except Exception:
        logger.exception("scheduler cycle failed; the next tick will try again")
