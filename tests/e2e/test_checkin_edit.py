"""A member edits their check-in until the round closes, through signed requests: the
button on the confirmation, the modal filled with their answers, one row replaced, the
round's tally right, and the channel summary made from the final answers."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bot.blocks import ids
from bot.blocks import messages as msg
from bot.playground.standin.workspace import Message, View
from scheduler.jobs import run_cycle
from storage.models import Checkin, CheckinRound
from tests.harness import HULL, HULL_LEAD, HULL_MEMBER, Harness, text_of

OLD, NEW = "Waiting on the harbour board", "The harbour board said yes, now the tender"


def _confirmation(bot: Harness, after: int) -> Message:
    found = bot.wait(lambda: [m for m in bot.driver.dms(HULL_MEMBER)[after:]
                              if "your check-in" in m.text or "updated your" in m.text])
    return found[0]  # type: ignore[no-any-return]


def _check_in(bot: Harness) -> Message:
    run_cycle(bot.runtime.wiring)  # the round of today (opened 17 Nov, due 1 Dec 10:00)
    before = len(bot.driver.dms(HULL_MEMBER))
    view = bot.open_modal(HULL_MEMBER)
    assert bot.driver.submit(HULL_MEMBER, view, {ids.B_MOMENTUM: "4",
                                                 ids.B_BLOCKERS: OLD}).body == ""
    return _confirmation(bot, before)


def _open_edit(bot: Harness, confirmation: Message, user: str = HULL_MEMBER) -> View:
    opened = len(bot.standin.calls_to("views.open"))
    assert bot.driver.click(user, ids.EDIT_CHECKIN, message=confirmation).status == 200
    bot.wait(lambda: len(bot.standin.calls_to("views.open")) > opened)
    return bot.driver.last_view(user)


def _round(bot: Harness) -> CheckinRound:
    with bot.session_factory() as session:
        checkin = session.scalars(select(Checkin)).one()
        return session.get_one(CheckinRound, checkin.round_id)


def _field(view: View, block_id: str) -> object:
    block = next(b for b in view.view["blocks"] if b.get("block_id") == block_id)
    return block["element"].get("initial_value") or block["element"].get("initial_option")


def test_edit_replaces_the_answers_and_the_summary_uses_them(bot: Harness) -> None:
    confirmation = _check_in(bot)
    assert ids.EDIT_CHECKIN in str(confirmation.blocks)
    view = _open_edit(bot, confirmation)
    assert view.view["callback_id"] == ids.EDIT_CHECKIN_VIEW
    assert _field(view, ids.B_BLOCKERS) == OLD
    before = len(bot.driver.dms(HULL_MEMBER))
    assert bot.driver.submit(HULL_MEMBER, view, {ids.B_MOMENTUM: "2",
                                                 ids.B_BLOCKERS: NEW}).body == ""
    again = _confirmation(bot, before)
    assert "updated" in again.text and ids.EDIT_CHECKIN in str(again.blocks)
    with bot.session_factory() as session:
        [checkin] = session.scalars(select(Checkin)).all()
        assert (checkin.blockers, checkin.momentum) == (NEW, 2)
    closing = _round(bot)
    assert (closing.answered, closing.momentum_total) == (1, 2)

    bot.clock.set(closing.due_at + timedelta(minutes=5))
    run_cycle(bot.runtime.wiring)  # the headline
    bot.clock.advance(timedelta(minutes=1))
    run_cycle(bot.runtime.wiring)  # its thread, once the headline is in
    posts = bot.wait(lambda: len(found := [c for c in bot.standin.calls_to("chat.postMessage")
                                           if c.response["channel"] == HULL.channel]) >= 2
                     and found)
    channel_text = " ".join(text_of(c.args) for c in posts)
    assert "harbour board said yes" in channel_text and OLD not in channel_text

    opened = len(bot.standin.calls_to("views.open"))
    assert bot.driver.click(HULL_MEMBER, ids.EDIT_CHECKIN, message=again).status == 200
    bot.wait(lambda: any(msg.ROUND_CLOSED in m.text for m in bot.driver.dms(HULL_MEMBER)))
    assert len(bot.standin.calls_to("views.open")) == opened


def test_a_save_after_the_round_closed_is_refused_in_the_modal(bot: Harness) -> None:
    view = _open_edit(bot, _check_in(bot))
    bot.clock.set(_round(bot).due_at)
    reply = bot.driver.submit(HULL_MEMBER, view, {ids.B_BLOCKERS: NEW})
    assert reply.json["response_action"] == "errors"
    assert msg.ROUND_CLOSED in str(reply.json["errors"])
    with bot.session_factory() as session:
        assert session.scalars(select(Checkin.blockers)).one() == OLD


def test_only_the_member_themself_may_edit(bot: Harness) -> None:
    confirmation = _check_in(bot)
    opened = len(bot.standin.calls_to("views.open"))
    assert bot.driver.click(HULL_LEAD, ids.EDIT_CHECKIN, message=confirmation).status == 200
    bot.wait(lambda: any(msg.NOT_YOUR_CHECKIN in m.text for m in bot.driver.dms(HULL_LEAD)))
    assert len(bot.standin.calls_to("views.open")) == opened
    view = _open_edit(bot, confirmation)
    reply = bot.driver.submit(HULL_LEAD, view, {ids.B_BLOCKERS: "Forged"})
    assert reply.json["response_action"] == "errors"
    with bot.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Checkin)) == 1
        assert session.scalars(select(Checkin.blockers)).one() == OLD


def test_a_double_save_stores_one_edit(bot: Harness) -> None:
    view = _open_edit(bot, _check_in(bot))
    values = {ids.B_MOMENTUM: "3", ids.B_BLOCKERS: NEW}
    assert bot.driver.submit(HULL_MEMBER, view, values).body == ""
    assert bot.driver.submit(HULL_MEMBER, view, values).status == 200  # a Slack retry
    with bot.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Checkin)) == 1
    assert _round(bot).momentum_total == 3
