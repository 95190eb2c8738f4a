"""Round summaries meet real channel trouble: the bot outside a public channel joins it;
a private one it can't see is recorded, its leads told in App Home, the staff digest lists
it, and nothing else waits; a crash after Slack's answer is recovered, never re-sent; one
channel gets at most a message a second."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from bot.blocks import messages as msg
from bot.blocks.common import esc
from bot.blocks.home import home_view
from bot.playground.standin import StandIn
from bot.playground.standin.workspace import BOT_USER_ID
from scheduler.delivery import DeliveryWorker
from scheduler.pacing import ChannelLimiter
from storage.db import SessionFactory
from storage.home import home_data
from storage.models import Delivery
from storage.outbox import queue_message
from tests.harness import text_of
from tests.simulation import make_simulation, simulation_spec, utc


@pytest.fixture
def standin() -> Iterator[StandIn]:
    with StandIn() as server:
        yield server


def start(standin: StandIn, session_factory: SessionFactory):  # type: ignore[no-untyped-def]
    return make_simulation(standin, session_factory,
                           simulation_spec("2026-11-16", "2027-01-20"), utc(2026, 11, 30))


def summary_rows(session_factory: SessionFactory) -> list[tuple[str, str, str, str | None]]:
    with session_factory() as session:
        return [tuple(r) for r in session.execute(  # type: ignore[misc]
            select(Delivery.dedupe_key, Delivery.recipient, Delivery.status,
                   Delivery.last_error).where(Delivery.kind == "channel_summary")
            .order_by(Delivery.id))]


def test_joins_a_public_channel_and_records_a_private_one(
        standin: StandIn, session_factory: SessionFactory) -> None:
    sim = start(standin, session_factory)
    with standin.lock:
        standin.workspace.channels["C0ALPHA"]["members"].remove(BOT_USER_ID)
        beta = standin.workspace.channels["C0BETA"]
        beta["members"].remove(BOT_USER_ID)
        beta["is_private"] = True
    sim.run(utc(2026, 12, 9))
    joins = standin.calls_to("conversations.join", ok=None)
    assert [(c.args["channel"], c.ok) for c in joins] == [("C0ALPHA", True)]
    rows = summary_rows(session_factory)
    alpha = [r for r in rows if r[1] == "C0ALPHA"]
    beta_rows = [r for r in rows if r[1] == "C0BETA"]
    assert alpha and all(status == "sent" for _, _, status, _ in alpha)
    parents = [r for r in beta_rows if "#" not in r[0]]
    assert parents and all(r[2:] == ("failed", "channel_not_found") for r in parents)
    assert all(r[2:] == ("dropped", "parent not sent") for r in beta_rows if "#" in r[0])
    # Nothing else waited: Beta's members were prompted in the same cycles.
    assert any(s.channel == "D0BETA1" and s.key.startswith("prompt:") for s in sim.sent)

    dee = text_of({"blocks": home_view(home_data(session_factory, "U0BETA1", sim.clock()),
                                       sim.clock()).to_dict()["blocks"]})
    assert "round summary in <#C0BETA>" in dee and "channel_not_found" in dee, dee
    ann = text_of({"blocks": home_view(home_data(session_factory, "U0ALPHA1", sim.clock()),
                                       sim.clock()).to_dict()["blocks"]})
    assert "couldn't post" not in ann
    member = text_of({"blocks": home_view(home_data(session_factory, "U0BETA2", sim.clock()),
                                          sim.clock()).to_dict()["blocks"]})
    assert "couldn't post" not in member  # leads are told, not every member
    digest = [s for s in sim.sent if s.key.startswith("digest:2026-W50")]
    posted = " ".join(text_of(c.args) for c in standin.calls_to("chat.postMessage")
                      if c.args["channel"] == "C0DIGEST")
    assert digest and f"channel_summary to C0BETA: {esc('channel_not_found')}" in posted
    assert msg.HOME_CHANNEL_PROBLEM.split("{")[0] in dee


def test_crash_between_slack_and_commit_is_recovered_not_resent(
        standin: StandIn, session_factory: SessionFactory) -> None:
    sim = start(standin, session_factory)
    sim.run(utc(2026, 11, 30, 12))
    with session_factory.begin() as session:
        keys = [k for k, in session.execute(select(Delivery.dedupe_key).where(
            Delivery.kind == "channel_summary", Delivery.status == "sent"))]
        assert any("#" in k for k in keys) and any("#" not in k for k in keys)
        # As if each process died after Slack's answer, before recording it.
        session.execute(update(Delivery).where(Delivery.dedupe_key.in_(keys)).values(
            status="in_flight", slack_ts=None, claimed_at=sim.clock() - timedelta(hours=1)))
    sim.run(utc(2026, 12, 2))
    posted = Counter(c.args["metadata"]["event_payload"]["dedupe_key"]
                     for c in standin.calls_to("chat.postMessage"))
    assert all(posted[k] == 1 for k in keys), posted
    assert {r[2] for r in summary_rows(session_factory) if r[0] in keys} == {"sent"}


def test_one_message_a_second_per_channel(standin: StandIn,
                                          session_factory: SessionFactory) -> None:
    sim = start(standin, session_factory)
    slept: list[float] = []
    with session_factory.begin() as session:
        for n in range(3):
            queue_message(session, kind="channel_summary", recipient="C0ALPHA",
                          dedupe_key=f"test:{n}", payload={"text": f"{n}"}, now=sim.clock())
            queue_message(session, kind="prompt", recipient="U0BETA1",
                          dedupe_key=f"dm:{n}", payload={"text": f"{n}"}, now=sim.clock())
    worker = DeliveryWorker(session_factory, sim.wiring.worker.client, sim.clock, rate=1000,
                            channels=ChannelLimiter(1.0, lambda: 0.0, slept.append))
    report = worker.run_once()
    assert report.sent == 6
    assert sorted(slept) == [1.0, 2.0]  # the channel's 2nd and 3rd; DMs are not held
