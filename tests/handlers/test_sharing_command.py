"""`/lp sharing` through signed requests: leads set it, others can't, the modal says it."""

from __future__ import annotations

from sqlalchemy import select

from bot.blocks import messages as msg
from storage import audit
from storage.models import Partnership
from tests.harness import BRIGHTON, HULL, HULL_LEAD, HULL_MEMBER, STAFF, Harness, text_of


def stored_sharing(bot: Harness, slug: str) -> str:
    with bot.session_factory() as session:
        return str(session.scalar(select(Partnership.sharing).where(Partnership.slug == slug)))


def test_lead_sees_and_sets_sharing(bot: Harness) -> None:
    shown = text_of(bot.command(HULL_LEAD, "sharing"))
    assert "shares *summary*" in shown and f"<#{HULL.channel}>" in shown
    answer = text_of(bot.command(HULL_LEAD, "sharing FULL"))
    assert "now shares *full*" in answer and msg.SHARING_MEANS["full"] in answer
    assert stored_sharing(bot, HULL.slug) == "full"
    assert "now shares *off*" in text_of(bot.command(HULL_LEAD, f"sharing off {HULL.slug}"))
    assert stored_sharing(bot, HULL.slug) == "off"


def test_only_the_partnerships_own_lead_may_set_it(bot: Harness) -> None:
    assert msg.LEADS_ONLY in text_of(bot.command(HULL_MEMBER, "sharing full"))
    assert msg.LEADS_ONLY in text_of(bot.command(STAFF, "sharing full"))
    assert msg.NOT_YOUR_PARTNERSHIP in text_of(
        bot.command(HULL_LEAD, f"sharing full {BRIGHTON.slug}"))
    assert stored_sharing(bot, HULL.slug) == "summary"
    assert stored_sharing(bot, BRIGHTON.slug) == "summary"


def test_bad_words_get_the_usage(bot: Harness) -> None:
    assert msg.SHARING_USAGE in text_of(bot.command(HULL_LEAD, "sharing everything <!here>"))
    assert stored_sharing(bot, HULL.slug) == "summary"


def test_help_lists_sharing_for_leads_only(bot: Harness) -> None:
    assert "/lp sharing" in text_of(bot.command(HULL_LEAD, "help"))
    assert "/lp sharing" not in text_of(bot.command(HULL_MEMBER, "help"))


def test_checkin_modal_says_what_is_shared_and_where(bot: Harness) -> None:
    view = bot.open_modal(HULL_MEMBER)
    shown = text_of({"blocks": view.view["blocks"]})
    assert msg.CHECKIN_SHARES["summary"].format(channel=f"<#{HULL.channel}>") in shown
    bot.command(HULL_LEAD, "sharing off")
    view = bot.open_modal(HULL_MEMBER)
    assert msg.CHECKIN_SHARES_NOTHING in text_of({"blocks": view.view["blocks"]})


def test_a_change_is_in_the_audit_log_as_the_leads(bot: Harness) -> None:
    bot.command(HULL_LEAD, "sharing off")
    bot.command(HULL_LEAD, "sharing off")  # no change: nothing more to log
    logged = [(c.actor, c.what, c.before, c.after)
              for c in audit.changes(bot.session_factory, programme_only=True)
              if "sharing" in c.after]
    assert logged == [(HULL_LEAD, f"partnership {HULL.slug}", {"sharing": "summary"},
                       {"sharing": "off"})]
