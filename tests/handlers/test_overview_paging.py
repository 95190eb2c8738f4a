"""`/lp status all` pages through every partnership, most in need first; the buttons
page for staff only, checked again on every click."""

from __future__ import annotations

import copy
from collections.abc import Iterator

import pytest
import yaml

from bot.blocks import ids
from bot.blocks import messages as msg
from storage.clock import SteppingClock
from storage.db import SessionFactory
from storage.importer import import_programme
from storage.programme import parse_programme
from storage.status import OVERVIEW_PAGE
from tests.conftest import EXAMPLE
from tests.harness import HULL_LEAD, STAFF, Harness, running_bot, text_of

EXTRA = 25  # 15 + 25 = 40 partnerships: three pages


@pytest.fixture
def big_bot(session_factory: SessionFactory, clock: SteppingClock) -> Iterator[Harness]:
    raw = yaml.safe_load(EXAMPLE.read_text())
    template = raw["partnerships"][0]
    for n in range(EXTRA):
        extra = copy.deepcopy(template)
        extra.update(slug=f"extra-{n:02d}", name=f"Extra partnership {n:02d}", members=[],
                     leads=[], channel=None)
        raw["partnerships"].append(extra)
    with session_factory.begin() as session:
        import_programme(parse_programme(raw), session=session, now=clock())
    with running_bot(session_factory, clock) as harness:
        yield harness


NAMES = [p["name"] for p in yaml.safe_load(EXAMPLE.read_text())["partnerships"]] + [
    f"Extra partnership {n:02d}" for n in range(EXTRA)]


def _names(answer: dict) -> list[str]:  # type: ignore[type-arg]
    text = text_of(answer).replace("&amp;", "&")
    return [name for name in NAMES if f"*{name}*" in text]


def test_staff_page_forward_and_back(big_bot: Harness) -> None:
    bot = big_bot
    first = bot.command(STAFF, "status all")
    assert msg.OVERVIEW_PAGE.format(page=1, pages=3, total=40) in text_of(first)
    assert len(_names(first)) <= OVERVIEW_PAGE
    seen = [first]
    for page in (2, 3):
        before = len(bot.driver.ephemerals(STAFF))
        reply = bot.driver.click(STAFF, f"{ids.OVERVIEW_PAGE}_next", ephemeral=seen[-1])
        assert reply.status == 200
        seen.append(bot.reply_to(STAFF, before))
        assert seen[-1]["replace_original"] is True
        assert msg.OVERVIEW_PAGE.format(page=page, pages=3, total=40) in text_of(seen[-1])
    with pytest.raises(LookupError):  # the last page has no "More"
        bot.driver.click(STAFF, f"{ids.OVERVIEW_PAGE}_next", ephemeral=seen[-1])
    before = len(bot.driver.ephemerals(STAFF))
    bot.driver.click(STAFF, f"{ids.OVERVIEW_PAGE}_previous", ephemeral=seen[-1])
    assert "Page 2 of 3" in text_of(bot.reply_to(STAFF, before))
    pages = [_names(answer) for answer in seen]
    assert sorted(n for page in pages for n in page) == sorted(NAMES)  # each exactly once


def test_a_lead_clicking_a_forged_page_button_is_refused(big_bot: Harness) -> None:
    bot = big_bot
    page = bot.command(STAFF, "status all")  # a staff answer, replayed by a lead
    before = len(bot.driver.ephemerals(HULL_LEAD))
    assert bot.driver.click(HULL_LEAD, f"{ids.OVERVIEW_PAGE}_next", ephemeral=page
                            ).status == 200
    refusal = bot.reply_to(HULL_LEAD, before)
    assert msg.NOT_YOUR_PARTNERSHIP in text_of(refusal)
    assert "Extra partnership" not in text_of(refusal)
