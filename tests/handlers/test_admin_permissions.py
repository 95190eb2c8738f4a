"""Only staff change the programme: `/lp admin`, every admin button and every editor
submission refuse a member, a lead and an outsider politely, forged payloads included
(a staff editor's callback_id posted by someone else, a seal altered or another's)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.blocks import admin_forms as f
from bot.blocks import admin_text as t
from bot.blocks import ids
from bot.playground.standin.workspace import View
from storage.models import LullWindow, Partnership, Person, Programme
from tests.admin_steps import ADMIN, add_admin, click_home, home, submit
from tests.harness import HULL, HULL_LEAD, HULL_MEMBER, OUTSIDER, STAFF, Harness, text_of

NOT_STAFF = [HULL_MEMBER, HULL_LEAD, OUTSIDER]
OVERVIEWS: dict[int, View] = {}
BUTTONS = [ids.ADMIN_HOME_PROGRAMME, ids.ADMIN_EDIT_PROGRAMME, ids.ADMIN_ADD_PARTNERSHIP,
           ids.ADMIN_EDIT_PARTNERSHIP, ids.ADMIN_EDIT_STAFF, ids.ADMIN_ADD_LULL,
           ids.ADMIN_EDIT_LULL, ids.ADMIN_REMOVE_LULL]
# Each editor: the button that opens it, and values that would change the programme.
EDITORS: dict[str, tuple[str, dict[str, Any]]] = {
    ids.PROGRAMME_EDIT_VIEW: (ids.ADMIN_EDIT_PROGRAMME, {f.B_NAME: "Taken over"}),
    ids.PARTNERSHIP_EDIT_VIEW: (ids.ADMIN_ADD_PARTNERSHIP, {
        f.B_P_NAME: "Forged", f.B_P_PLACE: "Nowhere", f.B_P_CHALLENGE: "x",
        f.B_P_MEMBERS: [OUTSIDER]}),
    ids.STAFF_EDIT_VIEW: (ids.ADMIN_EDIT_STAFF, {f.B_STAFF: [OUTSIDER]}),
    ids.LULL_EDIT_VIEW: (ids.ADMIN_ADD_LULL, {
        f.B_LULL_NAME: "Forged lull", f.B_LULL_START: "2027-03-01",
        f.B_LULL_END: "2027-03-05"}),
}


def snapshot(bot: Harness) -> tuple[Any, ...]:
    """What an admin edit would change."""
    with bot.session_factory() as session:
        return (session.scalar(select(Programme.name)),
                session.scalar(select(func.count()).select_from(Partnership)),
                session.scalar(select(func.count()).select_from(LullWindow)),
                tuple(session.scalars(select(Person.slack_user_id).where(Person.is_staff)
                                      .order_by(Person.slack_user_id))))


def staff_programme_home(bot: Harness) -> View:
    """Staff's App Home switched to the Programme view (a copy of the overview kept)."""
    home(bot, STAFF, t.BUTTON_PROGRAMME)
    with bot.standin.lock:
        overview = bot.standin.workspace.home[STAFF]
        OVERVIEWS[id(bot)] = View(**{**overview.__dict__, "view": dict(overview.view)})
    assert bot.driver.click(STAFF, ids.ADMIN_HOME_PROGRAMME, view=overview).status == 200
    home_view = bot.wait(lambda: "Add partnership" in text_of(
        bot.standin.workspace.home[STAFF].view) and bot.standin.workspace.home[STAFF])
    return home_view


@pytest.mark.parametrize("who", NOT_STAFF)
def test_lp_admin_is_refused_politely(bot: Harness, who: str) -> None:
    opened = len(bot.standin.calls_to("views.open"))
    assert "only the programme team" in text_of(bot.command(who, "admin"))
    assert len(bot.standin.calls_to("views.open")) == opened


def test_lp_admin_opens_the_programme_view_for_staff(bot: Harness) -> None:
    view = bot.open_modal(STAFF, "admin")
    assert view.view["callback_id"] == ids.ADMIN_VIEW
    assert "Hull: inclusive growth" in text_of(view.view)


@pytest.mark.parametrize("who", NOT_STAFF)
def test_every_admin_button_is_refused_whatever_the_payload(bot: Harness, who: str) -> None:
    """Buttons copied from staff's own Programme view, clicked by someone else."""
    source = staff_programme_home(bot)
    before = snapshot(bot)
    opened = len(bot.standin.calls_to("views.open")) + len(bot.standin.calls_to("views.push"))
    for action_id in BUTTONS:
        dms = len(bot.driver.dms(who))
        where = OVERVIEWS[id(bot)] if action_id == ids.ADMIN_HOME_PROGRAMME else source
        assert bot.driver.click(who, action_id, view=where).status == 200
        bot.wait(lambda n=dms: len(bot.driver.dms(who)) > n)
        assert t.STAFF_ONLY in bot.driver.dms(who)[-1].text
    assert opened == len(bot.standin.calls_to("views.open")) + \
        len(bot.standin.calls_to("views.push"))
    assert snapshot(bot) == before


@pytest.mark.parametrize("who", NOT_STAFF)
@pytest.mark.parametrize("callback_id", list(EDITORS))
def test_every_editor_submission_is_refused(bot: Harness, who: str, callback_id: str) -> None:
    """A staff editor (really opened, really sealed) posted by someone else."""
    staff_programme_home(bot)
    button, values = EDITORS[callback_id]
    editor = click_home(bot, STAFF, button)
    assert editor.view["callback_id"] == callback_id
    before = snapshot(bot)
    answer = submit(bot, who, editor, values)
    assert answer["response_action"] == "errors"
    assert t.NOT_STAFF_VIEW in json.dumps(answer["errors"])
    assert snapshot(bot) == before


def test_a_forged_or_borrowed_seal_is_refused_for_staff_too(bot: Harness) -> None:
    staff_programme_home(bot)
    editor = click_home(bot, STAFF, ids.ADMIN_ADD_LULL)
    values = EDITORS[ids.LULL_EDIT_VIEW][1]
    before = snapshot(bot)
    forged = json.loads(editor.view["private_metadata"])
    forged["k"] = "programme"  # another editor's purpose, same MAC
    editor.view["private_metadata"] = json.dumps(forged)
    answer = submit(bot, STAFF, editor, values)
    assert t.NOT_YOUR_VIEW in json.dumps(answer["errors"])
    editor.view["private_metadata"] = "not sealed at all"
    assert t.NOT_YOUR_VIEW in json.dumps(submit(bot, STAFF, editor, values)["errors"])
    assert snapshot(bot) == before


def test_a_lead_keeps_their_own_objectives_editor(bot: Harness) -> None:
    """Leads edit their partnership's challenge and objectives, and nothing else."""
    view = bot.open_modal(HULL_LEAD, f"objectives {HULL.slug}")
    assert view.view["callback_id"] == ids.OBJECTIVES_VIEW
    assert "only the programme team" in text_of(bot.command(HULL_LEAD, "admin"))


@pytest.mark.parametrize("who", NOT_STAFF)
def test_the_institutions_step_is_refused_too(bot: Harness, who: str) -> None:
    """Step two of a staff member's partnership editor, posted by someone else."""
    staff_programme_home(bot)
    editor = click_home(bot, STAFF, ids.ADMIN_ADD_PARTNERSHIP)
    assert submit(bot, STAFF, editor, EDITORS[ids.PARTNERSHIP_EDIT_VIEW][1])[
        "response_action"] == "update"
    assert editor.view["callback_id"] == ids.INSTITUTIONS_VIEW
    block = next(b["block_id"] for b in editor.view["blocks"] if b["type"] == "input")
    before = bot.person(OUTSIDER).institution
    answer = submit(bot, who, editor, {f"{f.B_NEW_INSTITUTION}{OUTSIDER}": "Forged Ltd"})
    assert answer["response_action"] == "errors" and block in answer["errors"]
    assert t.NOT_STAFF_VIEW in json.dumps(answer["errors"])
    assert bot.person(OUTSIDER).institution == before


def test_help_tells_staff_by_any_route_about_lp_admin(bot: Harness) -> None:
    """A workspace admin the programme does not list is staff by the same gate as
    `/lp admin` itself, so `/lp help` shows it; an outsider still gets the outsider's."""
    add_admin(bot)
    for user, shown in ((ADMIN, True), (OUTSIDER, False), (HULL_MEMBER, False)):
        before = len(bot.driver.ephemerals(user))
        assert bot.driver.command(user, "help").status == 200
        answer = bot.wait(lambda u=user, b=before: bot.driver.ephemerals(u)[b:] or None)[0]
        assert ("`/lp admin`" in text_of(answer)) is shown, (user, text_of(answer))
