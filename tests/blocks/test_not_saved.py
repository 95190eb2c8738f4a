"""The DM that gives a member back a check-in that was not saved fits Slack's limits and
shows what they typed as plain text only."""

from __future__ import annotations

from bot.blocks.checkin import MESSAGE_BLOCKS, not_saved_blocks


def test_every_answer_fits_and_stays_plain() -> None:
    answers = [("Highlights", "<@U0BOSS> &" * 600), ("Blockers", ""),
               *((f"Note {n}", f"note {n}") for n in range(80))]
    blocks = not_saved_blocks("the round has closed.", answers, partnership_id=7)
    assert len(blocks) == MESSAGE_BLOCKS
    given_back = [b["text"] for b in blocks[1:-1]]
    assert all(t["type"] == "plain_text" and len(t["text"]) <= 3000 for t in given_back)
    assert given_back[0]["text"].startswith("Highlights: <@U0BOSS> &")  # as typed, inert
    assert not any(t["text"].startswith("Blockers") for t in given_back)  # empty: left out
    assert blocks[-1]["elements"][0]["value"] == "7"


def test_without_a_partnership_there_is_no_button() -> None:
    blocks = not_saved_blocks("you aren't a member.", [("Momentum", "4 · good")], None)
    assert [b["type"] for b in blocks] == ["section", "section"]
