"""What someone's App Home shows, by role, in a fixed number of statements."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from storage.access import Viewer, load_viewer, person_zone
from storage.calendar import NO_PROGRAMME, CalendarDay
from storage.calendar_store import load_calendar
from storage.channel_summaries import ChannelProblem, channel_problems
from storage.db import SessionFactory
from storage.people import OwnCadence, own_cadence
from storage.series import HISTORY_ROUNDS, OwnPoint, Week, own_history, round_history, weekly
from storage.status import Detail, OwnCheckin, own_checkins, partnership_detail
from storage.summaries import Summary, latest_rounds, summaries


@dataclass(frozen=True)
class HomeData:
    """A member's partnerships and own answers, a lead's status, staff's overview."""

    viewer: Viewer | None
    today: CalendarDay
    tz: str
    programme: bool = True  # False before a programme is imported: say what to do first
    own: list[OwnCheckin] = field(default_factory=list)
    partnerships: list[Summary] = field(default_factory=list)
    led: list[Detail] = field(default_factory=list)
    overview: list[Summary] | None = None
    own_history: list[OwnPoint] = field(default_factory=list)  # first partnership's rounds
    weeks: list[Week] = field(default_factory=list)  # staff: the programme week by week
    cadence: OwnCadence | None = None  # a member's reminders and pause, to change them
    channel_problems: list[ChannelProblem] = field(default_factory=list)  # a lead's


def home_data(db: SessionFactory, slack_id: str, now: datetime) -> HomeData:
    """Everything this person's Home tab may show, and nothing more."""
    with db() as session:
        who = load_viewer(session, slack_id)
        calendar = load_calendar(session)
        today = calendar.on(now)
        if who is None:
            return HomeData(None, today, today.timezone, calendar is not NO_PROGRAMME)
        seats = [s.partnership_id for s in who.seats]
        # Read once for the figures and the first partnership's chart.
        rounds = latest_rounds(session, seats, now, HISTORY_ROUNDS) if seats else []
        # A member's Home shows their partnerships' names, objectives and chart, never
        # their flags: no need to read who answered in each round.
        mine = summaries(session, now, today, seats, rounds, flagged=False) if seats else []
        led = [d for d in (partnership_detail(session, now, today, s.partnership_id)
                           for s in who.led) if d is not None]
        overview = summaries(session, now, today) if who.is_staff else None
        history = round_history(session, now, calendar, mine[:1], rows=[
            row for row in rounds if row[1] == mine[0].partnership_id]) if mine else {}
        own = own_history(session, who.person_id,
                          history.get(mine[0].partnership_id, [])) if mine else []
        weeks = weekly(session, now, calendar, overview) if overview else []
        cadence = own_cadence(session, who.person_id, now, calendar.cadence.back_off_after) \
            if who.seats else None
        problems = channel_problems(session, [s.partnership_id for s in who.led])
        return HomeData(who, today, person_zone(session, who.person_id, today.timezone),
                        calendar is not NO_PROGRAMME, own_checkins(session, who.person_id),
                        mine, led, overview, own, weeks, cadence, problems)
