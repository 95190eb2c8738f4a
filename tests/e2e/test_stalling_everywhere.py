"""One lull-aware rule: a quiet partnership is stalling on every surface at the same moment
(lead alert, `/lp status`, App Home, the digest), or on none.

Hull's last check-in is 16 days old. The usual wait before stalling is 21 days; in a lull
it is two thirds of that (14), so in the winter lull Hull is stalling and in November,
with the same quiet gap, it is not. Before the redesign the alert used the lull's
threshold and the other surfaces the usual one, so they disagreed.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from scheduler.tick import tick
from storage.models import Checkin, CheckinRound, Delivery, Partnership, Person
from storage.tallies import retally_all
from tests.harness import HULL, HULL_LEAD, HULL_MEMBER, STAFF, Harness, text_of
from tests.simulation import utc

QUIET = timedelta(days=16)


def _seed_quiet_hull(bot: Harness, now: datetime) -> None:
    """A round that opened five weeks ago and one check-in, ``QUIET`` ago."""
    with bot.session_factory.begin() as session:
        hull = session.scalar(select(Partnership).where(Partnership.slug == HULL.slug))
        member = session.scalar(select(Person).where(Person.slack_user_id == HULL_MEMBER))
        assert hull is not None and member is not None
        opened = now - timedelta(weeks=5)
        old = CheckinRound(partnership_id=hull.id, kind="regular", opens_at=opened,
                           due_at=opened + timedelta(weeks=2))
        session.add(old)
        session.flush()
        session.add(Checkin(person_id=member.id, partnership_id=hull.id, round_id=old.id,
                            submitted_at=now - QUIET, momentum=3, source="modal"))
        retally_all(session)


def _surfaces(bot: Harness) -> dict[str, bool]:
    """Whether each surface says Hull is stalling, all read at the same moment."""
    now = bot.clock()
    tick(bot.session_factory, now, bot.runtime.wiring.renderer)
    with bot.session_factory() as session:
        alerted = session.scalar(select(Delivery.id).where(
            Delivery.kind == "lead_alert", Delivery.recipient == HULL_LEAD)) is not None
    status = text_of(bot.command(HULL_LEAD, "status"))
    assert bot.driver.open_home(HULL_LEAD).status == 200
    home = text_of({"blocks": bot.wait(lambda: bot.standin.workspace.home.get(HULL_LEAD)
                                       ).view["blocks"]})
    digest = text_of(bot.command(STAFF, "digest"))
    return {"lead alert": alerted, "status": "Stalling" in status,
            "app home": "Stalling" in home,
            "digest": "1 of 15 partnerships stalling" in digest}


@pytest.mark.parametrize(("moment", "stalling"), [
    (utc(2026, 12, 17, 11), True),  # winter pressure: wait shortened to 14 days
    (utc(2026, 11, 19, 11), False),  # no lull: 21 days
])
def test_every_surface_agrees_on_stalling(bot: Harness, moment: datetime,
                                          stalling: bool) -> None:
    bot.clock.set(moment)
    _seed_quiet_hull(bot, moment)
    assert _surfaces(bot) == dict.fromkeys(
        ("lead alert", "status", "app home", "digest"), stalling)
