"""The programme's calendar from the database: one small statement whose rows are the
cache key, so every surface judges with the same calendar and an edit is seen at once."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, Text, cast, func, select
from sqlalchemy.orm import Session

from storage.calendar import NO_PROGRAMME, Lull, ProgrammeCalendar
from storage.db import SessionFactory
from storage.insight import Thresholds
from storage.models import LullWindow, Programme
from storage.programme import Cadence


def load_calendar(session: Session) -> ProgrammeCalendar:
    """The one calendar of the programme: one Core statement (the programme and its
    lulls) whose rows are the cache key, so an unchanged programme costs a tiny read and
    an edit or import, by any process, is seen on the next call."""
    rows = tuple(tuple(row) for row in
                 session.connection().execute(_calendar_statement()).all())
    return _calendar_of(rows) if rows else NO_PROGRAMME


@lru_cache(maxsize=1)
def _calendar_statement() -> Select:  # type: ignore[type-arg]
    """Built once; JSON columns read as their text, so every row is hashable."""
    return (select(Programme.name, Programme.timezone, Programme.holiday_region,
                   Programme.start_date, Programme.report_back_date, Programme.cadence_weeks,
                   Programme.cadence_weekday, Programme.local_hour,
                   cast(Programme.reminder_days, Text), Programme.report_back_prompt_days,
                   Programme.digest_weekday, Programme.digest_hour, Programme.stall_days,
                   Programme.low_response, Programme.momentum_drop,
                   cast(Programme.themes, Text), Programme.digest_channel,
                   Programme.digest_dm_staff, Programme.lull_reminders,
                   Programme.back_off_after, Programme.show_progress,
                   Programme.working_day_ends, LullWindow.name, LullWindow.starts,
                   LullWindow.ends, LullWindow.cadence_weeks, LullWindow.cadence_weekday)
            .outerjoin(LullWindow, LullWindow.programme_id == Programme.id)
            .where(Programme.id == select(func.min(Programme.id)).scalar_subquery())
            .order_by(LullWindow.starts))


@lru_cache(maxsize=8)
def _calendar_of(rows: tuple[tuple[Any, ...], ...]) -> ProgrammeCalendar:
    """One instance per distinct programme, so its rounds and holidays are computed once."""
    (name, timezone, region, start, report_back, every_weeks, weekday, hour, reminder_days,
     prompt_days, digest_weekday, digest_hour, stall_days, low_response, momentum_drop,
     themes, digest_channel, digest_dm_staff, lull_reminders, back_off_after, show_progress,
     working_day_ends) = rows[0][:22]
    lulls = tuple(Lull(lull_name, starts, ends, weeks, day)
                  for lull_name, starts, ends, weeks, day in (r[22:] for r in rows)
                  if lull_name is not None)
    return ProgrammeCalendar(
        name=name, timezone=timezone, holiday_region=region, start=start,
        report_back=report_back, every_weeks=every_weeks, weekday=weekday, hour=hour,
        reminder_days=tuple(json.loads(reminder_days or "null") or ()),
        report_back_prompt_days=prompt_days, digest_weekday=digest_weekday,
        digest_hour=digest_hour, lulls=lulls,
        thresholds=Thresholds(stall_days, low_response, momentum_drop),
        themes=tuple((theme, tuple(words))
                     for theme, words in (json.loads(themes or "null") or {}).items()),
        digest_channel=digest_channel, digest_dm_staff=bool(digest_dm_staff),
        cadence=Cadence(lull_reminders, back_off_after, bool(show_progress),
                        working_day_ends))


def programme_calendar(db: SessionFactory) -> ProgrammeCalendar:
    """The calendar, read in a session of its own (for processes starting up)."""
    with db() as session:
        return load_calendar(session)
