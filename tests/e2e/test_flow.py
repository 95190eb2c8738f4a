"""The whole path through real HTTP: slash command, modal, submission, DM, status."""

from __future__ import annotations

import time

from sqlalchemy import func, select

from storage.models import Checkin
from tests.harness import HULL, HULL_LEAD, HULL_MEMBER, Harness, text_of


def checkin_values(view: object, momentum: str = "4") -> dict[str, str]:
    blocks = view.view["blocks"]  # type: ignore[attr-defined]
    first_objective = next(b["block_id"] for b in blocks
                           if b.get("block_id", "").startswith("obj_status:"))
    return {"momentum": momentum, first_objective: "at_risk",
            "highlights": "Good workshop with the Chamber <!channel>",
            "blockers": "Waiting on data sharing agreement"}


def test_command_modal_submit_dm_and_status(bot: Harness) -> None:
    view = bot.open_modal(HULL_MEMBER)
    assert view.view["callback_id"] == "checkin"
    reply = bot.driver.submit(HULL_MEMBER, view, checkin_values(view))
    assert reply.status == 200 and reply.body == ""
    dms = bot.dms_after(HULL_MEMBER, 1)
    assert "your check-in for *Hull: inclusive growth* is in" in dms[-1].text
    with bot.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Checkin)) == 1
    status = text_of(bot.command(HULL_LEAD, "status"))
    assert f"1 of {len(HULL.members)} members have checked in" in status
    assert "Waiting on data sharing agreement" in status
    assert "<!channel>" not in status  # echoed text is escaped


def test_double_submission_stores_once(bot: Harness) -> None:
    view = bot.open_modal(HULL_MEMBER)
    values = checkin_values(view)
    assert bot.driver.submit(HULL_MEMBER, view, values).status == 200
    assert bot.driver.submit(HULL_MEMBER, view, values).status == 200
    bot.dms_after(HULL_MEMBER, 1)
    with bot.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Checkin)) == 1
    assert len(bot.driver.dms(HULL_MEMBER)) == 1


def test_forged_signature_and_stale_timestamp_are_refused(bot: Harness) -> None:
    body = b"command=%2Flp&text=help&user_id=" + HULL_MEMBER.encode()
    forged = bot.driver.post_raw(body, "application/x-www-form-urlencoded",
                                 sign_with="not-the-secret")
    assert forged.status == 401
    stale = bot.driver.post_raw(body, "application/x-www-form-urlencoded",
                                timestamp=str(int(time.time()) - 301))
    assert stale.status == 401
    assert bot.standin.calls_to("chat.postMessage", ok=None) == []


def test_healthz_checks_the_database(bot: Harness) -> None:
    import urllib.request

    with urllib.request.urlopen(bot.base_url + "/healthz") as response:
        assert response.status == 200
