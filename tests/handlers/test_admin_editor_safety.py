"""Staff's editors save what was shown and nothing else: the partnership just created
(not one whose name or place matches its slug), the calendar without resetting what the
editor does not carry, and never over a change made while the editor was open."""

from __future__ import annotations

from sqlalchemy import update

from bot.blocks import admin_forms as f
from bot.blocks import ids
from storage import audit
from storage.models import Person
from tests.admin_steps import click_home, submit
from tests.handlers.test_admin_editors import programme_view
from tests.harness import HULL, HULL_MEMBER, STAFF, Harness


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
