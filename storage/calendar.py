"""The one model of the programme: its calendar, lulls and thresholds, as plain values.

Pure: no database, no Slack. Built once from the programme row (``storage.summaries.
load_calendar``) and asked by every surface, so the lull rule and the stalling thresholds
mean the same thing in lead alerts, `/lp status`, App Home and the digest. Everything is
computed in UTC from local wall-clock intentions, so 10:00 stays 10:00 in every zone
across daylight-saving changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

import holidays

from storage.insight import Thresholds
from storage.programme import Cadence, holiday_calendar

LULL_STALL_MIN_DAYS = 7  # in a lull a quiet partnership is flagged after 2/3 of the wait


@dataclass(frozen=True)
class Lull:
    name: str
    starts: date
    ends: date
    every_weeks: int
    weekday: int


@dataclass(frozen=True)
class PlannedRound:
    """A round as the calendar intends it: it opens on ``open_day`` at the programme hour."""

    kind: str
    open_day: date
    opens_at: datetime
    due_at: datetime
    lull: str | None


@dataclass(frozen=True)
class CalendarDay:
    """The programme as seen at one moment, for the surfaces that show it; built only by
    ``ProgrammeCalendar.on`` so every surface sees the same lull and thresholds."""

    programme_name: str
    timezone: str
    today_lull: str | None
    days_to_report_back: int | None
    thresholds: Thresholds
    themes: dict[str, list[str]]
    cadence: Cadence = field(default_factory=Cadence)
    calendar: ProgrammeCalendar | None = field(default=None, compare=False, repr=False)
    """The calendar this day was taken from (for charts that mark lull rounds)."""


@dataclass(frozen=True)
class ProgrammeCalendar:
    """Everything time-related about the programme, and when a partnership stalls."""

    name: str
    timezone: str
    holiday_region: str
    start: date
    report_back: date
    every_weeks: int
    weekday: int
    hour: int
    reminder_days: tuple[int, ...]
    report_back_prompt_days: int
    digest_weekday: int
    digest_hour: int
    lulls: tuple[Lull, ...] = ()
    thresholds: Thresholds = field(default_factory=Thresholds)
    themes: tuple[tuple[str, tuple[str, ...]], ...] = ()
    digest_channel: str | None = None
    digest_dm_staff: bool = False
    cadence: Cadence = field(default_factory=Cadence)

    @property
    def theme_words(self) -> dict[str, list[str]]:
        return {name: list(words) for name, words in self.themes}

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)  # once: every round on a chart asks for it

    @cached_property
    def holidays(self) -> holidays.HolidayBase:
        return holiday_calendar(self.holiday_region,
                                range(self.start.year, self.report_back.year + 2))

    def is_working_day(self, day: date) -> bool:
        """Weekdays that are not public holidays of the programme's region."""
        return day.weekday() < 5 and day not in self.holidays

    def next_working_day(self, day: date) -> date:
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def add_working_days(self, day: date, count: int) -> date:
        for _ in range(count):
            day = self.next_working_day(day + timedelta(days=1))
        return day

    def lull_on(self, day: date) -> Lull | None:
        return next((w for w in self.lulls if w.starts <= day <= w.ends), None)

    def lull_at(self, now: datetime) -> str | None:
        """The name of the lull the programme is in at ``now`` (its own zone), if any."""
        lull = self.lull_on(self.local_day(now))
        return lull.name if lull else None

    def thresholds_at(self, now: datetime) -> Thresholds:
        """The stalling thresholds in force at ``now``: the lull rule lives here only.

        In a lull a quiet partnership is flagged after two thirds of the usual wait (at
        least a week), so leads hear sooner exactly when partners are most stretched.
        """
        if self.lull_at(now) is None:
            return self.thresholds
        days = max(LULL_STALL_MIN_DAYS, self.thresholds.stall_days * 2 // 3)
        return replace(self.thresholds, stall_days=min(days, self.thresholds.stall_days))

    def on(self, now: datetime) -> CalendarDay:
        """What the surfaces show at ``now``: today's lull, the countdown, the thresholds."""
        return CalendarDay(self.name, self.timezone, self.lull_at(now),
                           None if self is NO_PROGRAMME
                           else (self.report_back - self.local_day(now)).days,
                           self.thresholds_at(now), self.theme_words, self.cadence, self)

    def local_moment(self, day: date, hour: int, tz: str | None = None) -> datetime:
        """``hour``:00 on ``day`` in ``tz`` (the programme's zone by default), in UTC."""
        zone = ZoneInfo(tz) if tz else self.zone
        return datetime.combine(day, time(hour), tzinfo=zone).astimezone(UTC)

    def local_day(self, moment: datetime) -> date:
        return moment.astimezone(self.zone).date()

    @cached_property
    def rounds(self) -> tuple[PlannedRound, ...]:
        """Every round of the programme: on the cadence, more often in lulls, and a final
        report-back round ``report_back_prompt_days`` before the conference."""
        final_day = self.report_back - timedelta(days=self.report_back_prompt_days)
        days: list[tuple[date, str, str | None]] = []
        cursor = self.start
        while cursor < final_day:
            lull = self.lull_on(cursor)
            weekday = lull.weekday if lull else self.weekday
            day = cursor + timedelta(days=(weekday - cursor.weekday()) % 7)
            lull = self.lull_on(day)
            if day >= final_day:
                break
            days.append((day, "lull" if lull else "regular", lull.name if lull else None))
            step = lull.every_weeks if lull else self.every_weeks
            cursor = day + timedelta(weeks=step)
            # Entering a lull early: don't leave a long gap before the first lull round.
            upcoming = next((w for w in self.lulls if day < w.starts < cursor), None)
            if upcoming is not None and not lull:
                cursor = upcoming.starts
        if self.report_back_prompt_days and final_day > self.start:
            days.append((final_day, "report_back", None))
        opens = [self.local_moment(self.next_working_day(d), self.hour) for d, _, _ in days]
        end = self.local_moment(self.report_back, 23)
        return tuple(
            PlannedRound(kind, self.next_working_day(day), opens[i],
                         opens[i + 1] if i + 1 < len(opens) else end, lull)
            for i, (day, kind, lull) in enumerate(days))

    def round_at(self, now: datetime) -> PlannedRound | None:
        """The round open at ``now`` (None before the first or after the report-back)."""
        current = None
        for planned in self.rounds:
            if planned.opens_at <= now:
                current = planned
            else:
                break
        if current is None or now >= current.due_at:
            return None
        return current

    def digest_moments(self) -> list[tuple[str, datetime]]:
        """(ISO week label, send moment) for each programme week's digest."""
        out = []
        day = self.start + timedelta(days=(self.digest_weekday - self.start.weekday()) % 7)
        while day <= self.report_back:
            iso = day.isocalendar()
            out.append((f"{iso.year}-W{iso.week:02d}",
                        self.local_moment(day, self.digest_hour)))
            day += timedelta(weeks=1)
        return out


NO_PROGRAMME = ProgrammeCalendar(
    name="lpbot", timezone="Europe/London", holiday_region="GB-ENG",
    start=date(2000, 1, 3), report_back=date(2000, 1, 3), every_weeks=2, weekday=0, hour=10,
    reminder_days=(), report_back_prompt_days=0, digest_weekday=0, digest_hour=9)
"""The calendar when no programme has been imported: no rounds, no digests, no lulls."""
