"""The Slack surface end to end, for every role: commands, buttons, modals, App Home."""

from __future__ import annotations

import copy
import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.blocks import ids
from bot.playground.standin.blockkit import check_message, check_view
from storage.models import Checkin, Objective, ObjectiveRevision
from tests.harness import (
    BRIGHTON,
    BRIGHTON_LEAD,
    BRIGHTON_MEMBER,
    HULL,
    HULL_LEAD,
    HULL_MEMBER,
    OUTSIDER,
    STAFF,
    Harness,
    text_of,
)

ROLES = {"member": HULL_MEMBER, "lead": HULL_LEAD, "staff": STAFF, "outsider": OUTSIDER,
         "other_lead": BRIGHTON_LEAD}


def submit_checkin(bot: Harness, user: str, momentum: str = "4", **values: str) -> None:
    view = bot.open_modal(user)
    dms = len(bot.driver.dms(user))
    reply = bot.driver.submit(user, view, {"momentum": momentum, **values})
    assert reply.status == 200 and reply.body == "", reply.body
    bot.dms_after(user, dms + 1)


@pytest.mark.parametrize("role", list(ROLES))
def test_help_lists_what_each_role_may_do(bot: Harness, role: str) -> None:
    shown = text_of(bot.command(ROLES[role], "help"))
    assert ("/lp checkin" in shown) == (role in ("member", "lead", "other_lead"))
    assert ("/lp objectives" in shown) == (role in ("lead", "other_lead"))
    assert ("/lp status all" in shown) == (role == "staff")
    if role == "outsider":
        assert "not part of a partnership" in shown


@pytest.mark.parametrize("text", ["", "frobnicate", "<!channel> hi", "status\x00\x07x",
                                  "x" * 10_000, "'; DROP TABLE checkin; --"])
def test_garbage_command_text_gets_help(bot: Harness, text: str) -> None:
    shown = text_of(bot.command(HULL_MEMBER, text))
    assert "/lp checkin" in shown or "Partnership status" in shown
    assert "<!channel>" not in shown


@pytest.mark.parametrize("role", list(ROLES))
def test_status_for_every_role(bot: Harness, role: str) -> None:
    submit_checkin(bot, HULL_MEMBER, highlights="Secret Hull highlight",
                   blockers="Hull blocker")
    submit_checkin(bot, BRIGHTON_MEMBER, highlights="Secret Brighton highlight")
    shown = text_of(bot.command(ROLES[role], "status"))
    if role == "member":
        assert "Secret Hull highlight" in shown and "for leads" in shown
        assert "Brighton" not in shown
    elif role == "lead":
        assert "Hull: inclusive growth" in shown and "Hull blocker" in shown
        assert "Secret Brighton highlight" not in shown
        assert "Not yet:" in shown
    elif role == "staff":
        assert "all partnerships" in shown and shown.count("response") >= 15
        assert "Secret" not in shown
    elif role == "other_lead":
        assert "Brighton" in shown and "Hull blocker" not in shown
    else:
        assert "not part of a partnership" in shown


def test_status_by_slug_respects_roles(bot: Harness) -> None:
    submit_checkin(bot, HULL_MEMBER, blockers="Hull-only blocker")
    assert "Hull-only blocker" in text_of(bot.command(STAFF, f"status {HULL.slug}"))
    assert "Hull-only blocker" in text_of(bot.command(STAFF, "status Hull: inclusive growth"))
    refused = text_of(bot.command(BRIGHTON_LEAD, f"status {HULL.slug}"))
    assert "isn't one of your partnerships" in refused and "Hull-only" not in refused
    member = text_of(bot.command(BRIGHTON_MEMBER, f"status {HULL.slug}"))
    assert "Hull-only" not in member
    assert "couldn't find" in text_of(bot.command(STAFF, "status nowhere-at-all"))


def test_status_all_is_for_staff_only(bot: Harness) -> None:
    shown = text_of(bot.command(HULL_LEAD, "status all"))
    assert "all partnerships" not in shown


def test_checkin_validation_errors_are_inline(bot: Harness) -> None:
    view = bot.open_modal(HULL_MEMBER)
    objective = next(b["block_id"] for b in view.view["blocks"]
                     if b.get("block_id", "").startswith("obj_status:"))
    reply = bot.driver.submit(HULL_MEMBER, view, {objective: "stalled", "help_wanted": "yes"})
    errors = reply.json["errors"]
    assert reply.json["response_action"] == "errors"
    assert set(errors) == {"momentum", "blockers", "help_text"}
    with bot.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Checkin)) == 0


def test_forged_metadata_and_objective_are_refused(bot: Harness) -> None:
    view = bot.open_modal(HULL_MEMBER)
    brighton_id = bot.partnership_id(BRIGHTON.slug)
    view.view = {**view.view, "private_metadata": json.dumps({"p": brighton_id})}
    reply = bot.driver.submit(HULL_MEMBER, view, {"momentum": "3"})
    assert reply.json["response_action"] == "errors"
    assert "wasn't opened for you" in json.dumps(reply.json)
    view = bot.open_modal(HULL_MEMBER)
    forged = dict(view.view)
    forged["blocks"] = [*view.view["blocks"], {
        "type": "input", "block_id": "obj_status:99999", "label": {"type": "plain_text",
                                                                    "text": "x"},
        "element": {"type": "static_select", "action_id": "value", "options": [
            {"text": {"type": "plain_text", "text": "On track"}, "value": "on_track"}]}}]
    view.view = forged
    reply = bot.driver.submit(HULL_MEMBER, view, {"momentum": "3",
                                                  "obj_status:99999": "on_track"})
    assert reply.status == 200 and reply.json is None  # handed over; storage refuses it
    told = bot.dms_after(HULL_MEMBER, 1)[-1]
    assert "didn't save" in told.text and "out of date" in told.text
    with bot.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Checkin)) == 0


def prompt_message(bot: Harness, user: str) -> object:
    """Post the prompt DM the scheduler would send, as a real chat.postMessage."""
    from bot.blocks.checkin import prompt_blocks

    blocks = [b.to_dict() for b in prompt_blocks(partnership_id=bot.partnership_id(
        HULL.slug), partnership_name=HULL.name)]
    from slack_sdk import WebClient

    from bot.playground.standin.server import BOT_TOKEN

    WebClient(token=BOT_TOKEN, base_url=bot.standin.api_url).chat_postMessage(
        channel=user, text="Time to check in", blocks=blocks)
    return bot.driver.dms(user)[-1]


def test_pulse_button_stores_once_and_updates_the_prompt(bot: Harness) -> None:
    message = copy.deepcopy(prompt_message(bot, HULL_MEMBER))  # as first rendered
    for _ in range(2):  # a double click stores one check-in
        assert bot.driver.click(HULL_MEMBER, "pulse_4", message=message).status == 200
        bot.wait(lambda: bot.standin.calls_to("chat.update"))
    bot.wait(lambda: len(bot.standin.calls_to("chat.update")) >= 2)
    with bot.session_factory() as session:
        rows = session.scalars(select(Checkin)).all()
        assert [(c.momentum, c.source) for c in rows] == [(4, "pulse")]
    assert "Momentum 4/5 recorded" in bot.driver.dms(HULL_MEMBER)[-1].text
    bot.settle()
    assert bot.standin.calls_to("views.publish") == []  # clicked in a DM: Home not on screen


def test_forged_pulse_for_another_partnership_is_refused(bot: Harness) -> None:
    message = prompt_message(bot, BRIGHTON_MEMBER)  # a Hull prompt, clicked by Brighton
    bot.driver.click(BRIGHTON_MEMBER, "pulse_5", message=message)
    bot.wait(lambda: any("isn't one of your" in m.text for m in bot.driver.dms(BRIGHTON_MEMBER)))
    with bot.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Checkin)) == 0


def test_check_in_button_and_snooze(bot: Harness) -> None:
    message = copy.deepcopy(prompt_message(bot, HULL_MEMBER))
    bot.driver.click(HULL_MEMBER, "open_checkin", message=message)
    bot.wait(lambda: bot.standin.calls_to("views.open"))
    assert bot.driver.last_view(HULL_MEMBER).view["callback_id"] == "checkin"
    bot.driver.click(HULL_MEMBER, "snooze", message=message)
    bot.wait(lambda: bot.standin.calls_to("chat.update"))
    assert bot.person(HULL_MEMBER).snoozed_until == bot.clock() + timedelta(days=2)


def test_pause_and_resume(bot: Harness) -> None:
    assert "Prompts paused until" in text_of(bot.command(HULL_MEMBER, "pause 2 weeks"))
    assert bot.person(HULL_MEMBER).paused_until == bot.clock() + timedelta(weeks=2)
    status = text_of(bot.command(HULL_LEAD, "status"))
    assert "Paused: " in status  # shown apart, not as missing
    assert "Say how long" in text_of(bot.command(HULL_MEMBER, "pause forever"))
    assert "Welcome back" in text_of(bot.command(HULL_MEMBER, "resume"))
    assert bot.person(HULL_MEMBER).paused_until is None
    assert "weren't paused" in text_of(bot.command(HULL_MEMBER, "resume"))
    assert "Reminders are off" in text_of(bot.command(HULL_MEMBER, "reminders off"))
    assert bot.person(HULL_MEMBER).reminders_enabled is False


def test_objectives_edit_keeps_history(bot: Harness) -> None:
    assert "for partnership leads" in text_of(bot.command(HULL_MEMBER, "objectives"))
    view = bot.open_modal(HULL_LEAD, "objectives")
    titles = [b["block_id"] for b in view.view["blocks"]
              if b.get("block_id", "").startswith("obj_title:")]
    values = {titles[0]: "Map skills gaps, sector by sector", titles[1]: "",
              "obj_new:0": "Run a good-work summit"}
    assert bot.driver.submit(HULL_LEAD, view, values).status == 200
    bot.wait(lambda: any("Objectives saved" in m.text for m in bot.driver.dms(HULL_LEAD)))
    with bot.session_factory() as session:
        pid = bot.partnership_id(HULL.slug)
        active = session.scalars(select(Objective.title).where(
            Objective.partnership_id == pid, Objective.active)).all()
        assert "Map skills gaps, sector by sector" in active
        assert "Run a good-work summit" in active and len(active) == 3
        actions = session.scalars(select(ObjectiveRevision.action)).all()
        assert sorted(set(actions)) == ["add", "retire", "reword"]


def test_forged_objectives_edit_by_another_lead_is_refused(bot: Harness) -> None:
    view = bot.open_modal(HULL_LEAD, "objectives")
    reply = bot.driver.submit(BRIGHTON_LEAD, view, {"obj_new:0": "Hijack"})
    assert reply.json["response_action"] == "errors"


@pytest.mark.parametrize("role", list(ROLES))
def test_app_home_for_every_role(bot: Harness, role: str) -> None:
    submit_checkin(bot, HULL_MEMBER, highlights="Home highlight")
    user = ROLES[role]
    assert bot.driver.open_home(user).status == 200
    bot.wait(lambda: user in bot.standin.workspace.home)
    home = bot.standin.workspace.home[user].view
    shown = text_of({"blocks": home["blocks"]})
    if role == "member":
        assert "Home highlight" in shown and "Check in" in shown
    if role == "lead":
        assert "members have checked in" in shown and "Hull" in shown
    if role == "staff":
        assert "all partnerships" in shown and "Home highlight" not in shown
    if role == "other_lead":
        assert "Home highlight" not in shown and "Brighton" in shown
    if role == "outsider":
        assert "not part of a partnership" in shown


def home_text(bot: Harness, user: str) -> str:
    return text_of({"blocks": bot.standin.workspace.home[user].view["blocks"]})


def test_home_refreshed_after_a_checkin_opened_from_it(bot: Harness) -> None:
    """The member goes back to their Home when the form closes, and Slack sends no
    app_home_opened then: the Home is published again with the answer."""
    assert bot.driver.open_home(HULL_MEMBER).status == 200
    home = bot.wait(lambda: bot.standin.workspace.home.get(HULL_MEMBER))
    opened = len(bot.standin.calls_to("views.open"))
    assert bot.driver.click(HULL_MEMBER, ids.OPEN_CHECKIN, view=home).status == 200
    bot.wait(lambda: len(bot.standin.calls_to("views.open")) > opened)
    form = bot.driver.last_view(HULL_MEMBER)
    dms = len(bot.driver.dms(HULL_MEMBER))
    reply = bot.driver.submit(HULL_MEMBER, form, {"momentum": "4", "highlights": "Fresh news"})
    assert reply.status == 200 and reply.body == ""
    bot.dms_after(HULL_MEMBER, dms + 1)
    assert "Fresh news" in home_text(bot, HULL_MEMBER)


def test_a_checkin_from_a_dm_leaves_the_home_to_be_built_when_opened(bot: Harness) -> None:
    """Opened from a DM or `/lp checkin`, the Home isn't on screen: nothing is published
    until the member enters it (each entry sends app_home_opened), and then it is fresh."""
    submit_checkin(bot, HULL_MEMBER, highlights="Fresh news")  # the driver waits for it
    assert bot.standin.calls_to("views.publish") == []
    assert bot.driver.open_home(HULL_MEMBER).status == 200
    bot.wait(lambda: HULL_MEMBER in bot.standin.workspace.home)
    assert "Fresh news" in home_text(bot, HULL_MEMBER)


def test_amend_in_the_same_round(bot: Harness) -> None:
    submit_checkin(bot, HULL_MEMBER, momentum="2")
    view = bot.open_modal(HULL_MEMBER)
    momentum = next(b for b in view.view["blocks"] if b.get("block_id") == "momentum")
    assert momentum["element"]["initial_option"]["value"] == "2"  # pre-filled
    bot.driver.submit(HULL_MEMBER, view, {"momentum": "5"})
    bot.wait(lambda: any("updated your check-in" in m.text for m in bot.driver.dms(HULL_MEMBER)))
    with bot.session_factory() as session:
        assert session.scalars(select(Checkin.momentum)).all() == [5]


def test_several_partnerships_choose_first(bot: Harness) -> None:
    from storage.models import Membership, Person

    brighton_id = bot.partnership_id(BRIGHTON.slug)
    with bot.session_factory.begin() as session:
        person = session.scalar(select(Person).where(Person.slack_user_id == HULL_MEMBER))
        session.add(Membership(person_id=person.id, partnership_id=brighton_id,
                               role="member", active=True))
    view = bot.open_modal(HULL_MEMBER)
    assert view.view["callback_id"] == "choose_partnership"
    reply = bot.driver.submit(HULL_MEMBER, view, {"partnership": str(
        bot.partnership_id(BRIGHTON.slug))})
    assert reply.json["response_action"] == "update"
    assert "Brighton" in json.dumps(reply.json["view"])


def test_many_objectives_and_long_texts_fit_slacks_limits() -> None:
    from bot.blocks.checkin import CheckinPrefill, ObjectiveChoice, checkin_modal
    from bot.blocks.objectives import objectives_modal
    from bot.shell.view_seal import ViewClaim, ViewSeal

    long = "ü" * 5000
    sealed = ViewSeal.random().seal(ViewClaim("checkin", "U" * 32, 10**9, "f" * 16))
    for count in (0, 3, 45, 46, 120):
        objectives = [ObjectiveChoice(i, f"{i} " + long[:300], "at_risk") for i in range(count)]
        modal = checkin_modal(partnership_name=long[:200], challenge=long, metadata=sealed,
                              objectives=objectives,
                              prefill=CheckinPrefill(3, long, long, True, long, long)).to_dict()
        assert check_view(modal) == [], count
        if count > 90:
            assert "first 89" in json.dumps(modal) or "first" in json.dumps(modal)
        editor = objectives_modal(challenge=long, objectives=objectives, metadata=sealed)
        assert check_view(editor.to_dict()) == [], count


def test_every_message_the_bot_sent_passed_block_kit_checks(bot: Harness) -> None:
    submit_checkin(bot, HULL_MEMBER)
    bot.command(STAFF, "status all")
    bot.command(STAFF, "digest")
    bot.command(HULL_LEAD, "status")
    refused = [c for c in bot.standin.calls if c.response.get("error") == "invalid_blocks"]
    assert refused == []
    for answer in bot.standin.responses:
        assert check_message(answer.get("text"), answer.get("blocks")) == []


def test_event_retries_do_not_act_twice(bot: Harness) -> None:
    event = {"type": "app_home_opened", "user": HULL_MEMBER, "channel": "D1", "tab": "home",
             "event_ts": "1.0"}
    reply = bot.driver.event(event, headers={"X-Slack-Retry-Num": "1",
                                             "X-Slack-Retry-Reason": "http_timeout"})
    assert reply.status == 200
    bot.driver.command(HULL_MEMBER, "help")  # something later to wait on
    bot.wait(lambda: bot.driver.ephemerals(HULL_MEMBER))
    assert bot.standin.calls_to("views.publish") == []


def test_unhandled_requests_are_answered(bot: Harness) -> None:
    reply = bot.driver.event({"type": "reaction_added", "user": HULL_MEMBER})
    assert reply.status == 200
    view = bot.open_modal(HULL_MEMBER)
    click = bot.driver._interactive("block_actions", HULL_MEMBER, {
        "actions": [{"action_id": "no_such_button", "block_id": "b", "type": "button",
                     "value": "x"}], "container": {"type": "view", "view_id": view.id}})
    assert click.status == 200


EXPECTED = {
    # command: role -> what that person is told (a modal opening is "MODAL")
    "checkin": {"member": "MODAL", "lead": "MODAL", "other_lead": "MODAL",
                "staff": "not a member of a partnership", "outsider": "not part of"},
    "objectives": {"member": "for partnership leads", "lead": "MODAL",
                   "other_lead": "MODAL", "staff": "for partnership leads",
                   "outsider": "not part of"},
    "digest": {"member": "for the programme team", "lead": "for the programme team",
               "other_lead": "for the programme team", "staff": "weekly digest",
               "outsider": "not part of"},
    "pause 1 week": {"member": "Prompts paused", "lead": "Prompts paused",
                     "other_lead": "Prompts paused", "staff": "not a member",
                     "outsider": "not part of"},
    "resume": {"member": "weren't paused", "lead": "weren't paused",
               "other_lead": "weren't paused", "staff": "weren't paused",
               "outsider": "not part of"},
    "reminders off": {"member": "Reminders are off", "lead": "Reminders are off",
                      "other_lead": "Reminders are off", "staff": "Reminders are off",
                      "outsider": "not part of"},
}


@pytest.mark.parametrize("command", list(EXPECTED))
@pytest.mark.parametrize("role", list(ROLES))
def test_every_command_for_every_role(bot: Harness, command: str, role: str) -> None:
    user, expected = ROLES[role], EXPECTED[command][role]
    if expected == "MODAL":
        assert bot.open_modal(user, command).view["callback_id"] in (
            "checkin", "objectives")
        return
    assert expected in text_of(bot.command(user, command))


def test_url_verification_is_answered(bot: Harness) -> None:
    reply = bot.driver.post_raw(json.dumps({"type": "url_verification", "token": "t",
                                            "challenge": "abc123"}).encode(),
                                "application/json")
    assert reply.status == 200 and "abc123" in reply.body
