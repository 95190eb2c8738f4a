"""Reading the editors' state: whatever a payload holds, a typed edit or inline errors,
never an exception."""

from __future__ import annotations

from typing import Any

from bot.blocks import admin_forms as f
from handlers.admin.parse import (
    parse_institutions,
    parse_lull,
    parse_partnership,
    parse_settings,
    parse_staff,
)


def view(**blocks: dict[str, Any]) -> dict[str, Any]:
    return {"state": {"values": {b: {"value": v} for b, v in blocks.items()}}}


def test_dates_numbers_and_reminders_are_checked_on_their_block() -> None:
    state = view(**{f.B_NAME: {"type": "plain_text_input", "value": "P"},
                    f.B_START: {"selected_date": "2026-02-30"},
                    f.B_REPORT_BACK: {"selected_date": ["2027-01-01"]},
                    f.B_REMINDERS: {"value": "2, 4, 6"}, f.B_STALL: {"value": "21"},
                    f.B_LOW: {"value": "150"}, f.B_DROP: {"value": "1,5"},
                    f.B_EVERY: {"selected_option": {"value": "9"}}})
    edit, errors = parse_settings(state)
    assert edit is None
    assert {f.B_START, f.B_REPORT_BACK, f.B_REMINDERS, f.B_LOW, f.B_EVERY} <= set(errors)
    assert f.B_DROP not in errors and f.B_STALL not in errors  # "1,5" is 1.5


def test_people_pickers_keep_only_slack_ids_and_leads_must_be_members() -> None:
    state = view(**{f.B_P_NAME: {"value": "Hull"}, f.B_P_PLACE: {"value": "Hull"},
                    f.B_P_CHALLENGE: {"value": "Growth"},
                    f.B_P_OBJECTIVES: {"value": "One\n\nTwo\nOne\n"},
                    f.B_P_MEMBERS: {"selected_users": ["U0AAA", "<@U0BBB>", 7, "U0AAA"]},
                    f.B_P_LEADS: {"selected_users": ["U0CCC"]},
                    f.B_P_CHANNEL: {"selected_conversation": "not a channel"}})
    form, errors = parse_partnership(state)
    assert form is None and list(errors) == [f.B_P_LEADS]
    state["state"]["values"][f.B_P_LEADS] = {"value": {"selected_users": ["U0AAA"]}}
    form, errors = parse_partnership(state)
    assert form is not None and errors == {}
    assert form.members == ("U0AAA",) and form.leads == ("U0AAA",)
    assert form.objectives == ("One", "Two") and form.channel is None and form.active


def test_institutions_typed_win_and_staff_and_lulls_read_safely() -> None:
    council = f.institution_key("Council")
    state = view(**{f"{f.B_INSTITUTION}U0AAA": {"selected_option": {"value": council}},
                    f"{f.B_NEW_INSTITUTION}U0AAA": {"value": "New College"},
                    f"{f.B_INSTITUTION}U0BBB": {"selected_option": {"value": council}},
                    f"{f.B_NEW_INSTITUTION}U0BBB": {"value": ""},
                    f"{f.B_INSTITUTION}U0CCC": {"selected_option": {"value": "Council"}},
                    f"{f.B_INSTITUTION}forged\n": {"selected_option": {"value": "x"}}})
    assert parse_institutions(state, ["Council", "Other"]) == {
        "U0AAA": "New College", "U0BBB": "Council"}  # a label is not a key: ignored
    assert parse_staff({"state": "nonsense"}) == []
    lull, errors = parse_lull({"state": {"values": []}})
    assert lull is None and {f.B_LULL_NAME, f.B_LULL_START, f.B_LULL_END} <= set(errors)
