"""The weekly digest's content, from a fixed number of queries whatever the programme size."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from storage.calendar import CalendarDay
from storage.calendar_store import load_calendar
from storage.common_ground import CommonGround, as_themes, common_ground
from storage.db import SessionFactory
from storage.insight import Theme
from storage.notes import FailedDelivery, Note, failed_deliveries, open_notes
from storage.series import Week, weekly
from storage.summaries import Summary, summaries


@dataclass(frozen=True)
class Digest:
    calendar: CalendarDay
    generated_at: datetime
    partnerships: list[Summary]  # worst first
    help: list[Note]
    blockers: list[Note]
    themes: list[Theme]
    failures: list[FailedDelivery]
    weeks: list[Week] = field(default_factory=list)  # the programme week by week, for charts
    # Keyword themes and texts that say the same thing, with each partnership's own words.
    common_ground: list[CommonGround] = field(default_factory=list)

    @property
    def stalling(self) -> list[Summary]:
        return [s for s in self.partnerships if s.stalling]

    @property
    def momentum(self) -> float | None:
        latest = [m for s in self.partnerships for m in s.momentum_series[-1:] if m is not None]
        return sum(latest) / len(latest) if latest else None

    @property
    def response_rate(self) -> float | None:
        rounds = [s.current for s in self.partnerships if s.current is not None]
        eligible = sum(r.eligible for r in rounds)
        return sum(r.answered for r in rounds) / eligible if eligible else None


def build_digest(session: Session, now: datetime) -> Digest:
    """Everything staff need this week: who moves, who stalls, where to help, themes."""
    programme = load_calendar(session)
    calendar = programme.on(now)
    found = summaries(session, now, calendar)
    # Blockers and help from the last two rounds of each partnership, so a request made
    # just before a new round opened is not lost from view.
    round_ids = [r.round_id for s in found for r in s.rounds[-2:]]
    blockers, help_notes = open_notes(session, round_ids)
    ground = common_ground(blockers, help_notes, calendar.themes)
    failures = failed_deliveries(session, now - timedelta(days=7))
    return Digest(calendar, now, found, help_notes, blockers, as_themes(ground), failures,
                  weekly(session, now, programme, found), ground)


def digest_now(db: SessionFactory, now: datetime) -> Digest:
    """This week's digest, read in a session of its own (previews)."""
    with db() as session:
        return build_digest(session, now)
