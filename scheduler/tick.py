"""The periodic tick: open rounds, find what is due, write it to the outbox.

Safe to run twice, late, or in two processes at once: rounds and deliveries are
inserted with ON CONFLICT DO NOTHING on their natural keys. All reading and writing is
storage's; the tick decides, in one transaction, what should exist.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any, Protocol

from scheduler.channel import SUMMARY_WINDOW, shared_rounds, summary_rows
from scheduler.planning import (
    Intent,
    alert_intents,
    digest_intents,
    member_intents,
    summary_intents,
)
from storage.alerts import alert_targets, track_stall_episodes
from storage.calendar import NO_PROGRAMME, PlannedRound, ProgrammeCalendar
from storage.calendar_store import load_calendar
from storage.channel_summaries import RoundSummary, closed_rounds, round_summaries
from storage.db import SessionFactory
from storage.digest import Digest, build_digest
from storage.outbox import existing_keys, queue_rows
from storage.rounds import active_partnership_names, active_staff, open_rounds, round_recipients
from storage.standing import catch_up
from storage.summaries import summaries

logger = logging.getLogger("lpbot.tick")


class Renderer(Protocol):
    """Builds message payloads ({"text", "blocks"}); the bot provides the Block Kit."""

    def prompt(self, *, partnership_id: int, partnership_name: str, lull: str | None,
               report_back_days: int | None, reminder: bool,
               progress: tuple[int, int] | None = None) -> dict[str, Any]: ...

    def lead_alert(self, *, partnership_name: str, reasons: list[str]) -> dict[str, Any]: ...

    def digest(self, digest: Digest) -> list[dict[str, Any]]: ...

    def channel_summary(self, summary: RoundSummary) -> list[dict[str, Any]]: ...


@dataclass
class TickReport:
    rounds_opened: int = 0
    queued: dict[str, int] = field(default_factory=dict)
    dropped: int = 0


@dataclass
class _Plan:
    """What one tick intends, with what the messages need to be written."""

    cal: ProgrammeCalendar
    planned: PlannedRound | None
    names: dict[int, str]
    intents: list[Intent] = field(default_factory=list)
    reasons: dict[int, list[str]] = field(default_factory=dict)
    # (answered, eligible) in each partnership's open round: the figures /lp status shows
    progress: dict[int, tuple[int, int]] = field(default_factory=dict)
    round_ids: dict[int, int] = field(default_factory=dict)  # partnership -> open round


def tick(session_factory: SessionFactory, now: datetime, renderer: Renderer) -> TickReport:
    """Plan everything due at ``now`` into the outbox, in one transaction."""
    report = TickReport()
    with session_factory.begin() as session:
        cal = load_calendar(session)
        if cal is NO_PROGRAMME:
            return report
        plan = _Plan(cal, cal.round_at(now), active_partnership_names(session))
        if plan.planned is not None and plan.names:
            round_ids, report.rounds_opened = open_rounds(session, plan.planned,
                                                          list(plan.names))
            plan.round_ids = round_ids
            people = round_recipients(session, round_ids, now, cal.cadence.back_off_after)
            for partnership_id, round_id in round_ids.items():
                plan.intents += member_intents(now, cal, plan.planned, round_id,
                                               people.get(partnership_id, []))
            # The same lull-aware judgement and figures as /lp status, App Home and digest.
            found = summaries(session, now, cal.on(now))
            plan.progress = {s.partnership_id: (s.current.answered, s.current.eligible)
                             for s in found if s.current is not None
                             and s.current.round_id == round_ids.get(s.partnership_id)}
            stalling = {s.partnership_id: s.reasons for s in found if s.reasons}
            episodes = track_stall_episodes(session, now, stalling)
            plan.reasons = {pid: reasons for pid, (_, reasons) in episodes.items()}
            plan.intents += alert_intents(now, cal, alert_targets(
                session, {pid: e for pid, e in episodes.items() if pid in stalling}))
        if cal.start <= cal.local_day(now) <= cal.report_back:
            plan.intents += digest_intents(now, cal, cal.digest_channel, active_staff(session),
                                           cal.digest_dm_staff)
        known = existing_keys(session, [i.dedupe_key for i in plan.intents])
        # Built at most once, and only when a digest is due.
        digest_parts = cache(lambda: renderer.digest(build_digest(session, now)))
        rows = _rows(now, plan, [i for i in plan.intents if i.dedupe_key not in known],
                     renderer, digest_parts)
        # Each closed round's summary in its partnership channel (scheduler/channel.py).
        closing = summary_intents(now, cal, closed_rounds(session, now, SUMMARY_WINDOW))
        queued = existing_keys(session, [i.dedupe_key for i in closing])
        closing = [i for i in closing if i.dedupe_key not in queued]
        rows += summary_rows(now, closing, round_summaries(
            session, now, cal.on(now), shared_rounds(closing)), renderer.channel_summary)
        inserted = queue_rows(session, rows)
    _count(report, rows, inserted)
    if plan.round_ids:
        # The standings move on to the rounds just opened in a short transaction of their
        # own: check-ins never wait for the tick's (until then, ranking reads the rounds).
        with session_factory.begin() as session:
            catch_up(session, plan.round_ids, now)
    return report


def _rows(now: datetime, plan: _Plan, intents: list[Intent], renderer: Renderer,
          digest_parts: Callable[[], list[dict[str, Any]]]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    days_left = (plan.cal.report_back - plan.cal.local_day(now)).days
    for intent in intents:
        pid = intent.partnership_id or 0
        if intent.kind == "digest":
            rows += _digest_rows(now, intent, digest_parts)
            continue
        if intent.kind == "lead_alert":
            payload = renderer.lead_alert(partnership_name=plan.names.get(pid, ""),
                                          reasons=plan.reasons.get(pid, []))
        else:
            planned = plan.planned
            payload = renderer.prompt(
                partnership_id=pid, partnership_name=plan.names.get(pid, ""),
                lull=planned.lull if planned else None,
                report_back_days=days_left if planned and planned.kind == "report_back"
                else None, reminder=intent.kind == "reminder",
                progress=plan.progress.get(pid) if intent.kind == "reminder"
                and plan.cal.cadence.show_progress else None)
        rows.append(_row(intent, payload, now))
    return rows


def _count(report: TickReport, rows: list[dict[str, Any]], inserted: int) -> None:
    for row in rows:
        if row["status"] == "dropped":
            report.dropped += 1
        else:
            report.queued[row["kind"]] = report.queued.get(row["kind"], 0) + 1
    if inserted != len(rows):
        logger.info("tick skipped %s rows another scheduler queued", len(rows) - inserted)
    if report.queued or report.rounds_opened:
        logger.info("tick rounds_opened=%s queued=%s dropped=%s", report.rounds_opened,
                    report.queued, report.dropped)


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
            "person_id": intent.person_id, "round_id": intent.round_id}


def _digest_rows(now: datetime, intent: Intent,
                 digest_parts: Callable[[], list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """A long digest is a parent and threaded replies: one outbox row per message."""
    if intent.dropped:
        return [_row(intent, {"text": "digest skipped"}, now)]
    parts = digest_parts()
    rows = [_row(intent, parts[0], now)]
    for index, part in enumerate(parts[1:], start=2):
        rows.append(_row(intent, {**part, "thread_of": intent.dedupe_key}, now,
                         key=f"{intent.dedupe_key}#{index}"))
    return rows
