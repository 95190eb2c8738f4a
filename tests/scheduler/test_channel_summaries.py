"""Round summaries in the partnership channel, simulated over the winter lull (weekly rounds,
Christmas): one per closed round, at the round's close on a working day, threaded, and
never more than the partnership's sharing allows."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from bot.playground.standin import StandIn
from bot.playground.standin.server import Call
from scheduler.planning import humane_moment
from storage.calendar_store import load_calendar
from storage.checkins import CheckinInput, record_checkin
from storage.db import SessionFactory
from storage.models import CheckinRound, Delivery, Partnership, Person
from tests.harness import text_of
from tests.simulation import Simulation, make_simulation, simulation_spec, utc

NAMES = ("Ann Lead", "Bob Abroad", "Cat Keen", "Dee Lead", "Eve Paused")
HIGHLIGHT, BLOCKER = "New site agreed", "Waiting on legal <!channel>"
HELP, NEXT = "Secret help wanted", "Secret next steps"
END = utc(2027, 1, 12)


@pytest.fixture
def standin() -> Iterator[StandIn]:
    with StandIn() as server:
        yield server


def simulate(standin: StandIn, session_factory: SessionFactory, sharing: str) -> Simulation:
    """Alpha shares ``sharing`` in C0ALPHA; Beta has no channel. Alpha's members answer
    every prompt with text that must reach the channel only as the setting allows."""
    sim = make_simulation(standin, session_factory,
                          simulation_spec("2026-11-16", "2027-01-20"), utc(2026, 11, 30))
    with session_factory.begin() as session:
        session.execute(update(Partnership).where(Partnership.slug == "alpha")
                        .values(sharing=sharing))
        session.execute(update(Partnership).where(Partnership.slug == "beta")
                        .values(channel_id=None))
        people = dict(session.execute(select(Person.slack_user_id, Person.id)).all())
    answered: set[str] = set()

    def behave(s: Simulation) -> None:
        for sent in s.sent[-20:]:
            if sent.key.startswith("prompt:") and sent.key not in answered \
                    and sent.channel.startswith("D0ALPHA"):
                answered.add(sent.key)
                with session_factory.begin() as session:
                    record_checkin(session, person_id=people["U0" + sent.channel[2:]],
                                   partnership_id=1, now=s.clock(), data=CheckinInput(
                                       momentum=4, highlights=HIGHLIGHT, blockers=BLOCKER,
                                       help_wanted=True, help_text=HELP, next_steps=NEXT))

    sim.run(END, each=behave)
    return sim


def channel_posts(standin: StandIn, channel: str) -> list[Call]:
    return [c for c in standin.calls_to("chat.postMessage") if c.response["channel"] == channel]


def closed_alpha_rounds(session_factory: SessionFactory) -> dict[int, datetime]:
    with session_factory() as session:
        cal = load_calendar(session)
        rounds = dict(session.execute(select(CheckinRound.id, CheckinRound.due_at).where(
            CheckinRound.partnership_id == 1)).all())
    return {rid: due for rid, due in rounds.items()
            if humane_moment(due, due, cal, None) < END}


@pytest.mark.parametrize("sharing", ["summary", "full"])
def test_one_threaded_summary_per_closed_round(standin: StandIn,
                                               session_factory: SessionFactory,
                                               sharing: str) -> None:
    sim = simulate(standin, session_factory, sharing)
    closed = closed_alpha_rounds(session_factory)
    assert len(closed) >= 5  # weekly in the lull, Christmas included
    parents = [s for s in sim.sent if s.key.startswith("summary:") and "#" not in s.key]
    assert sorted(s.key for s in parents) == sorted(f"summary:{rid}" for rid in closed)
    with session_factory() as session:
        cal = load_calendar(session)
        sent_ts = dict(session.execute(select(Delivery.dedupe_key, Delivery.slack_ts)).all())
    for parent in parents:
        due = closed[int(parent.key.split(":")[1])]
        assert parent.channel == "C0ALPHA" and parent.thread_ts is None
        assert parent.at == humane_moment(due, due, cal, None)  # at the close, humanely
        local = parent.at.astimezone(ZoneInfo(cal.timezone))
        assert cal.is_working_day(local.date()) and cal.hour <= local.hour < 17
        replies = [s for s in sim.sent if s.key.startswith(parent.key + "#")]
        assert replies and all(r.thread_ts == sent_ts[parent.key] for r in replies)
    christmas = [p.at for p in parents if p.at.month == 12 and p.at.day >= 24]
    assert christmas == [utc(2026, 12, 29, 10)]  # closed on the 28th, a bank holiday
    assert channel_posts(standin, "C0BETA") == []  # Beta has no channel set
    assert not [c for c in standin.calls_to("chat.postMessage")
                if c.args.get("thread_ts") is None and c.args["channel"] == "C0ALPHA"
                and not str(c.args.get("text")).startswith("Alpha: the round has closed")]


def test_sharing_off_posts_nothing(standin: StandIn, session_factory: SessionFactory) -> None:
    simulate(standin, session_factory, "off")
    assert channel_posts(standin, "C0ALPHA") == []
    with session_factory() as session:
        assert session.scalar(select(Delivery.id).where(
            Delivery.kind == "channel_summary")) is None


def test_summary_shares_text_without_names(standin: StandIn,
                                           session_factory: SessionFactory) -> None:
    simulate(standin, session_factory, "summary")
    posted = "\n".join(text_of(c.args) for c in channel_posts(standin, "C0ALPHA"))
    assert HIGHLIGHT in posted and "Waiting on legal &lt;!channel&gt;" in posted
    assert "<!channel>" not in posted  # typed text is sanitised by the one sanitiser
    assert not [name for name in NAMES if name in posted]
    assert not [name for name in NAMES for part in name.split() if part in posted]
    assert HELP not in posted and NEXT not in posted
    assert "2 of 3 checked in" in posted or "3 of 3 checked in" in posted


def test_full_shares_answers_with_names(standin: StandIn,
                                        session_factory: SessionFactory) -> None:
    simulate(standin, session_factory, "full")
    posted = "\n".join(text_of(c.args) for c in channel_posts(standin, "C0ALPHA"))
    assert "Cat Keen" in posted and HELP in posted and NEXT in posted
    assert "Dee Lead" not in posted and "Eve Paused" not in posted  # Beta's people
