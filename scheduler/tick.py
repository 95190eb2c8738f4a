"""The periodic tick: open rounds, find what is due, write it to the outbox.

Safe to run twice, late, or in two processes at once: rounds and deliveries are
inserted with ON CONFLICT DO NOTHING on their natural keys.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import lru_cache
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from scheduler.planning import (
    AlertTarget,
    Intent,
    Recipient,
    alert_intents,
    digest_intents,
    effective_stall_days,
    member_intents,
)
from storage.calendar import PlannedRound, ProgrammeCalendar
from storage.db import SessionFactory
from storage.models import (
    Checkin,
    CheckinRound,
    Delivery,
    Membership,
    Partnership,
    Person,
    Programme,
    StallEpisode,
)
from storage.outbox import existing_keys, insert_ignoring_duplicates
from storage.queries import calendar_of, summaries

logger = logging.getLogger("lpbot.tick")


class Renderer(Protocol):
    """Builds message payloads ({"text", "blocks"}); the bot provides the Block Kit."""

    def prompt(self, *, partnership_id: int, partnership_name: str, lull: str | None,
               report_back_days: int | None, reminder: bool) -> dict[str, Any]: ...

    def lead_alert(self, *, partnership_name: str, reasons: list[str]) -> dict[str, Any]: ...

    def digest(self, session: Session, now: datetime) -> list[dict[str, Any]]: ...


@dataclass
class TickReport:
    rounds_opened: int = 0
    queued: dict[str, int] = field(default_factory=dict)
    dropped: int = 0


@lru_cache(maxsize=8)
def _calendar(key: ProgrammeCalendar) -> ProgrammeCalendar:
    return key  # one instance per distinct calendar keeps its cached rounds and holidays


def tick(session_factory: SessionFactory, now: datetime, renderer: Renderer) -> TickReport:
    """Plan everything due at ``now`` into the outbox, in one transaction."""
    report = TickReport()
    with session_factory.begin() as session:
        programme = session.scalar(select(Programme).options(selectinload(Programme.lulls)))
        if programme is None:
            return report
        cal = _calendar(ProgrammeCalendar.from_programme(programme))
        intents: list[Intent] = []
        reasons: dict[int, list[str]] = {}
        planned = cal.round_at(now)
        names = {p.id: p.name for p in session.scalars(
            select(Partnership).where(Partnership.active))}
        if planned is not None and names:
            round_ids = _ensure_rounds(session, planned, list(names), report)
            people = _recipients(session, round_ids)
            for partnership_id, round_id in round_ids.items():
                intents += member_intents(now, cal, planned, round_id,
                                          people.get(partnership_id, []))
            alerts, reasons = _alerts(session, now, cal, programme)
            intents += alerts
        if cal.start <= cal.local_day(now) <= cal.report_back:
            staff = [(p.id, p.slack_user_id) for p in session.scalars(
                select(Person).where(Person.is_staff, Person.active))]
            intents += digest_intents(now, cal, programme.digest_channel, staff,
                                      programme.digest_dm_staff)
        _write(session, now, intents, names, reasons, planned, cal, renderer, report)
    if report.queued or report.rounds_opened:
        logger.info("tick rounds_opened=%s queued=%s dropped=%s", report.rounds_opened,
                    report.queued, report.dropped)
    return report


def _ensure_rounds(session: Session, planned: PlannedRound, partnership_ids: list[int],
                   report: TickReport) -> dict[int, int]:
    report.rounds_opened += len(insert_ignoring_duplicates(session, CheckinRound, [
        {"partnership_id": pid, "kind": planned.kind, "opens_at": planned.opens_at,
         "due_at": planned.due_at} for pid in partnership_ids]))
    return dict(session.execute(select(CheckinRound.partnership_id, CheckinRound.id).where(
        CheckinRound.opens_at == planned.opens_at,
        CheckinRound.partnership_id.in_(partnership_ids))).all())


def _recipients(session: Session, round_ids: dict[int, int]) -> dict[int, list[Recipient]]:
    """Every active member of these partnerships, with whether they answered the round:
    two queries whatever the number of partnerships."""
    answered = {(pid, person) for pid, person in session.execute(
        select(Checkin.partnership_id, Checkin.person_id).where(
            Checkin.round_id.in_(list(round_ids.values()))))}
    out: dict[int, list[Recipient]] = {}
    for partnership_id, p in session.execute(
            select(Membership.partnership_id, Person)
            .join(Person, Person.id == Membership.person_id)
            .where(Membership.partnership_id.in_(list(round_ids)), Membership.active,
                   Person.active).order_by(Membership.partnership_id, Person.id)):
        out.setdefault(partnership_id, []).append(Recipient(
            p.id, p.slack_user_id, partnership_id, p.tz, p.paused_until, p.snoozed_until,
            p.reminders_enabled, (partnership_id, p.id) in answered))
    return out


def _alerts(session: Session, now: datetime, cal: ProgrammeCalendar, programme: Programme
            ) -> tuple[list[Intent], dict[int, list[str]]]:
    """Open a stall episode when a partnership starts stalling, close it when it recovers;
    leads are alerted once per episode. Returns the alerts and each open episode's
    reasons (what the alert says)."""
    calendar = calendar_of(programme, now)
    stall_days = effective_stall_days(cal, now, programme.stall_days)
    calendar = replace(calendar, thresholds=replace(calendar.thresholds,
                                                    stall_days=stall_days))
    stalling = {s.partnership_id: s.reasons for s in summaries(session, now, calendar)
                if s.reasons}
    open_episodes = {e.partnership_id: e for e in session.scalars(
        select(StallEpisode).where(StallEpisode.ended_at.is_(None)))}
    for partnership_id, episode in open_episodes.items():
        if partnership_id not in stalling:
            episode.ended_at = now
    for partnership_id, reasons in stalling.items():
        if partnership_id not in open_episodes:
            episode = StallEpisode(partnership_id=partnership_id, started_at=now,
                                   reasons=reasons)
            session.add(episode)
            open_episodes[partnership_id] = episode
    session.flush()
    targets = [AlertTarget(pid, open_episodes[pid].id, person_id, slack_id)
               for pid, person_id, slack_id in session.execute(
                   select(Membership.partnership_id, Person.id, Person.slack_user_id)
                   .join(Person, Person.id == Membership.person_id)
                   .where(Membership.role == "lead", Membership.active, Person.active,
                          Membership.partnership_id.in_(list(stalling))))]
    return alert_intents(now, cal, targets), {pid: e.reasons
                                              for pid, e in open_episodes.items()
                                              if e.ended_at is None}


def _write(session: Session, now: datetime, intents: list[Intent], names: dict[int, str],
           reasons: dict[int, list[str]], planned: PlannedRound | None,
           cal: ProgrammeCalendar, renderer: Renderer, report: TickReport) -> None:
    known = existing_keys(session, [i.dedupe_key for i in intents])
    new = [i for i in intents if i.dedupe_key not in known]
    rows: list[dict[str, Any]] = []
    days_left = (cal.report_back - cal.local_day(now)).days
    for intent in new:
        if intent.kind == "digest":
            rows += _digest_rows(session, now, intent, renderer)
            continue
        if intent.kind == "lead_alert":
            payload = renderer.lead_alert(partnership_name=names.get(intent.partnership_id or 0,
                                                                     ""),
                                          reasons=reasons.get(intent.partnership_id or 0, []))
        else:
            payload = renderer.prompt(
                partnership_id=intent.partnership_id or 0,
                partnership_name=names.get(intent.partnership_id or 0, ""),
                lull=planned.lull if planned else None,
                report_back_days=days_left if planned and planned.kind == "report_back"
                else None, reminder=intent.kind == "reminder")
        rows.append(_row(intent, payload, now))
    inserted = len(insert_ignoring_duplicates(session, Delivery, rows))
    for row in rows:
        if row["status"] == "dropped":
            report.dropped += 1
        else:
            report.queued[row["kind"]] = report.queued.get(row["kind"], 0) + 1
    if inserted != len(rows):
        logger.info("tick skipped %s rows another scheduler queued", len(rows) - inserted)


def _row(intent: Intent, payload: dict[str, Any], now: datetime,
         key: str | None = None) -> dict[str, Any]:
    dropped = intent.dropped
    if dropped is None and intent.expires_at is not None and now >= intent.expires_at:
        dropped = "round over"
    return {"kind": intent.kind, "recipient": intent.recipient,
            "dedupe_key": key or intent.dedupe_key, "payload": payload,
            "status": "dropped" if dropped else "pending", "attempts": 0,
            "created_at": now, "next_attempt_at": max(now, intent.send_at),
            "expires_at": intent.expires_at, "last_error": dropped,
            "person_id": intent.person_id}


def _digest_rows(session: Session, now: datetime, intent: Intent,
                 renderer: Renderer) -> list[dict[str, Any]]:
    """A long digest is a parent and threaded replies: one outbox row per message."""
    if intent.dropped:
        return [_row(intent, {"text": "digest skipped"}, now)]
    parts = renderer.digest(session, now)
    rows = [_row(intent, parts[0], now)]
    for index, part in enumerate(parts[1:], start=2):
        rows.append(_row(intent, {**part, "thread_of": intent.dedupe_key}, now,
                         key=f"{intent.dedupe_key}#{index}"))
    return rows
