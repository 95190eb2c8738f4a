"""A humane cadence, simulated through the stand-in: a late start waits for each
recipient's morning; reminders are one per lull round, rest after three unanswered rounds,
resume after an answer, and say how many have checked in (the figures of `/lp status`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.blocks.checkin import progress_text
from bot.blocks.status import status_blocks
from bot.playground.standin import StandIn
from storage.calendar import ProgrammeCalendar
from storage.calendar_store import load_calendar
from storage.checkins import CheckinInput, record_checkin
from storage.db import SessionFactory
from storage.models import CheckinRound, Delivery, Person
from storage.status import Detail, partnership_detail
from tests.harness import text_of
from tests.simulation import Simulation, make_simulation, simulation_spec, utc

ZONES = {"U0ALPHA2": "America/New_York", "U0ALPHA3": "Asia/Kolkata"}
LONDON = "Europe/London"


@pytest.fixture
def standin() -> Iterator[StandIn]:
    with StandIn() as server:
        yield server


def zone_of(sim: Simulation) -> dict[str, ZoneInfo]:
    """DM channel -> its member's zone (London unless told)."""
    with sim.standin.lock:
        return {sim.standin.workspace.dm_channel(user): ZoneInfo(ZONES.get(user, LONDON))
                for user in sim.standin.workspace.users}


def outbox(sim: Simulation, status: str) -> list[tuple[str, str | None]]:
    with sim.session_factory() as session:
        return list(session.execute(select(Delivery.dedupe_key, Delivery.last_error).where(
            Delivery.status == status)).all())


def test_a_late_start_at_one_in_the_morning_waits_for_each_morning(
        standin: StandIn, session_factory: SessionFactory) -> None:
    # Tuesday 8 December 2026, 01:00 in London: the round opened on Monday at 10:00.
    sim = make_simulation(standin, session_factory, simulation_spec("2026-11-16", "2027-03-31"),
                          utc(2026, 12, 8, 1), ZONES)
    sim.run(utc(2026, 12, 9), step=timedelta(minutes=15))
    zones = zone_of(sim)
    prompts = [s for s in sim.sent if s.key.startswith("prompt:")]
    assert len(prompts) == 5 and len({p.channel for p in prompts}) == 5
    assert min(s.at for s in sim.sent) == utc(2026, 12, 8, 4, 30)  # 10:00 in Kolkata
    for sent in sim.sent:
        local = sent.at.astimezone(zones.get(sent.channel, ZoneInfo(LONDON)))
        morning = 9 if sent.key.startswith("digest:") else 10  # the digest's own hour
        assert local.date() == date(2026, 12, 8), sent
        assert local.hour == morning, sent  # a digest's threaded part follows a cycle later
    assert {p.at for p in prompts} == {utc(2026, 12, 8, 4, 30), utc(2026, 12, 8, 10),
                                       utc(2026, 12, 8, 15)}
    assert not any(s.key.startswith("reminder:") for s in sim.sent)


def test_a_round_that_closes_before_the_morning_is_dropped_and_recorded(
        standin: StandIn, session_factory: SessionFactory) -> None:
    # Monday 14 December, 01:00: last week's round closes at 10:00 London, when the next opens.
    sim = make_simulation(standin, session_factory, simulation_spec("2026-11-16", "2027-03-31"),
                          utc(2026, 12, 14, 1), ZONES)
    sim.cycle()
    dropped = [(key, why) for key, why in outbox(sim, "dropped") if key.startswith("prompt:")]
    assert sim.sent == [] and len(dropped) == 4  # Kolkata's morning comes before it closes
    assert {reason for _, reason in dropped} == {"round over"}
    sim.run(utc(2026, 12, 16), step=timedelta(minutes=30))
    with session_factory() as session:
        rounds = {k: v for k, v in session.execute(select(CheckinRound.id, CheckinRound.opens_at))}
    prompts = [s for s in sim.sent if s.key.startswith("prompt:")]
    old = [s for s in prompts if rounds[int(s.key.split(":")[1])] < utc(2026, 12, 14)]
    assert [(s.channel, s.at) for s in old] == [("D0ALPHA3", utc(2026, 12, 14, 4, 30))]
    new = Counter(s.at for s in prompts if s not in old)
    assert new == {utc(2026, 12, 14, 10): 3, utc(2026, 12, 14, 15): 1,
                   utc(2026, 12, 15, 4, 30): 1}


def test_reminders_back_off_after_three_quiet_rounds_and_resume_after_an_answer(
        standin: StandIn, session_factory: SessionFactory) -> None:
    sim = make_simulation(standin, session_factory, simulation_spec("2026-11-30", "2027-03-31"),
                          utc(2026, 11, 30), {"U0ALPHA2": "America/New_York"})
    with session_factory() as session:
        ids = {k: v for k, v in session.execute(select(Person.slack_user_id, Person.id))}
    bob, cat = ids["U0ALPHA2"], ids["U0ALPHA3"]
    answered: set[str] = set()
    checked: list[str] = []
    quiet_seen: dict[datetime, set[str]] = {}

    def behave(s: Simulation) -> None:
        now = s.clock()
        for sent in s.sent[-10:]:
            who = int(sent.key.split(":")[2]) if sent.key[:7] in ("prompt:", "reminde") else 0
            if sent.key.startswith("reminder:") and sent.key not in checked:
                checked.append(sent.key)  # the text names the figures /lp status shows
                detail = _detail(s, now, 1 if sent.channel.startswith("D0ALPHA") else 2)
                current = detail.summary.current
                assert current is not None
                assert progress_text(current.answered, current.eligible) in sent.text
            opens = sent.at.astimezone(ZoneInfo(LONDON)).date().isoformat()
            if not sent.key.startswith("prompt:") or sent.key in answered:
                continue
            if who == cat or (who == bob and opens == "2027-01-11"):
                answered.add(sent.key)
                with s.session_factory.begin() as session:
                    record_checkin(session, person_id=who, partnership_id=1,
                                   data=CheckinInput(momentum=3), now=now)
        if now.hour == 12 and now.weekday() == 1:  # every Tuesday noon: the lead's view
            detail = _detail(s, now, 1)
            quiet_seen[now] = {m.slack_id for m in detail.members if m.quiet}
            shown = text_of({"blocks": [b.to_dict() for b in status_blocks(
                detail, load_calendar_of(s).on(now), now)]})
            quiet_line = next((line for line in shown.splitlines() if "Quiet for" in line), "")
            assert ("Bob Abroad" in quiet_line) == ("U0ALPHA2" in quiet_seen[now])

    sim.run(utc(2027, 2, 16), each=behave)
    with session_factory() as session:
        opens = {k: v for k, v in session.execute(select(CheckinRound.id, CheckinRound.opens_at))}
        kinds = {k: v for k, v in session.execute(select(CheckinRound.id, CheckinRound.kind))}
    reminders = [s for s in sim.sent if s.key.startswith("reminder:")]
    per_round = Counter(int(s.key.split(":")[1]) for s in reminders
                        if int(s.key.split(":")[2]) == bob)
    per_member_round = Counter(tuple(s.key.split(":")[1:3]) for s in reminders)
    assert all(n <= 1 for (rid, _), n in per_member_round.items() if kinds[int(rid)] == "lull")
    assert any(kinds[int(rid)] == "lull" for rid, _ in per_member_round)
    bob_rounds = sorted(opens[r].date().isoformat() for r in per_round)
    assert bob_rounds == ["2026-11-30", "2026-12-07", "2026-12-14",  # then three quiet
                          "2027-01-18", "2027-01-25", "2027-02-01"]  # resumed after 11 Jan
    assert per_round[min(per_round)] == 2  # a regular round: two reminders
    assert not any(int(s.key.split(":")[2]) == cat for s in reminders)
    assert quiet_seen[utc(2026, 12, 22, 12)] >= {"U0ALPHA2"}
    assert "U0ALPHA2" not in quiet_seen[utc(2027, 1, 19, 12)]
    assert "U0ALPHA2" in quiet_seen[utc(2027, 2, 9, 12)]  # three quiet rounds again


def load_calendar_of(sim: Simulation) -> ProgrammeCalendar:
    with sim.session_factory() as session:
        return load_calendar(session)


def _detail(sim: Simulation, now: datetime, partnership_id: int) -> Detail:
    with sim.session_factory() as session:
        detail = partnership_detail(session, now, load_calendar(session).on(now),
                                    partnership_id)
        assert detail is not None
        return detail
