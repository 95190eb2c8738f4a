"""Common ground to introduction through signed requests: staff preview the digest, press
"Introduce them", review the text, and one message goes to a group DM of the two
partnerships' leads and the staff member, however often it is clicked or sent."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from sqlalchemy import func, select, update

from bot.blocks import ids
from bot.blocks import introduction as intro
from bot.blocks import messages as msg
from bot.playground.standin.mpim import group_dms
from bot.playground.standin.workspace import Message, View
from storage.checkins import CheckinInput, submit_checkin
from storage.common_ground import GroupRef
from storage.models import Delivery, Partnership
from tests.admin_steps import ADMIN, add_admin
from tests.e2e.test_personal_data import eventually
from tests.harness import (
    BRIGHTON,
    BRIGHTON_MEMBER,
    HULL,
    HULL_LEAD,
    HULL_MEMBER,
    STAFF,
    Harness,
    text_of,
)
from tests.storage.similarity_examples import SAME_THING

HULL_WORDS, BRIGHTON_WORDS = SAME_THING[3]  # the same problem, no keyword in common
HULL_WRITER = next(m.name for m in HULL.members if m.slack_id == HULL_MEMBER)
BRIGHTON_WRITER = next(m.name for m in BRIGHTON.members if m.slack_id == BRIGHTON_MEMBER)


def _blockers(bot: Harness) -> None:
    for slack_id, partnership, words in ((HULL_MEMBER, HULL, HULL_WORDS),
                                         (BRIGHTON_MEMBER, BRIGHTON, BRIGHTON_WORDS)):
        submit_checkin(bot.session_factory, person_id=bot.person(slack_id).id,
                       slack_id=slack_id, partnership_id=bot.partnership_id(partnership.slug),
                       now=bot.clock(), data=CheckinInput(momentum=3, blockers=words))


def _digest_with_button(bot: Harness, user: str = STAFF) -> dict[str, Any]:
    """`/lp digest`, and the part of it that holds an "Introduce them" button."""
    before = len(bot.driver.ephemerals(user))
    assert bot.driver.command(user, "digest").status == 200
    return bot.wait(lambda: next((e for e in bot.driver.ephemerals(user)[before:]
                                  if ids.INTRODUCE in json.dumps(e.get("blocks"))), None))


def _click(bot: Harness, answer: dict[str, Any], user: str = STAFF) -> View:
    opened = len(bot.standin.calls_to("views.open"))
    assert bot.driver.click(user, ids.INTRODUCE, ephemeral=answer).status == 200
    bot.wait(lambda: len(bot.standin.calls_to("views.open")) > opened)
    return bot.standin.workspace.views[bot.standin.calls_to("views.open")[-1].response[
        "view"]["id"]]


def _posted(bot: Harness, count: int = 1) -> list[Message]:
    def found() -> list[Message]:
        return [m for g in group_dms(bot.standin.workspace)
                for m in bot.standin.workspace.messages_in(g["id"])]
    return bot.wait(lambda: len(found()) >= count and found())


def _introductions(bot: Harness) -> int:
    with bot.session_factory() as session:
        return session.scalar(select(func.count()).select_from(Delivery)
                              .where(Delivery.kind == "introduction"))


def test_digest_button_modal_and_one_group_dm(bot: Harness) -> None:
    _blockers(bot)
    answer = _digest_with_button(bot)
    assert "Said alike" in text_of(answer)
    view = _click(bot, answer)
    draft = text_of({"blocks": view.view["blocks"]})
    assert HULL.name in draft and BRIGHTON.name in draft and "youth hub" in draft
    assert HULL_WRITER not in draft and BRIGHTON_WRITER not in draft  # summary: no names
    edited = "Hello both, meet each other about the youth hub bus cuts <!channel> *now*"
    assert bot.driver.submit(STAFF, view, {ids.B_INTRO_TEXT: edited}).body == ""
    [message] = _posted(bot)
    [opened] = [c for c in bot.standin.calls_to("conversations.open")
                if "," in str(c.args["users"])]
    assert set(str(opened.args["users"]).split(",")) == {*HULL.leads, *BRIGHTON.leads, STAFF}
    assert message.channel == opened.response["channel"]["id"]
    assert "youth hub bus cuts" in text_of(message.as_slack())
    assert "<!channel>" not in text_of(message.as_slack())  # the sanitiser ran
    assert "*now*" not in text_of(message.as_slack())


def test_double_click_and_double_submit_send_one_message(
        bot: Harness, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="lpbot.handlers")
    _blockers(bot)
    answer = _digest_with_button(bot)
    first, second = _click(bot, answer), _click(bot, answer)  # a double click: two modals
    assert bot.driver.submit(STAFF, first).status == 200
    assert bot.driver.submit(STAFF, first).status == 200  # Slack retries the submission
    assert bot.driver.submit(STAFF, second, {ids.B_INTRO_TEXT: "A second go"}).status == 200
    eventually(lambda: len([r for r in caplog.records
                            if r.getMessage().startswith("introduction ")]) == 3)
    assert len(_posted(bot)) == 1 and _introductions(bot) == 1
    assert "A second go" not in text_of(_posted(bot)[0].as_slack())
    dms_before = len(bot.driver.dms(STAFF))
    assert bot.driver.click(STAFF, ids.INTRODUCE, ephemeral=answer).status == 200
    bot.wait(lambda: len(bot.driver.dms(STAFF)) > dms_before)
    assert "already introduced" in bot.driver.dms(STAFF)[-1].text
    assert len(_posted(bot)) == 1


def test_only_staff_may_click_or_send(bot: Harness) -> None:
    _blockers(bot)
    answer = _digest_with_button(bot)
    views = len(bot.standin.calls_to("views.open"))
    assert bot.driver.click(HULL_LEAD, ids.INTRODUCE, ephemeral=answer).status == 200
    bot.wait(lambda: any(msg.STAFF_ONLY in m.text for m in bot.driver.dms(HULL_LEAD)))
    assert len(bot.standin.calls_to("views.open")) == views
    view = _click(bot, answer)
    reply = bot.driver.submit(HULL_LEAD, view)  # a lead replays staff's modal
    assert reply.json["response_action"] == "errors"
    forged = bot.driver.click(STAFF, ids.INTRODUCE, ephemeral=answer, value='{"t":"x"}')
    assert forged.status == 200
    bot.wait(lambda: any(intro.INTRO_STALE in m.text for m in bot.driver.dms(STAFF)))
    assert _introductions(bot) == 0 and not group_dms(bot.standin.workspace)


def test_a_partnership_sharing_nothing_is_introduced_without_its_words(bot: Harness) -> None:
    _blockers(bot)
    with bot.session_factory.begin() as session:
        session.execute(update(Partnership).where(Partnership.slug == HULL.slug)
                        .values(sharing="off"))
        session.execute(update(Partnership).where(Partnership.slug == BRIGHTON.slug)
                        .values(sharing="full"))
    answer = _digest_with_button(bot)
    assert HULL_WORDS not in text_of(answer)
    view = _click(bot, answer)
    draft = text_of({"blocks": view.view["blocks"]})
    assert HULL_WORDS not in draft and HULL_WRITER not in draft
    assert BRIGHTON_WORDS in draft  # full: its words, but no member's name
    draft_text = next(b["element"]["initial_value"] for b in view.view["blocks"]
                      if b.get("block_id") == ids.B_INTRO_TEXT)
    assert BRIGHTON_WRITER not in draft_text
    assert not any(m.name in draft_text for m in [*HULL.members, *BRIGHTON.members])
    bot.driver.submit(STAFF, view)
    [message] = _posted(bot)
    assert HULL_WORDS not in text_of(message.as_slack())


def test_a_very_long_shared_word_still_makes_a_digest_and_a_button(bot: Harness) -> None:
    word = "x" * 700  # a pasted string: one "word" shared by both partnerships' blockers
    for slack_id, partnership in ((HULL_MEMBER, HULL), (BRIGHTON_MEMBER, BRIGHTON)):
        submit_checkin(bot.session_factory, person_id=bot.person(slack_id).id,
                       slack_id=slack_id, partnership_id=bot.partnership_id(partnership.slug),
                       now=bot.clock(), data=CheckinInput(
                           momentum=3, blockers=f"{word} {word}q {word}z blocks us"))
    answer = _digest_with_button(bot)
    button = next(b["accessory"] for b in answer["blocks"]
                  if b.get("accessory", {}).get("action_id") == ids.INTRODUCE)
    assert len(button["value"]) <= 2000
    ref = GroupRef.from_value(button["value"])
    assert ref is not None and len(ref.theme) <= 100
    assert _click(bot, answer).view["callback_id"] == ids.INTRO_VIEW


def test_a_workspace_admin_passes_the_same_staff_gate_as_every_admin_action(
        bot: Harness) -> None:
    """Staff by any route (here Slack's own admin flag) may introduce, as they may edit."""
    add_admin(bot)
    _blockers(bot)
    answer = _digest_with_button(bot)
    view = _click(bot, answer, user=ADMIN)
    assert view.view["callback_id"] == ids.INTRO_VIEW
    assert bot.driver.submit(ADMIN, view).body == ""
    assert len(_posted(bot)) == 1
