"""Views are sealed to their owner: replays, other people's views and views lpbot never
opened are refused; a view Slack won't open is one log line and a message to try again."""

from __future__ import annotations

import json
import logging
import time
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from bot.blocks import messages as msg
from bot.playground.standin.driver import Reply, state_values
from bot.playground.standin.server import SIGNING_SECRET
from bot.playground.standin.workspace import View
from bot.shell.view_seal import ViewClaim, ViewSeal
from storage.models import Checkin, Person
from tests.handlers.test_surface import prompt_message
from tests.harness import HULL, HULL_LEAD, HULL_MEMBER, STAFF, Harness, text_of

FORM = "application/x-www-form-urlencoded"


def signed_submission(bot: Harness, user: str, view: View, values: dict[str, str]
                      ) -> tuple[bytes, str]:
    """The exact body and timestamp Slack would post for this submission, to send again."""
    slack_view = view.as_slack()
    slack_view["state"] = {"values": state_values(view.view, values)}
    payload = {"type": "view_submission", "team": {"id": "T0LOCAL"}, "api_app_id": "A0LPBOT",
               "user": {"id": user}, "trigger_id": "1.2.t", "view": slack_view}
    return urlencode({"payload": json.dumps(payload)}).encode(), str(int(time.time()))


def send(bot: Harness, body: bytes, stamp: str) -> Reply:
    reply = bot.driver.post_raw(body, FORM, timestamp=stamp)
    bot.settle()
    return reply


def refused_by_dm(bot: Harness, reply: Reply, user: str, count: int) -> str:
    """A submission the ack took but storage refused: the form closed, and the member's
    ``count``-th DM says it was not saved."""
    assert reply.status == 200 and reply.body == "", reply.body
    told = bot.dms_after(user, count)[count - 1].text
    assert "didn't save" in told
    return told


def stored(bot: Harness, user: str) -> list[tuple[int, str | None, str]]:
    with bot.session_factory() as session:
        return [tuple(row) for row in session.execute(
            select(Checkin.momentum, Checkin.view_id, Checkin.highlights)
            .join(Person, Person.id == Checkin.person_id)
            .where(Person.slack_user_id == user))]


def errors_of(reply: Reply) -> str:
    assert reply.status == 200 and reply.json["response_action"] == "errors", reply.body
    return json.dumps(reply.json["errors"])


def test_a_replayed_older_submission_cannot_undo_an_amendment(bot: Harness) -> None:
    first = bot.open_modal(HULL_MEMBER)
    body, stamp = signed_submission(bot, HULL_MEMBER, first, {"momentum": "2",
                                                              "highlights": "old"})
    assert send(bot, body, stamp).body == ""
    second = bot.open_modal(HULL_MEMBER)
    assert bot.driver.submit(HULL_MEMBER, second, {"momentum": "5",
                                                   "highlights": "new"}).body == ""
    told = len(bot.dms_after(HULL_MEMBER, 2))  # stored, then amended
    for _ in range(2):  # the same signed request again, inside Slack's 300 s
        assert send(bot, body, stamp).body == ""
    # The first form was stored (then amended): its replay is a duplicate, not a change
    # and not a refusal (an answer process that died holding it sends it again too).
    assert stored(bot, HULL_MEMBER) == [(5, second.id, "new")]
    assert len(bot.driver.dms(HULL_MEMBER)) == told
    # A view opened after the amendment still amends it.
    third = bot.open_modal(HULL_MEMBER)
    assert bot.driver.submit(HULL_MEMBER, third, {"momentum": "3"}).body == ""
    assert stored(bot, HULL_MEMBER)[0][:2] == (3, third.id)


def test_two_views_open_at_once_the_second_cannot_overwrite_the_first(bot: Harness) -> None:
    early = bot.open_modal(HULL_MEMBER)
    bot.driver.submit(HULL_MEMBER, bot.open_modal(HULL_MEMBER), {"momentum": "4"})
    told = refused_by_dm(bot, bot.driver.submit(HULL_MEMBER, early, {"momentum": "1"}),
                         HULL_MEMBER, 2)
    assert "changed after that form was opened" in told
    assert [m for m, _, _ in stored(bot, HULL_MEMBER)] == [4]


def test_a_view_submitted_by_someone_else_is_refused_and_the_owner_keeps_it(
        bot: Harness, caplog: pytest.LogCaptureFixture) -> None:
    view = bot.open_modal(HULL_MEMBER)
    with caplog.at_level(logging.INFO, logger="lpbot"):
        caplog.clear()
        forged = bot.driver.submit(HULL_LEAD, view, {"momentum": "1", "highlights": "by Y"})
    assert "wasn't opened for you" in errors_of(forged)
    assert stored(bot, HULL_LEAD) == [] and stored(bot, HULL_MEMBER) == []
    assert [r.getMessage() for r in caplog.records if "refused" in r.getMessage()] == [
        f"refused checkin view user={HULL_LEAD} owner={HULL_MEMBER} view={view.id} "
        "reason=another owner"]
    view.errors = {}
    assert bot.driver.submit(HULL_MEMBER, view, {"momentum": "4"}).body == ""
    assert stored(bot, HULL_MEMBER) == [(4, view.id, "")]


@pytest.mark.parametrize("metadata", [
    "", "{}", '{"p": %(p)d}', "not json",
    "sealed-elsewhere", "sealed-as-chooser", "sealed-then-altered", "sealed-then-home"])
def test_a_view_lpbot_never_opened_is_not_a_checkin(bot: Harness, metadata: str) -> None:
    partnership = bot.partnership_id(HULL.slug)
    elsewhere = ViewSeal("another install's secret")
    real = ViewSeal.for_app(SIGNING_SECRET, None)  # as the harness's app seals
    sealed = real.seal(ViewClaim("checkin", HULL_MEMBER, partnership, ""))
    forged = {
        "sealed-elsewhere": elsewhere.seal(ViewClaim("checkin", HULL_MEMBER, partnership, "")),
        "sealed-as-chooser": real.seal(ViewClaim("choose", HULL_MEMBER, partnership, "")),
        "sealed-then-altered": sealed.replace(f'"p":{partnership}', f'"p":{partnership + 1}'),
        "sealed-then-home": sealed.replace('"h":false', '"h":true'),
    }.get(metadata, metadata.replace("%(p)d", str(partnership)))
    view = bot.open_modal(HULL_MEMBER)
    view.view = {**view.view, "private_metadata": forged}
    assert "wasn't opened for you" in errors_of(bot.driver.submit(HULL_MEMBER, view,
                                                                  {"momentum": "3"}))
    assert stored(bot, HULL_MEMBER) == []
    view.view = {**view.view, "private_metadata": sealed}  # the genuine seal is accepted
    view.errors = {}
    assert bot.driver.submit(HULL_MEMBER, view, {"momentum": "3"}).body == ""


def test_an_objectives_view_is_its_lead_s_alone(bot: Harness) -> None:
    view = bot.open_modal(HULL_LEAD, "objectives")
    reply = bot.driver.submit(STAFF, view, {"challenge": "Rewritten by someone else"})
    assert "wasn't opened for you" in errors_of(reply)
    view.errors = {}
    assert bot.driver.submit(HULL_LEAD, view, {"challenge": "Ours"}).body == ""


def views_open_refusals(caplog: pytest.LogCaptureFixture) -> list[str]:
    assert "Traceback" not in caplog.text and not any(r.exc_info for r in caplog.records)
    return [r.getMessage() for r in caplog.records if "views.open" in r.getMessage()]


def test_a_used_trigger_is_one_line_and_a_try_again(bot: Harness,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    bot.open_modal(HULL_MEMBER)
    used = bot.standin.calls_to("views.open")[-1].args["trigger_id"]
    before = len(bot.driver.ephemerals(HULL_MEMBER))
    command: dict[str, Any] = {
        "command": "/lp", "text": "checkin", "user_id": HULL_MEMBER, "team_id": "T0LOCAL",
        "response_url": bot.standin.new_response_url(HULL_MEMBER), "trigger_id": used}
    with caplog.at_level(logging.INFO):
        caplog.clear()
        assert bot.driver.post_raw(urlencode(command).encode(), FORM).status == 200
        answer = text_of(bot.reply_to(HULL_MEMBER, before))
    assert msg.VIEW_OPEN_FAILED in answer
    assert "something went wrong" not in answer
    assert views_open_refusals(caplog) == [
        f"views.open failed user={HULL_MEMBER} error=expired_trigger_id"]


def test_an_expired_trigger_from_a_button_is_one_line_and_a_try_again(
        bot: Harness, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    message = prompt_message(bot, HULL_MEMBER)
    dms = len(bot.driver.dms(HULL_MEMBER))
    issued = bot.standin.new_trigger(HULL_MEMBER)
    monkeypatch.setattr(bot.standin, "new_trigger", lambda user: issued)  # the click's
    clock = bot.standin.workspace.monotonic
    bot.standin.workspace.monotonic = lambda: clock() + 10  # and its 3 s are long gone
    with caplog.at_level(logging.INFO):
        caplog.clear()
        assert bot.driver.click(HULL_MEMBER, "open_checkin", message=message).status == 200
        told = bot.dms_after(HULL_MEMBER, dms + 1)[-1]
    assert told.text == msg.VIEW_OPEN_FAILED
    assert views_open_refusals(caplog) == [
        f"views.open failed user={HULL_MEMBER} error=expired_trigger_id"]
    with bot.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Checkin)) == 0
