"""Status and help builders as pure functions: each refusal says why, each role sees its
own commands, and typed text comes back escaped."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.blocks import messages as msg
from bot.blocks.help import help_blocks
from bot.blocks.status import own_checkin_blocks, status_view_blocks
from storage.access import Seat, Viewer
from storage.status import OwnCheckin, OwnStatus, Refusal

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)
MEMBER = Viewer(1, "U1", "Mo Member", False, (Seat(7, "hull", "Hull", "member"),))
LEAD = Viewer(2, "U2", "Lee Lead", False, (Seat(7, "hull", "Hull", "lead"),))
STAFF = Viewer(3, "U3", "Sam Staff", True, ())


def _text(blocks: list) -> str:  # type: ignore[type-arg]
    return "\n".join(str(b.to_dict()) for b in blocks)


def test_refusals_say_why_and_echo_the_key_escaped() -> None:
    assert msg.HELP_OUTSIDER in _text(status_view_blocks(Refusal("outsider"), NOW))
    assert msg.NOT_YOUR_PARTNERSHIP in _text(status_view_blocks(Refusal("not_yours"), NOW))
    unknown = _text(status_view_blocks(Refusal("unknown", "<!channel> `x`"), NOW))
    assert "&lt;!channel&gt;" in unknown and "<!channel>" not in unknown


def test_help_lists_what_each_role_may_do() -> None:
    member, lead, staff = (_text(help_blocks(v)) for v in (MEMBER, LEAD, STAFF))
    assert "/lp checkin" in member and "/lp objectives" not in member
    assert "/lp objectives" in lead and "/lp status all" not in lead
    assert "/lp status all" in staff
    assert msg.HELP_OUTSIDER in _text(help_blocks(None))


def test_own_answers_note_for_members_asking_for_status() -> None:
    answers = [OwnCheckin("Hull", NOW, 4, "Met the <@U9> board", "", False, "", "", "modal")]
    text = _text(status_view_blocks(OwnStatus(answers, "Europe/London", True), NOW))
    assert msg.STATUS_FOR_LEADS in text and "4/5" in text
    assert "<@U9>" not in text
    assert msg.NO_CHECKINS_YET in _text(own_checkin_blocks([], "Europe/London"))
