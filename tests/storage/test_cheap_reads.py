"""The reads made cheap for the hot paths still say what the database says: the calendar
follows an edit made by any session, and an overview page flags what it shows."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import insert, select, update

from storage.calendar_store import load_calendar
from storage.clock import SteppingClock
from storage.db import SessionFactory
from storage.models import LullWindow, Objective, Partnership, Programme
from storage.status import overview_page
from storage.summaries import summaries


def test_the_calendar_follows_an_edit_made_in_another_session(
        example_programme: SessionFactory) -> None:
    with example_programme() as session:
        before = load_calendar(session)
        assert load_calendar(session) is before  # unchanged: the same instance, computed once
    with example_programme.begin() as session:
        session.execute(update(Programme).values(stall_days=before.thresholds.stall_days + 7))
    with example_programme() as session:
        after = load_calendar(session)
    assert after.thresholds.stall_days == before.thresholds.stall_days + 7
    assert after.name == before.name and after.reminder_days == before.reminder_days


def test_the_calendar_follows_a_new_lull(example_programme: SessionFactory) -> None:
    with example_programme() as session:
        before = load_calendar(session)
    with example_programme.begin() as session:
        programme = session.scalars(select(Programme.id)).one()
        session.execute(insert(LullWindow).values(
            programme_id=programme, name="Test lull", starts=date(2030, 1, 6),
            ends=date(2030, 1, 20), cadence_weeks=1, cadence_weekday=2))
    with example_programme() as session:
        after = load_calendar(session)
    assert [lull.name for lull in after.lulls] == [lull.name for lull in before.lulls
                                                   ] + ["Test lull"]
    assert after.lulls[-1].starts == date(2030, 1, 6)


def test_an_overview_page_flags_what_it_shows_as_the_full_list_would(
        example_programme: SessionFactory, clock: SteppingClock) -> None:
    now = clock() + timedelta(weeks=6)
    with example_programme.begin() as session:  # one partnership gets a flag
        first = session.scalars(select(Partnership.id).order_by(Partnership.id)).first()
        session.execute(update(Objective).where(Objective.partnership_id == first)
                        .values(active=False))
    with example_programme() as session:
        today = load_calendar(session).on(now)
        full = {s.partnership_id: s for s in summaries(session, now, today)}
        page = overview_page(session, now, today, 1)
        unflagged = summaries(session, now, today, flagged=False)
    assert page.summaries and any(s.flags for s in page.summaries)
    assert [(s.partnership_id, s.flags) for s in page.summaries] == [
        (s.partnership_id, full[s.partnership_id].flags) for s in page.summaries]
    assert [s.partnership_id for s in unflagged] == list(full)  # the same order
    assert all(s.flags == [] for s in unflagged)


def test_a_failed_write_lets_the_next_writer_in(example_programme: SessionFactory) -> None:
    """SQLite's writers queue in the process: a transaction that fails releases its turn."""
    try:
        with example_programme.begin() as session:
            session.execute(update(Programme).values(stall_days=28))
            raise RuntimeError("the write failed")
    except RuntimeError:
        pass
    with example_programme.begin() as session:  # would wait forever if the turn were kept
        assert session.scalars(select(Programme.stall_days)).one() != 28
