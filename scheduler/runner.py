"""APScheduler set-up: the only module that imports APScheduler."""

from __future__ import annotations

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from scheduler.jobs import Wiring, register, tick_job

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def start_scheduler(wiring: Wiring, database_url: str, *, interval_seconds: int = 60,
                    digest: tuple[int, int, str] | None = None) -> BackgroundScheduler:
    """A background scheduler persisting its jobs in the lpbot database.

    The tick is an interval job (UTC, so no daylight-saving gaps); the weekly digest job
    (weekday, hour, zone) only runs a tick early: the outbox decides what is sent.
    """
    register(wiring)
    scheduler = BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(url=database_url)},
        executors={"default": ThreadPoolExecutor(2)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300},
        timezone="UTC",
    )
    scheduler.add_job(tick_job, IntervalTrigger(seconds=interval_seconds), id="lpbot-tick",
                      name="plan and deliver", replace_existing=True)
    if digest is not None:
        weekday, hour, zone = digest
        scheduler.add_job(tick_job, CronTrigger(day_of_week=WEEKDAYS[weekday], hour=hour,
                                                minute=1, timezone=zone),
                          id="lpbot-digest", name="weekly digest", replace_existing=True)
    scheduler.start()
    return scheduler
