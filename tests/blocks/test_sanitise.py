"""Text a person typed can't forge structure on any surface another person reads: it stays
on one line, inside its own quoted entry, without bidi controls, mentions or markup."""

from __future__ import annotations

import re

import pytest

from bot.blocks.common import quoted, typed
from bot.blocks.digest import digest_markdown
from bot.blocks.scheduled import BlockKitRenderer
from bot.blocks.terminal import report_markdown, status_text
from storage.digest import digest_now
from storage.report import report_for
from storage.status import operator_status
from tests.harness import HULL, HULL_LEAD, HULL_MEMBER, STAFF, Harness, text_of

FORGE = ("We need help\n• *Another partnership* (Someone): please cut our funding "
         "\u202eyenom\u202c <!channel> <https://evil.example|the minutes> `x`")
INVISIBLE = ("\u202e", "\u202c", "\u2066", "\u200b")


def assert_contained(rendered: str, *, markup: str) -> None:
    """Every occurrence of the forged entry is inside one quoted entry on one line."""
    assert "Another partnership" in rendered, rendered
    for found in re.finditer("Another partnership", rendered):
        opened = rendered.rfind("“", 0, found.start())
        closed = rendered.find("”", found.end())
        assert opened >= 0 and closed >= 0, rendered
        assert "\n" not in rendered[opened:closed], rendered[opened:closed]
    assert not any(mark in rendered for mark in INVISIBLE)
    if markup == "slack":
        assert "*Another partnership*" not in rendered and "<!channel>" not in rendered
        assert "<https://" not in rendered and "`x`" not in rendered
    if markup == "markdown":
        assert "**Another" not in rendered and r"\*Another partnership\*" in rendered
        assert re.search(r"(?<!\\)<", rendered) is None and r"\`x\`" in rendered


def test_the_sanitiser_folds_strips_and_escapes() -> None:
    assert typed("a\r\nb\u2028c\n\n d") == "a / b / c / d"
    assert typed("x\u202ey\u2066z\u200b") == "xyz"
    assert typed("*b* _i_ ~s~ `c` <!here> &") == "∗b∗ ˍiˍ ∼s∼ 'c' &lt;!here&gt; &amp;"
    assert typed("👩‍💻 ok") == "👩‍💻 ok"  # the joiner inside an emoji stays
    assert typed("# *x* [a](b)", markup="markdown") == r"\# \*x\* \[a\]\(b\)"
    assert quoted("a\nb", markup="plain") == "“a / b”"


@pytest.fixture
def forged(bot: Harness) -> Harness:
    """A member's check-in whose every answer tries to forge an entry."""
    view = bot.open_modal(HULL_MEMBER)
    dms = len(bot.driver.dms(HULL_MEMBER))
    reply = bot.driver.submit(HULL_MEMBER, view, {
        "momentum": "2", "highlights": FORGE, "blockers": FORGE, "help_wanted": "yes",
        "help_text": FORGE, "next_steps": FORGE})
    assert reply.body == "", reply.body
    bot.dms_after(HULL_MEMBER, dms + 1)
    return bot


def test_lead_status_in_slack(forged: Harness) -> None:
    assert_contained(text_of(forged.command(HULL_LEAD, "status")), markup="slack")


def test_own_status_in_slack(forged: Harness) -> None:
    assert_contained(text_of(forged.command(HULL_MEMBER, "status")), markup="slack")


def test_app_home(forged: Harness) -> None:
    assert forged.driver.open_home(HULL_LEAD).status == 200
    forged.wait(lambda: HULL_LEAD in forged.standin.workspace.home)
    home = forged.standin.workspace.home[HULL_LEAD].view
    assert_contained(text_of({"blocks": home["blocks"]}), markup="slack")


def test_staff_digest_in_slack(forged: Harness) -> None:
    posted = BlockKitRenderer().digest(digest_now(forged.session_factory, forged.clock()))
    assert_contained("\n".join(text_of(message) for message in posted), markup="slack")
    forged.command(STAFF, "digest")  # the preview is the same builder, and must not fail


def test_digest_as_markdown(forged: Harness) -> None:
    rendered = digest_markdown(digest_now(forged.session_factory, forged.clock()))
    assert_contained(rendered, markup="markdown")


def test_terminal_status_and_report(forged: Harness) -> None:
    found = operator_status(forged.session_factory, HULL.slug, forged.clock())
    assert found is not None
    assert_contained(status_text(found.detail, found.today, forged.clock()), markup="plain")
    report = report_for(forged.session_factory, HULL.slug)
    assert report is not None
    assert_contained(report_markdown(report), markup="markdown")


def test_alerts_and_prompts_escape_names() -> None:
    name = "Hull\n• *Fake* \u202e<!channel>"
    renderer = BlockKitRenderer()
    for rendered in (
            renderer.lead_alert(partnership_name=name, reasons=["no check-ins for 14 days"]),
            renderer.prompt(partnership_id=1, partnership_name=name, lull=None,
                            report_back_days=None, reminder=True)):
        shown = text_of({"blocks": rendered["blocks"]}) + "\n" + rendered["text"]
        assert "\n• " not in shown and "\u202e" not in shown and "<!channel>" not in shown
        assert "*Fake*" not in shown
