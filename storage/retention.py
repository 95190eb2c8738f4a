"""Retention: free text is kept for the programme's setting after the report-back, then
removed through the erasure's own code (``scrub_free_text``).

A check-in's free text goes once ``free_text_retention_days`` have passed since the
later of the report-back day and the check-in itself; the numbers stay. Copies of
messages in the outbox older than that lose their text too (they are in Slack already).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from storage import audit
from storage.db import SessionFactory
from storage.erasure import REMOVED, clear_payloads, count_free_text, scrub_free_text
from storage.models import Checkin, Delivery, Programme

logger = logging.getLogger("lpbot.retention")
FINISHED = ("sent", "failed", "dropped")


@dataclass(frozen=True)
class RetentionPlan:
    """What retention removes at a moment (or removed, once applied)."""

    days: int
    report_back: date | None
    starts_at: datetime | None  # when retention first removes anything
    cutoff: datetime | None  # free text written before this goes; None: nothing is due
    checkins: int = 0
    texts: int = 0
    payloads: int = 0

    @property
    def due(self) -> bool:
        return bool(self.checkins or self.payloads)


def _cutoff(programme: Programme, now: datetime) -> tuple[datetime, datetime | None]:
    """(when retention begins, the cutoff at ``now`` or None before it begins)."""
    day_after = programme.report_back_date + timedelta(days=1)
    report_back_ends = datetime.combine(day_after, time(), ZoneInfo(programme.timezone))
    begins = report_back_ends + timedelta(days=programme.free_text_retention_days)
    if now < begins:
        return begins, None
    return begins, now - timedelta(days=programme.free_text_retention_days)


def _old_payloads(cutoff: datetime) -> ColumnElement[bool]:
    return (Delivery.status.in_(FINISHED)) & (Delivery.created_at < cutoff) & \
        (Delivery.payload.is_not(None))


def _plan(session: Session, now: datetime) -> tuple[RetentionPlan, list[Delivery]]:
    programme = session.scalar(select(Programme))
    if programme is None:
        return RetentionPlan(0, None, None, None), []
    begins, cutoff = _cutoff(programme, now)
    if cutoff is None:
        return RetentionPlan(programme.free_text_retention_days, programme.report_back_date,
                             begins, None), []
    checkins, texts = count_free_text(session, Checkin.submitted_at < cutoff)
    old = [d for d in session.scalars(select(Delivery).where(_old_payloads(cutoff)))
           if d.payload != {"text": REMOVED}]
    return RetentionPlan(programme.free_text_retention_days, programme.report_back_date,
                         begins, cutoff, checkins, texts, len(old)), old


def retention_plan(db: SessionFactory, now: datetime) -> RetentionPlan:
    """What retention would remove now, changing nothing (`lpbot retention --dry-run`)."""
    with db() as session:
        return _plan(session, now)[0]


def apply_retention(db: SessionFactory, now: datetime, *, actor: str) -> RetentionPlan:
    """Remove what is due, in one transaction, and log the counts in the audit log."""
    with db.begin() as session:
        plan, old = _plan(session, now)
        if not plan.due or plan.cutoff is None:
            return plan
        scrub_free_text(session, Checkin.submitted_at < plan.cutoff)
        clear_payloads(session, old, "retention")
        audit.record(session, action=audit.RETENTION, actor=actor, now=now,
                     detail={"checkins": plan.checkins, "texts": plan.texts,
                             "payloads": plan.payloads,
                             "cutoff": plan.cutoff.isoformat()})
    logger.info("retention removed checkins=%s texts=%s payloads=%s", plan.checkins,
                plan.texts, plan.payloads)
    return plan
