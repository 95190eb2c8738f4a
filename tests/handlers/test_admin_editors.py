"""Staff's editors: inline errors on the field they name, edits of what exists, the
`/lp admin` modal kept in step, App Home before anything exists, Block Kit limits."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import func, select

from bot.blocks import admin_forms as f
from bot.blocks import admin_text as t
from bot.blocks import ids
from bot.blocks.admin import programme_home, programme_modal
from bot.playground.standin.blockkit import check_view
from storage.admin_view import AdminView, PartnershipRow, StaffRow
from storage.calendar import ProgrammeCalendar
from storage.clock import SteppingClock
from storage.db import SessionFactory
from storage.insight import Thresholds
from storage.models import LullWindow, Membership, Partnership, Person
from tests.admin_steps import (
    ADMIN,
    PROGRAMME,
    add_admin,
    click_home,
    create_programme,
    home,
    submit,
)
from tests.harness import BRIGHTON, HULL, HULL_MEMBER, STAFF, Harness, running_bot, text_of


def programme_view(bot: Harness) -> None:
    home(bot, STAFF, t.BUTTON_PROGRAMME)
    with bot.standin.lock:
        overview = bot.standin.workspace.home[STAFF]
    bot.driver.click(STAFF, ids.ADMIN_HOME_PROGRAMME, view=overview)
    bot.wait(lambda: "Add partnership" in text_of(bot.standin.workspace.home[STAFF].view))


def test_problems_show_inline_on_the_field_they_name(bot: Harness) -> None:
    programme_view(bot)
    editor = click_home(bot, STAFF, ids.ADMIN_EDIT_PROGRAMME)
    answer = submit(bot, STAFF, editor, {f.B_REPORT_BACK: "2020-01-01", f.B_STALL: "many"})
    assert answer["response_action"] == "errors"
    assert set(answer["errors"]) == {f.B_STALL}  # the form's own check comes first
    answer = submit(bot, STAFF, editor, {f.B_REPORT_BACK: "2020-01-01"})
    assert list(answer["errors"]) == [f.B_REPORT_BACK]  # the programme's rule
    assert "after" in answer["errors"][f.B_REPORT_BACK]

    editor = click_home(bot, STAFF, ids.ADMIN_ADD_PARTNERSHIP)
    values = {f.B_P_NAME: "Hull again", f.B_P_SLUG: HULL.slug, f.B_P_PLACE: "Hull",
              f.B_P_CHALLENGE: "x", f.B_P_MEMBERS: [HULL_MEMBER], f.B_P_LEADS: [STAFF]}
    answer = submit(bot, STAFF, editor, values)
    assert list(answer["errors"]) == [f.B_P_LEADS]  # a lead who is not a member
    answer = submit(bot, STAFF, editor, {**values, f.B_P_LEADS: []})
    assert list(answer["errors"]) == [f.B_P_SLUG] and HULL.slug in answer["errors"][f.B_P_SLUG]
    answer = submit(bot, STAFF, editor, {**values, f.B_P_SLUG: "Not A Slug!", f.B_P_LEADS: []})
    assert list(answer["errors"]) == [f.B_P_SLUG]


def test_editing_a_partnership_keeps_its_people_and_offers_known_institutions(
        bot: Harness) -> None:
    programme_view(bot)
    pid = bot.partnership_id(BRIGHTON.slug)
    editor = click_home(bot, STAFF, ids.ADMIN_EDIT_PARTNERSHIP, value=str(pid))
    assert editor.view["callback_id"] == ids.PARTNERSHIP_EDIT_VIEW
    members = [m.slack_id for m in BRIGHTON.members]
    answer = submit(bot, STAFF, editor, {f.B_P_NAME: "Brighton & Hove festivals",
                                         f.B_P_MEMBERS: [*members, HULL_MEMBER]})
    assert answer["response_action"] == "update"
    blocks = editor.view["blocks"]
    picker = next(b for b in blocks if b.get("block_id") == f"{f.B_INSTITUTION}{HULL_MEMBER}")
    known = [o["value"] for o in picker["element"]["options"]]
    hull_institution = bot.person(HULL_MEMBER).institution
    key = f.institution_key(hull_institution)
    assert key in known and picker["element"]["initial_option"]["value"] == key
    assert submit(bot, STAFF, editor, {f"{f.B_NEW_INSTITUTION}{members[0]}": "New College"}
                  ) is None
    with bot.session_factory() as session:
        partnership = session.scalar(select(Partnership).where(Partnership.id == pid))
        assert partnership is not None and partnership.name == "Brighton & Hove festivals"
        assert partnership.slug == BRIGHTON.slug
        joined = session.scalar(select(Membership.role).join(Person).where(
            Person.slack_user_id == HULL_MEMBER, Membership.partnership_id == pid))
        assert joined == "member"
    assert bot.person(members[0]).institution == "New College"
    assert bot.person(HULL_MEMBER).institution == hull_institution


def test_editors_from_lp_admin_are_pushed_and_the_modal_follows(bot: Harness) -> None:
    admin = bot.open_modal(STAFF, "admin")
    lulls = sum(1 for b in admin.view["blocks"] if b.get("block_id", "").startswith(
        "admin_lull_"))
    pushed = len(bot.standin.calls_to("views.push"))
    assert bot.driver.click(STAFF, ids.ADMIN_ADD_LULL, view=admin).status == 200
    bot.wait(lambda: len(bot.standin.calls_to("views.push")) > pushed)
    editor = bot.driver.last_view(STAFF)
    assert editor.view["callback_id"] == ids.LULL_EDIT_VIEW
    assert submit(bot, STAFF, editor, {f.B_LULL_NAME: "Easter", f.B_LULL_START: "2027-03-29",
                                       f.B_LULL_END: "2027-04-09"}) is None
    bot.wait(lambda: "Easter" in text_of(bot.standin.workspace.views[admin.id].view))
    # Removing it again, from the modal (Slack asked to confirm first).
    with bot.standin.lock:
        current = bot.standin.workspace.views[admin.id]
    easter = next(b for b in current.view["blocks"] if "Easter" in json.dumps(b)
                  and b["type"] == "actions")
    value = easter["elements"][1]["value"]
    assert bot.driver.click(STAFF, ids.ADMIN_REMOVE_LULL, view=current,
                            value=value).status == 200
    bot.wait(lambda: "Easter" not in text_of(bot.standin.workspace.views[admin.id].view))
    with bot.session_factory() as session:
        assert session.scalar(select(LullWindow.id).where(LullWindow.name == "Easter")) is None
    assert lulls >= 1


@pytest.fixture
def empty_bot(session_factory: SessionFactory, clock: SteppingClock) -> Iterator[Harness]:
    with running_bot(session_factory, clock) as harness:
        add_admin(harness)
        yield harness


def test_on_an_empty_database_home_says_what_to_do_first(empty_bot: Harness) -> None:
    assert "Create the programme" in text_of(home(empty_bot, ADMIN, "Create"))
    polite = text_of(home(empty_bot, HULL_MEMBER, "isn't set up"))
    assert "Create the programme" not in polite
    create_programme(empty_bot, ADMIN)
    editor = click_home(empty_bot, ADMIN, ids.ADMIN_EDIT_STAFF)
    assert editor.view["blocks"][0]["element"]["initial_users"] == [ADMIN]
    assert submit(empty_bot, ADMIN, editor, {f.B_STAFF: [ADMIN, HULL_MEMBER]}) is None
    name = next(m.name for m in HULL.members if m.slack_id == HULL_MEMBER)
    staff = home(empty_bot, ADMIN, name, opening=False)  # the name Slack gave, never typed
    names = next(b for b in staff["blocks"] if b.get("block_id") == "admin_staff")
    assert "Ada Admin" in json.dumps(names)
    assert empty_bot.person(HULL_MEMBER).is_staff


def test_many_partnerships_stay_within_slacks_limits() -> None:
    programme = ProgrammeCalendar("P", "Europe/London", "GB-ENG", date(2026, 9, 1),
                                  date(2027, 6, 1), 2, 1, 10, (2, 4), 14, 0, 9,
                                  thresholds=Thresholds(21, 0.33, 1.0))
    rows = [PartnershipRow(i, f"p-{i}", f"Partnership {i}", "Place", True, 5, ("A Lead",))
            for i in range(1, 151)]
    data = AdminView(programme, rows, [StaffRow("U0S", "Sam")])
    for view in (programme_home(data, []), programme_modal(data, [], "x")):
        body = view.to_dict()
        assert check_view(body) == [], check_view(body)
        assert "110 more" in json.dumps(body)


def test_a_partnership_is_taken_out_and_brought_back_never_deleted(bot: Harness) -> None:
    programme_view(bot)
    pid = bot.partnership_id(BRIGHTON.slug)
    editor = click_home(bot, STAFF, ids.ADMIN_EDIT_PARTNERSHIP, value=str(pid))
    assert submit(bot, STAFF, editor, {f.B_P_STATUS: f.TAKEN_OUT}) is None
    bot.wait(lambda: "inactive" in text_of(bot.standin.workspace.home[STAFF].view))
    with bot.session_factory() as session:
        assert session.scalar(select(Partnership.active).where(Partnership.id == pid)) is False
    editor = click_home(bot, STAFF, ids.ADMIN_EDIT_PARTNERSHIP, value=str(pid))
    answer = submit(bot, STAFF, editor, {f.B_P_STATUS: f.IN_PROGRAMME})
    assert answer["response_action"] == "update", answer  # on to the institutions
    with bot.session_factory() as session:
        assert session.scalar(select(Partnership.active).where(Partnership.id == pid))
        assert session.scalar(select(func.count()).select_from(Partnership).where(
            Partnership.slug == BRIGHTON.slug)) == 1


def test_an_admin_creates_the_programme_from_lp_admin(empty_bot: Harness) -> None:
    """`/lp admin` works before anyone is in the programme; the editor is pushed over
    it and the modal then shows the new programme."""
    admin = empty_bot.open_modal(ADMIN, "admin")
    assert "Create the programme" in text_of(admin.view)
    pushed = len(empty_bot.standin.calls_to("views.push"))
    assert empty_bot.driver.click(ADMIN, ids.ADMIN_EDIT_PROGRAMME, view=admin).status == 200
    empty_bot.wait(lambda: len(empty_bot.standin.calls_to("views.push")) > pushed)
    editor = empty_bot.driver.last_view(ADMIN)
    assert submit(empty_bot, ADMIN, editor, PROGRAMME) is None
    empty_bot.wait(lambda: "Add partnership" in text_of(
        empty_bot.standin.workspace.views[admin.id].view))
    assert "Leading Places 2027" in text_of(empty_bot.standin.workspace.views[admin.id].view)
