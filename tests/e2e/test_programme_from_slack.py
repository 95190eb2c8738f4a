"""Issue 12, end to end: on an empty database a workspace admin sets the whole programme
up from Slack, the scheduler prompts the people they added, and the programme exported
from that database imports cleanly into a second, empty one."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from storage.clock import SteppingClock
from storage.db import SessionFactory
from storage.models import CheckinRound, Person
from storage.programme_store import current_programme
from tests.admin_steps import (
    ADMIN,
    add_admin,
    add_lull,
    add_partnership,
    create_programme,
    home,
)
from tests.harness import BRIGHTON, HULL, SPEC, Harness, running_bot
from tests.programme_copy import export_and_import
from tests.simulation import Simulation


@pytest.fixture
def empty_bot(session_factory: SessionFactory, clock: SteppingClock) -> Iterator[Harness]:
    """The bot on an EMPTY database; the stand-in knows the example's people."""
    with running_bot(session_factory, clock) as harness:
        add_admin(harness)
        yield harness


def test_an_admin_sets_up_the_programme_and_members_are_prompted(
        empty_bot: Harness, tmp_path_factory: pytest.TempPathFactory,
        database_url: str) -> None:
    bot = empty_bot
    create_programme(bot, ADMIN, adm_digest_channel=SPEC.digest_channel)
    hull_members = [m.slack_id for m in HULL.members]
    brighton_members = [m.slack_id for m in BRIGHTON.members]
    add_partnership(bot, ADMIN, name="Hull: inclusive growth", members=hull_members,
                    leads=list(HULL.leads), objectives=["Employer charter", "Skills hub"],
                    channel=HULL.channel,
                    institutions={hull_members[0]: "Hull City Council"})
    add_partnership(bot, ADMIN, name="Brighton festivals", members=brighton_members,
                    leads=list(BRIGHTON.leads), objectives=["Festival data"],
                    institutions={m: "University of Brighton" for m in brighton_members})
    add_lull(bot, ADMIN, "Winter pressure", "2026-12-14", "2027-01-08")

    with bot.session_factory() as session:
        admin = session.scalar(select(Person).where(Person.slack_user_id == ADMIN))
        assert admin is not None and admin.is_staff and admin.name == "Ada Admin"
        council = session.scalar(select(Person.institution).where(
            Person.slack_user_id == hull_members[0]))
        assert council == "Hull City Council"

    changes = home(bot, ADMIN, "Recent changes", opening=False)
    assert f"<@{ADMIN}>" in str(changes)  # who changed the programme, from the audit log

    # The scheduler, on a stepped clock, prompts every member the admin added.
    everyone = set(hull_members + brighton_members)
    sim = Simulation(bot.standin, bot.session_factory, bot.clock, bot.runtime.wiring)
    sim.run(until=datetime(2026, 12, 16, 12, tzinfo=UTC))
    prompted = {s.channel for s in sim.sent if s.key.startswith("prompt:")}
    with bot.standin.lock:
        dms = {bot.standin.workspace.dm_channel(s): s for s in everyone}
    assert {dms[c] for c in prompted if c in dms} == everyone
    assert all(c in dms for c in prompted)  # nobody else: the admin is staff, not a member
    with bot.session_factory() as session:  # the lull window the admin added is in force
        lull_rounds = session.scalars(select(CheckinRound.opens_at).where(
            CheckinRound.kind == "lull")).all()
    assert lull_rounds and min(lull_rounds).date() >= date(2026, 12, 14)

    # The programme as exported imports cleanly into a second, empty database.
    file, second = export_and_import(database_url, tmp_path_factory.mktemp("second"))
    assert current_programme(second) == current_programme(bot.session_factory)
    text = file.read_text()
    assert "Winter pressure" in text and "Employer charter" in text
