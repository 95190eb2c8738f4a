"""What someone's App Home shows, by role, in a fixed number of statements."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from storage.access import Viewer, load_viewer, person_zone
from storage.calendar import CalendarDay
from storage.db import SessionFactory
from storage.status import Detail, OwnCheckin, own_checkins, partnership_detail
from storage.summaries import Summary, load_calendar, summaries


@dataclass(frozen=True)
class HomeData:
    """A member's partnerships and own answers, a lead's status, staff's overview."""

    viewer: Viewer | None
    today: CalendarDay
    tz: str
    own: list[OwnCheckin] = field(default_factory=list)
    partnerships: list[Summary] = field(default_factory=list)
    led: list[Detail] = field(default_factory=list)
    overview: list[Summary] | None = None


def home_data(db: SessionFactory, slack_id: str, now: datetime) -> HomeData:
    """Everything this person's Home tab may show, and nothing more."""
    with db() as session:
        who = load_viewer(session, slack_id)
        today = load_calendar(session).on(now)
        if who is None:
            return HomeData(None, today, today.timezone)
        mine = summaries(session, now, today, [s.partnership_id for s in who.seats]) \
            if who.seats else []
        led = [d for d in (partnership_detail(session, now, today, s.partnership_id)
                           for s in who.led) if d is not None]
        overview = summaries(session, now, today) if who.is_staff else None
        return HomeData(who, today, person_zone(session, who.person_id, today.timezone),
                        own_checkins(session, who.person_id), mine, led, overview)
