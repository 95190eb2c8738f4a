"""Staff's editors save what was shown and nothing else: the partnership just created
(not one whose name or place matches its slug), the calendar without resetting what the
editor does not carry, and never over a change made while the editor was open."""

from __future__ import annotations

from sqlalchemy import update

from bot.blocks import admin_forms as f
from bot.blocks import admin_text as t
from bot.blocks import ids
from bot.playground.standin.blockkit import check_view
from storage import audit
from storage.admin_edits import save_partnership
from storage.admin_view import admin_view, partnership_draft
from storage.models import Person
from tests.admin_steps import ADMIN, PROGRAMME, click_home, home, submit
from tests.handlers.test_admin_editors import empty_bot, programme_view
from tests.harness import HULL, HULL_MEMBER, STAFF, Harness, text_of


def test_step_two_opens_the_partnership_just_created(bot: Harness) -> None:
    """The example data has ``bradford-young``, whose place is Bradford."""
    programme_view(bot)
    editor = click_home(bot, STAFF, ids.ADMIN_ADD_PARTNERSHIP)
    answer = submit(bot, STAFF, editor, {
        f.B_P_NAME: "Bradford arts", f.B_P_SLUG: "bradford", f.B_P_PLACE: "Bradford",
        f.B_P_CHALLENGE: "A challenge", f.B_P_MEMBERS: [HULL_MEMBER], f.B_P_LEADS: []})
    assert answer["response_action"] == "update", answer
    pickers = {b["block_id"] for b in answer["view"]["blocks"]
               if b.get("block_id", "").startswith(f.B_INSTITUTION)}
    assert pickers == {f"{f.B_INSTITUTION}{HULL_MEMBER}"}  # only the new one's member


def test_changing_the_hour_from_slack_changes_only_the_hour(bot: Harness) -> None:
    """The editor has no field for ``digest.dm_staff``: saving keeps it as it is."""
    before = audit.changes(bot.session_factory, limit=10_000)
    programme_view(bot)
    editor = click_home(bot, STAFF, ids.ADMIN_EDIT_PROGRAMME)
    assert submit(bot, STAFF, editor, {f.B_HOUR: "11"}) is None
    new = audit.changes(bot.session_factory, limit=10_000)[:-len(before) or None]
    assert [(c.what, c.before, c.after) for c in new] == [
        ("programme calendar", {"local_hour": 10}, {"local_hour": 11})]


def test_a_long_institution_name_is_kept_whole_through_the_picker(bot: Harness) -> None:
    long_name = "The University of " + "Somewhere Rather Far Away " * 7  # over 150
    with bot.session_factory.begin() as session:
        session.execute(update(Person).where(Person.slack_user_id == HULL_MEMBER)
                        .values(institution=long_name.strip()))
    programme_view(bot)
    pid = bot.partnership_id(HULL.slug)
    editor = click_home(bot, STAFF, ids.ADMIN_EDIT_PARTNERSHIP, value=str(pid))
    assert submit(bot, STAFF, editor, {})["response_action"] == "update"
    assert submit(bot, STAFF, editor, {}) is None  # the picker's choice as it was shown
    assert bot.person(HULL_MEMBER).institution == long_name.strip()


def test_an_editor_never_saves_over_a_change_made_while_it_was_open(bot: Harness) -> None:
    programme_view(bot)
    first, second = (click_home(bot, STAFF, ids.ADMIN_EDIT_PROGRAMME) for _ in range(2))
    assert submit(bot, STAFF, first, {f.B_HOUR: "11"}) is None
    answer = submit(bot, STAFF, second, {f.B_STALL: "30"})
    assert answer["errors"] == {f.B_NAME: t.CHANGED_SINCE}
    row = admin_view(bot.session_factory).programme
    assert row is not None and row.hour == 11 and row.thresholds.stall_days != 30

    pid = bot.partnership_id(HULL.slug)
    first, second = (click_home(bot, STAFF, ids.ADMIN_EDIT_PARTNERSHIP, value=str(pid))
                     for _ in range(2))
    assert submit(bot, STAFF, first, {f.B_P_PLACE: "Hull and the East Riding"})[
        "response_action"] == "update"
    answer = submit(bot, STAFF, second, {f.B_P_STATUS: f.TAKEN_OUT})
    assert answer["errors"] == {f.B_P_NAME: t.CHANGED_SINCE}
    draft = partnership_draft(bot.session_factory, pid)
    assert draft is not None and draft.active and \
        draft.spec.place == "Hull and the East Riding"

    first, second = (click_home(bot, STAFF, ids.ADMIN_EDIT_STAFF) for _ in range(2))
    assert submit(bot, STAFF, first, {f.B_STAFF: [STAFF, HULL_MEMBER]}) is None
    answer = submit(bot, STAFF, second, {f.B_STAFF: [STAFF]})
    assert answer["errors"] == {f.B_STAFF: t.CHANGED_SINCE}
    assert {s.slack_id for s in admin_view(bot.session_factory).staff} >= {HULL_MEMBER}


def test_a_second_create_the_programme_is_refused(empty_bot: Harness) -> None:
    home(empty_bot, ADMIN, "Create the programme")
    first, second = (click_home(empty_bot, ADMIN, ids.ADMIN_EDIT_PROGRAMME) for _ in range(2))
    assert submit(empty_bot, ADMIN, first, PROGRAMME) is None
    answer = submit(empty_bot, ADMIN, second, {**PROGRAMME, f.B_NAME: "Another"})
    assert answer["errors"] == {f.B_NAME: t.CREATED_SINCE}
    row = admin_view(empty_bot.session_factory).programme
    assert row is not None and row.name == PROGRAMME[f.B_NAME]


def test_objectives_that_do_not_fit_are_shown_read_only_and_kept(bot: Harness) -> None:
    """45 objectives (the file allows them; the editor's box takes 40 and 3,000
    characters): the editor shows them read-only, saving keeps every one whole, and the
    partnership can still be taken out."""
    pid = bot.partnership_id(HULL.slug)
    draft = partnership_draft(bot.session_factory, pid)
    assert draft is not None
    many = tuple(f"Objective {n}: make something better" for n in range(45))
    save_partnership(bot.session_factory, draft.spec.model_copy(update={"objectives": many}),
                     original_slug=draft.spec.slug, actor=STAFF, now=bot.clock())
    programme_view(bot)
    editor = click_home(bot, STAFF, ids.ADMIN_EDIT_PARTNERSHIP, value=str(pid))
    assert f.B_P_OBJECTIVES not in {b.get("block_id") for b in editor.view["blocks"]}
    assert "/lp objectives" in text_of(editor.view) and not check_view(editor.view)
    answer = submit(bot, STAFF, editor, {f.B_P_NAME: "Hull, renamed"})
    assert answer["response_action"] == "update", answer
    after = partnership_draft(bot.session_factory, pid)
    assert after is not None and after.spec.name == "Hull, renamed" and \
        after.spec.objectives == many
    editor = click_home(bot, STAFF, ids.ADMIN_EDIT_PARTNERSHIP, value=str(pid))
    assert submit(bot, STAFF, editor, {f.B_P_STATUS: f.TAKEN_OUT}) is None
    taken_out = partnership_draft(bot.session_factory, pid)
    assert taken_out is not None and not taken_out.active


__all__ = ["empty_bot"]  # the fixture, used above
