"""The job APScheduler runs: plan (tick) then deliver. Module-level and argument-free so a
persisted job can always be unpickled; the running process registers its wiring here."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from scheduler.delivery import DeliveryReport, DeliveryWorker
from scheduler.tick import Renderer, TickReport, tick
from scheduler.timezones import sync_time_zones
from storage.clock import Clock
from storage.db import SessionFactory

logger = logging.getLogger("lpbot.jobs")


@dataclass
class Wiring:
    session_factory: SessionFactory
    clock: Clock
    renderer: Renderer
    worker: DeliveryWorker


_wiring: Wiring | None = None


def register(wiring: Wiring | None) -> None:
    """Set (or clear) what the jobs of this process use."""
    global _wiring
    _wiring = wiring


def run_cycle(wiring: Wiring) -> tuple[TickReport, DeliveryReport]:
    """One planning pass and one delivery pass."""
    client = wiring.worker.client
    if hasattr(client, "users_info"):
        sync_time_zones(wiring.session_factory, client)  # type: ignore[arg-type]
    planned = tick(wiring.session_factory, wiring.clock(), wiring.renderer)
    delivered = wiring.worker.run_once()
    if delivered.sent or delivered.failed or delivered.recovered:
        logger.info("delivered sent=%s failed=%s retried=%s dropped=%s recovered=%s",
                    delivered.sent, delivered.failed, delivered.retried, delivered.dropped,
                    delivered.recovered)
    return planned, delivered


def tick_job() -> None:
    """The periodic job (and the digest job): a whole cycle, never raising into APScheduler."""
    if _wiring is None:
        logger.warning("tick skipped: this process has no scheduler wiring")
        return
    try:
        run_cycle(_wiring)
    except Exception:
        logger.exception("scheduler cycle failed; the next tick will try again")
