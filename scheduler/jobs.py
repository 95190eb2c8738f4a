"""One scheduler cycle: learn time zones, plan (tick) into the outbox, then deliver.

The wiring is built once by the composition root and handed to APScheduler as the job's
argument: nothing here is global, and nothing needs pickling (the job store is in memory).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from scheduler.delivery import DeliveryReport, DeliveryWorker
from scheduler.tick import Renderer, TickReport, tick
from scheduler.timezones import UsersPort, sync_time_zones
from storage.clock import Clock
from storage.db import SessionFactory
from storage.retention import apply_retention

logger = logging.getLogger("lpbot.jobs")


@dataclass
class Wiring:
    """What a cycle needs: the database, the clock, the Block Kit renderer, the sender."""

    session_factory: SessionFactory
    clock: Clock
    renderer: Renderer
    worker: DeliveryWorker
    users: UsersPort | None = None
    retention_checked: date | None = None  # the UTC day retention last ran in this process


def run_cycle(wiring: Wiring) -> tuple[TickReport, DeliveryReport]:
    """One planning pass and one delivery pass."""
    now = wiring.clock()
    if wiring.users is not None:
        sync_time_zones(wiring.session_factory, wiring.users, now)
    daily_retention(wiring)
    planned = tick(wiring.session_factory, wiring.clock(), wiring.renderer)
    delivered = wiring.worker.run_once()
    if delivered.sent or delivered.failed or delivered.recovered:
        logger.info("delivered sent=%s failed=%s retried=%s dropped=%s recovered=%s",
                    delivered.sent, delivered.failed, delivered.retried, delivered.dropped,
                    delivered.recovered)
    return planned, delivered


def daily_retention(wiring: Wiring) -> None:
    """Free text past the programme's retention goes, checked once a (UTC) day per
    process; a second process or a restart finds nothing left to remove."""
    now = wiring.clock()
    if wiring.retention_checked == now.date():
        return
    apply_retention(wiring.session_factory, now, actor="scheduler")
    wiring.retention_checked = now.date()


def cycle_job(wiring: Wiring) -> None:
    """The periodic job (and the digest job): a whole cycle, never raising into APScheduler."""
    try:
        run_cycle(wiring)
    except Exception:
        logger.exception("scheduler cycle failed; the next tick will try again")
