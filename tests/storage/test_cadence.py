"""The cadence settings from the programme file, the back-off query, and the one humane
catch-up rule every message uses."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml
from sqlalchemy import event, select

from scheduler.planning import digest_intents, humane_moment
from storage.cadence import quiet_members
from storage.calendar import PlannedRound
from storage.calendar_store import load_calendar
from storage.clock import SteppingClock
from storage.db import SessionFactory
from storage.importer import import_programme
from storage.models import Checkin, CheckinRound, Delivery, Membership, Partnership
from storage.programme import Cadence, ProgrammeError, parse_programme
from storage.rounds import round_recipients
from tests.conftest import EXAMPLE
from tests.storage.test_calendar import CAL

RAW = yaml.safe_load(EXAMPLE.read_text())


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def with_settings(**programme: Any) -> dict[str, Any]:
    raw = copy.deepcopy(RAW)
    for key, value in programme.items():
        if key == "working_day_ends":
            raw["programme"]["cadence"][key] = value
        else:
            raw["programme"][key] = value
    return raw


def test_settings_are_read_imported_and_on_the_calendar(session_factory: SessionFactory,
                                                        clock: SteppingClock) -> None:
    assert parse_programme(RAW).cadence == Cadence()  # defaults when the file is silent
    spec = parse_programme(with_settings(
        reminders={"in_lulls": 0, "back_off_after": 2, "show_progress": False},
        working_day_ends=16))
    with session_factory.begin() as session:
        import_programme(spec, session=session, now=clock())
    with session_factory() as session:
        calendar = load_calendar(session)
    assert calendar.cadence == Cadence(0, 2, False, 16)
    assert calendar.on(clock()).cadence == calendar.cadence


def test_bad_settings_are_all_named() -> None:
    with pytest.raises(ProgrammeError) as caught:
        parse_programme(with_settings(
            reminders={"in_lulls": 5, "back_off_after": -1, "show_progress": "yes"},
            working_day_ends=10))
    problems = "\n".join(caught.value.problems)
    for key in ("reminders.in_lulls", "reminders.back_off_after",
                "reminders.show_progress", "cadence.working_day_ends"):
        assert f"programme.{key}" in problems
    assert len(caught.value.problems) == 4


@contextmanager
def counting(session_factory: SessionFactory) -> Iterator[list[str]]:
    statements: list[str] = []
    engine = session_factory().get_bind()

    def count(*args: Any) -> None:
        if str(args[2]).lstrip().upper().startswith("SELECT"):
            statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_quiet_members_for_every_partnership_in_one_statement(
        example_programme: SessionFactory, clock: SteppingClock) -> None:
    """Three closed rounds per partnership, each member prompted; one member of each
    partnership answers the middle round, so only they are not quiet."""
    start = clock() - timedelta(weeks=4)
    with example_programme.begin() as session:
        seats = session.execute(select(Membership.partnership_id, Membership.person_id)
                                .order_by(Membership.id)).all()
        pids = list(session.scalars(select(Partnership.id)))
        rounds = {}
        for week in range(3):
            for pid in pids:
                row = CheckinRound(partnership_id=pid, kind="regular",
                                   opens_at=start + timedelta(weeks=week),
                                   due_at=start + timedelta(weeks=week + 1))
                session.add(row)
                session.flush()
                rounds[(pid, week)] = row.id
        for pid, person in seats:
            for week in range(3):
                session.add(Delivery(
                    kind="prompt", recipient="U", dedupe_key=f"p:{pid}:{person}:{week}",
                    payload={}, status="sent", attempts=1, created_at=start,
                    next_attempt_at=start, round_id=rounds[(pid, week)], person_id=person))
        answering = {pid: person for pid, person in reversed(seats)}  # first seat of each
        for pid, person in answering.items():
            session.add(Checkin(person_id=person, partnership_id=pid, round_id=rounds[
                (pid, 1)], submitted_at=start, momentum=3, source="modal"))
    with example_programme() as session, counting(example_programme) as statements:
        quiet = quiet_members(session, pids, clock(), 3)
        assert len(statements) == 1
        assert quiet == {(pid, person) for pid, person in seats} - set(answering.items())
        assert quiet_members(session, pids, clock(), 4) == set()  # only three rounds asked
        one = quiet_members(session, pids[:1], clock(), 2)
        assert one == {(pid, person) for pid, person in seats if pid == pids[0]} - {
            (pids[0], answering[pids[0]])} and len(statements) == 3
        statements.clear()
        people = round_recipients(session, {pid: rounds[(pid, 2)] for pid in pids}, clock(),
                                  3)
        assert len(statements) == 4 and sum(len(v) for v in people.values()) == len(seats)
        assert {(p.partnership_id, p.person_id) for v in people.values() for p in v
                if p.backed_off} == quiet


@pytest.mark.parametrize(("zone", "local_hour"), [("Europe/London", 1),
                                                  ("America/New_York", 20),
                                                  ("Asia/Kolkata", 6)])
def test_a_message_due_at_night_waits_for_the_local_morning(zone: str, local_hour: int) -> None:
    tz = ZoneInfo(zone)
    night = datetime(2026, 12, 8 if local_hour < 12 else 7, local_hour, 30, tzinfo=tz)
    intended = night - timedelta(hours=15)
    moment = humane_moment(intended, night, CAL, zone)
    assert moment.astimezone(tz) == datetime(2026, 12, 8, 10, tzinfo=tz)
    working = datetime(2026, 12, 8, 11, 15, tzinfo=tz)
    assert humane_moment(intended, working, CAL, zone) == working  # in hours: now
    ahead = working + timedelta(hours=1)
    assert humane_moment(ahead, working, CAL, zone) == ahead  # not yet due: as planned


def test_weekends_holidays_and_the_end_of_the_day_wait_too() -> None:
    london = ZoneInfo("Europe/London")
    friday_evening = datetime(2026, 12, 18, 17, 5, tzinfo=london)
    assert humane_moment(friday_evening, friday_evening, CAL, None).astimezone(london) == \
        datetime(2026, 12, 21, 10, tzinfo=london)
    christmas_eve = datetime(2026, 12, 24, 18, tzinfo=london)
    assert humane_moment(christmas_eve, christmas_eve, CAL, None).astimezone(london) == \
        datetime(2026, 12, 29, 10, tzinfo=london)  # 25, 26 (28 in lieu) are holidays


def test_a_digest_due_while_down_goes_at_the_next_digest_hour_or_is_dropped() -> None:
    # Monday 7 December's digest (09:00 London) seen at 01:00 on Tuesday: the channel's
    # waits for 09:00; New York's 09:00 is more than a day late, so it is dropped now.
    staff = [(1, "U0STAFF", "America/New_York")]
    night = digest_intents(utc(2026, 12, 8, 1), CAL, "C0DIGEST", staff, True)
    assert [(i.recipient, i.dropped) for i in night] == [("U0STAFF", "digest came too late")]
    morning = digest_intents(utc(2026, 12, 8, 9), CAL, "C0DIGEST", staff, True)
    assert [(i.recipient, i.dropped) for i in morning if i.recipient == "C0DIGEST"] == [
        ("C0DIGEST", None)]
    later = digest_intents(utc(2026, 12, 8, 10), CAL, "C0DIGEST", [], False)
    assert [(i.recipient, i.dropped) for i in later] == [("C0DIGEST", "digest came too late")]


def test_planned_rounds_unchanged_by_the_settings() -> None:
    assert isinstance(CAL.rounds[0], PlannedRound) and CAL.rounds[0].open_day == date(2026, 6, 1)
