"""The digest builder: split under Slack's limits with nothing dropped, and as Markdown."""

from __future__ import annotations

from datetime import UTC, datetime

from bench.data import build_programme
from bot.blocks.digest import digest_blocks, digest_markdown, digest_messages, split
from bot.playground.standin.blockkit import check_message
from storage.db import SessionFactory
from storage.digest import build_digest

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)


def test_digest_splits_long_content_into_threaded_parts(session_factory: SessionFactory) -> None:
    build_programme(session_factory, partnerships=1000, members=10, weeks=2, now=NOW)
    with session_factory() as session:
        digest = build_digest(session, NOW)
    messages = digest_messages(digest)
    assert len(messages) >= 2
    assert "Continued in" in str(messages[0].blocks[-1].to_dict())
    every = [b.to_dict() for m in messages for b in m.blocks]
    whole = [b.to_dict() for b in digest_blocks(digest)]
    assert [b for b in every if "Continued in" not in str(b)] == whole  # nothing dropped
    for message in messages:
        assert check_message(message.text, [b.to_dict() for b in message.blocks]) == []
    text = digest_markdown(digest)
    assert text.split("## Help requested")[0].count("- **Partnership ") == 1000
    assert "Common ground" in text and "data sharing" in text


def test_split_keeps_short_digest_whole() -> None:
    from bot.blocks.common import mrkdwn_section

    assert len(split([mrkdwn_section("x")] * 10, "t")) == 1
