"""A whole programme simulated hour by hour through the stand-in, and exactly-once delivery."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest
from sqlalchemy import select, update

from bot.playground.standin import StandIn
from storage.checkins import CheckinInput, record_checkin
from storage.db import SessionFactory
from storage.models import CheckinRound, Delivery, Person
from tests.simulation import Simulation, make_simulation, simulation_spec, utc

LONDON = ZoneInfo("Europe/London")
ENGLAND = holidays.country_holidays("GB", subdiv="ENG", years=range(2026, 2028))


@pytest.fixture
def standin() -> Iterator[StandIn]:
    with StandIn() as server:
        yield server


def person_id(session_factory: SessionFactory, slack_id: str) -> int:
    with session_factory() as session:
        return session.scalar(select(Person.id).where(Person.slack_user_id == slack_id))


def assert_each_key_once(sim: Simulation) -> Counter[str]:
    keys = Counter(s.key for s in sim.sent)
    assert [k for k, n in keys.items() if n > 1] == []
    with sim.session_factory() as session:
        statuses = Counter(session.scalars(select(Delivery.status)))
        expected = set(session.scalars(select(Delivery.dedupe_key).where(
            Delivery.status == "sent")))
    assert statuses["pending"] == 0 and statuses["in_flight"] == 0, statuses
    assert set(keys) == expected
    return keys


def test_a_whole_programme(standin: StandIn, sqlite_url: str) -> None:
    from storage.db import make_engine, make_session_factory

    engine = make_engine(sqlite_url)
    session_factory = make_session_factory(engine)
    sim = make_simulation(standin, session_factory, simulation_spec(), utc(2026, 5, 25))
    cat = person_id(session_factory, "U0ALPHA3")
    dee = person_id(session_factory, "U0BETA1")
    eve = person_id(session_factory, "U0BETA2")
    answered: set[str] = set()

    def behave(s: Simulation) -> None:
        now = s.clock()
        if now == utc(2026, 8, 1):
            with session_factory.begin() as session:
                session.execute(update(Person).where(Person.id == eve).values(
                    paused_until=utc(2026, 9, 30)))
        for sent in s.sent[-20:]:
            if not sent.key.startswith("prompt:") or sent.key in answered:
                continue
            who = int(sent.key.split(":")[2])
            if who == cat or (who == dee and date(2026, 10, 5) <= now.date() <=
                              date(2026, 10, 9)):
                answered.add(sent.key)
                partnership = 1 if who == cat else 2
                with session_factory.begin() as session:
                    record_checkin(session, person_id=who, partnership_id=partnership,
                                   data=CheckinInput(momentum=4), now=now)

    sim.run(utc(2027, 4, 7), each=behave)
    keys = assert_each_key_once(sim)
    spec_start, spec_end = date(2026, 6, 1), date(2027, 3, 31)
    assert all(spec_start <= s.at.astimezone(LONDON).date() <= spec_end for s in sim.sent)

    prompts = [s for s in sim.sent if s.key.startswith("prompt:")]
    zones = {"D0ALPHA2": ZoneInfo("America/New_York")}
    for prompt in prompts:
        local = prompt.at.astimezone(zones.get(prompt.channel, LONDON))
        assert local.hour == 10 and local.minute == 0, prompt
        assert local.weekday() < 5 and local.date() not in ENGLAND, prompt
    bob = sorted({p.at.hour for p in prompts if p.channel == "D0ALPHA2" and
                  p.at.month in (7, 12)})
    assert bob == [14, 15]  # 10:00 in New York, summer and winter time
    prompt_days = {p.at.astimezone(LONDON).date() for p in prompts}
    assert date(2026, 8, 31) not in prompt_days and date(2026, 9, 1) in prompt_days
    assert date(2026, 12, 28) not in prompt_days and date(2026, 12, 29) in prompt_days

    rounds_by = Counter()
    for key in {p.key.split(":")[1] for p in prompts}:
        first = min(p.at for p in prompts if p.key.split(":")[1] == key)
        rounds_by[(first.year, first.month)] += 1
    assert rounds_by[(2026, 8)] >= 4 and rounds_by[(2027, 1)] >= 4  # weekly in the lulls
    assert rounds_by[(2026, 10)] <= 3 * 2  # fortnightly (two partnerships) outside

    reminders = Counter(":".join(k.split(":")[1:3]) for k in keys if k.startswith("reminder:"))
    assert reminders and max(reminders.values()) <= 2
    with session_factory() as session:
        lull_rounds = set(session.scalars(select(CheckinRound.id).where(
            CheckinRound.kind == "lull")))
    assert all(n <= 1 for key, n in reminders.items()  # one reminder per lull round
               if int(key.split(":")[0]) in lull_rounds)
    assert not any(k.startswith("reminder:") and k.split(":")[2] == str(cat) for k in keys)
    eve_prompts = [p.at for p in prompts if p.channel == "D0BETA2"]
    assert not any(utc(2026, 8, 1) <= at < utc(2026, 9, 30) for at in eve_prompts)
    assert any(at >= utc(2026, 9, 30) for at in eve_prompts)

    alerts = [k for k in keys if k.startswith("alert:")]
    episodes = {k.split(":")[1] for k in alerts}
    assert len(alerts) == len(episodes) >= 2  # one alert per stall episode, for Dee
    assert all(k.endswith(f":{dee}") for k in alerts), episode_log(sim)

    digests = [k for k in keys if k.startswith("digest:") and "#" not in k]
    weeks = {k.split(":")[1] for k in digests}
    assert len(digests) == len(weeks) == len({
        (spec_start + timedelta(days=d)).isocalendar()[:2]
        for d in range((spec_end - spec_start).days + 1)
        if (spec_start + timedelta(days=d)).weekday() == 0})
    engine.dispose()


def short_run(standin: StandIn, session_factory: SessionFactory, **options: object) -> Simulation:
    """Three weeks in the winter lull, where prompts, reminders and digests all happen."""
    sim = make_simulation(standin, session_factory,
                          simulation_spec("2026-11-16", "2027-01-20"), utc(2026, 11, 30))
    return sim


def test_tick_fired_twice_sends_once(standin: StandIn, session_factory: SessionFactory) -> None:
    sim = short_run(standin, session_factory)

    def twice(s: Simulation) -> None:
        s.cycle()

    sim.run(utc(2026, 12, 21), each=twice)
    keys = assert_each_key_once(sim)
    assert sum(k.startswith("prompt:") for k in keys) >= 10


def test_down_for_a_day_catches_up_once(standin: StandIn,
                                        session_factory: SessionFactory) -> None:
    sim = short_run(standin, session_factory)
    sim.run(utc(2026, 12, 7, 8))  # just before Monday's digest and prompts
    sim.clock.advance(timedelta(days=1, hours=2))  # the process is down for a day
    sim.run(utc(2026, 12, 21))
    keys = assert_each_key_once(sim)
    catch_up = [s for s in sim.sent if s.at == utc(2026, 12, 8, 10)]
    assert any(s.key.startswith("prompt:") for s in catch_up)  # round still open: sent late
    with sim.session_factory() as session:
        dropped = session.scalars(select(Delivery.dedupe_key).where(
            Delivery.status == "dropped")).all()
    assert not any(k.startswith("digest:2026-W50") for k in keys)  # Monday's digest: dropped
    assert any(k.startswith("digest:2026-W50") for k in dropped)


def test_slack_failing_a_fifth_of_calls(standin: StandIn,
                                        session_factory: SessionFactory) -> None:
    standin.fail("chat.postMessage", "ratelimited", rate=0.1, seed=7, retry_after=0)
    standin.fail("chat.postMessage", "server_error", rate=0.1, seed=8, status=503)
    sim = short_run(standin, session_factory)
    sim.run(utc(2026, 12, 21), step=timedelta(minutes=30))
    keys = assert_each_key_once(sim)
    assert sum(k.startswith("prompt:") for k in keys) >= 10
    failed = [c for c in standin.calls_to("chat.postMessage", ok=None) if not c.ok]
    assert len(failed) > 10


def test_permanent_errors_are_recorded_and_do_not_block(standin: StandIn,
                                                        session_factory: SessionFactory) -> None:
    sim = short_run(standin, session_factory)
    sim.cycle()  # users.info asked about everyone: all present
    with standin.lock:
        standin.workspace.users["U0ALPHA2"]["deleted"] = True
    sim.run(utc(2026, 12, 8))
    with session_factory() as session:
        failed = session.execute(select(Delivery.recipient, Delivery.last_error).where(
            Delivery.status == "failed")).all()
        gone = session.scalar(select(Person).where(Person.slack_user_id == "U0ALPHA2"))
    assert failed and {r for r, _ in failed} == {"U0ALPHA2"}
    assert {e for _, e in failed} == {"account_inactive"}
    # The weekly users.info refresh found the account deactivated: no more prompts.
    assert gone is not None and not gone.active and gone.left_slack_at is not None
    assert any(s.channel == "D0ALPHA1" for s in sim.sent)


def episode_log(sim: Simulation) -> list[tuple[object, ...]]:
    from storage.models import StallEpisode

    with sim.session_factory() as session:
        return [(e.partnership_id, e.started_at, e.ended_at, e.reasons)
                for e in session.scalars(select(StallEpisode))]
