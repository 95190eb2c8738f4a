"""APScheduler set-up: the only module that imports APScheduler.

Each process has its own in-memory job store: APScheduler 3 forbids sharing a job store
between schedulers, and nothing needs persisting, because what must survive a restart
(rounds, the outbox) is in the database and the tick re-plans it.
"""

from __future__ import annotations

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from scheduler.jobs import Wiring, cycle_job

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def start_scheduler(wiring: Wiring, *, interval_seconds: int = 60,
                    digest: tuple[int, int, str] | None = None) -> BackgroundScheduler:
    """A background scheduler running a cycle every ``interval_seconds``.

    The tick is an interval job (UTC, so no daylight-saving gaps); the weekly digest job
    (weekday, hour, zone) only runs a cycle early: the outbox decides what is sent.
    """
    scheduler = BackgroundScheduler(
        jobstores={"default": MemoryJobStore()},
        executors={"default": ThreadPoolExecutor(2)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300},
        timezone="UTC",
    )
    scheduler.add_job(cycle_job, IntervalTrigger(seconds=interval_seconds), args=[wiring],
                      id="lpbot-tick", name="plan and deliver")
    if digest is not None:
        weekday, hour, zone = digest
        scheduler.add_job(cycle_job, CronTrigger(day_of_week=WEEKDAYS[weekday], hour=hour,
                                                 minute=1, timezone=zone),
                          args=[wiring], id="lpbot-digest", name="weekly digest")
    scheduler.start()
    return scheduler
