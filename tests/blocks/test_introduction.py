"""The introduction's Block Kit: the digest's groups with their button, the review modal
within Slack's limits, and the posted text through the one sanitiser."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.blocks import ids
from bot.blocks.introduction import (
    common_ground_blocks,
    draft_text,
    introduction_message,
    introduction_modal,
)
from bot.playground.standin.blockkit import check_message, check_view
from storage.common_ground import CommonGround, GroupRef, IntroDraft, Lead, Quote, Voice

NOW = datetime(2026, 11, 24, tzinfo=UTC)


def _group(partnerships: int = 2) -> CommonGround:
    voices = tuple(Voice(p, f"Partnership {p}", (Quote(p * 10, "b", "x" * 2000, None),))
                   for p in range(1, partnerships + 1))
    return CommonGround("capacity", voices, partnerships)


def test_each_group_has_its_button_and_fits_slack() -> None:
    groups = [_group(n) for n in range(2, 14)]
    blocks = [b.to_dict() for b in common_ground_blocks(groups)]
    assert len(blocks) == 10  # at most ten groups
    assert not check_message("digest", blocks)
    for block, group in zip(blocks, groups, strict=False):
        assert block["accessory"]["action_id"] == ids.INTRODUCE
        ref = GroupRef.from_value(block["accessory"]["value"])
        assert ref is not None and len(ref.partnership_ids) == min(7, len(group.voices))


def _draft() -> IntroDraft:
    voices = (Voice(1, "Hull", (Quote(1, "b", "Bus routes cut", None),)),
              Voice(2, "Leeds", (Quote(2, "h", "Youth hub *unreachable*", "Cy Cole"),)),
              Voice(3, "York", ()))
    leads = (Lead("U1", "Ana Able", 1, "Hull"), Lead("U2", "Bo Best", 2, "Leeds"))
    return IntroDraft(GroupRef("transport", (1, 2, 3)), voices, leads, ("York",))


def test_the_draft_names_partnerships_and_their_words_but_no_people() -> None:
    draft = _draft()
    text = draft_text(draft, "Morgan Hale")
    assert "Morgan" in text and "transport" in text
    assert "Hull: \"Bus routes cut\"" in text
    assert "Leeds: \"Youth hub *unreachable*\"" in text
    for name in ("Ana Able", "Bo Best", "Cy Cole"):  # no member's name, not even under full
        assert name not in text
    view = introduction_modal(draft, "Morgan Hale", "sealed").to_dict()
    assert not check_view(view)
    assert "York" in str(view["blocks"])  # left out, and said so


def test_the_posted_introduction_is_sanitised_line_by_line() -> None:
    payload = introduction_message("Hello <!channel> and <@U999>\n\n*Meet* _here_: <http://x|y>")
    assert not check_message(payload["text"], payload["blocks"])
    body = payload["blocks"][0]["text"]["text"]
    assert body.count("\n") == 1  # two lines kept, the blank one dropped
    for forged in ("<!channel>", "<@U999>", "*Meet*", "_here_", "<http"):
        assert forged not in body
