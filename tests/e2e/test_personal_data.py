"""Personal data through the stand-in: /lp privacy, /lp my data, staff erasure, leavers."""

from __future__ import annotations

import io
import json
import logging
import threading
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from bot.blocks import ids
from bot.blocks import messages as msg
from storage.checkins import CheckinInput, ObjectiveAnswer, submit_checkin
from storage.erasure import erase_person
from storage.models import Checkin, Membership, Objective, Partnership, Person
from tests.harness import (
    BRIGHTON,
    HULL,
    HULL_MEMBER,
    OUTSIDER,
    STAFF,
    Harness,
    text_of,
)

NAME = next(m.name for m in HULL.members if m.slack_id == HULL_MEMBER)


def eventually(check: Callable[[], Any], timeout: float = 10.0) -> Any:
    """Wait for an effect the bot makes after its ack (a database change)."""
    pause = threading.Event()
    for _ in range(int(timeout / 0.02)):
        found = check()
        if found:
            return found
        pause.wait(0.02)
    raise AssertionError("never happened")


def own_logs(caplog: pytest.LogCaptureFixture) -> str:
    """lpbot's own log lines (slack_sdk's DEBUG output echoes bodies; it is off in
    production, where configure_logging keeps it at WARNING)."""
    return "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("lpbot"))


def two_partnership_member(bot: Harness) -> None:
    """HULL_MEMBER also joins Brighton, and checks in to both, with objective notes."""
    person = bot.person(HULL_MEMBER)
    hull, brighton = bot.partnership_id(HULL.slug), bot.partnership_id(BRIGHTON.slug)
    with bot.session_factory.begin() as session:
        session.add(Membership(person_id=person.id, partnership_id=brighton, role="member",
                               active=True))
        objective = session.scalar(select(Objective.id).where(
            Objective.partnership_id == hull, Objective.active))
    for pid, words in ((hull, "Hull & harbour <b>"), (brighton, "Brighton festival")):
        submit_checkin(bot.session_factory, person_id=person.id, slack_id=HULL_MEMBER,
                       partnership_id=pid, now=bot.clock(), data=CheckinInput(
                           momentum=4, highlights=f"{words} highlight", blockers="",
                           help_wanted=True, help_text=f"{words} help",
                           objectives={objective: ObjectiveAnswer("on_track", f"{words} note")}
                           if pid == hull and objective else {}))


def test_my_data_file_matches_the_database_and_is_limited(bot: Harness) -> None:
    two_partnership_member(bot)
    answer = bot.command(HULL_MEMBER, "my data")
    assert msg.MY_DATA_SENT in text_of(answer)
    shared = bot.wait(lambda: [m for m in bot.driver.dms(HULL_MEMBER) if m.files])
    assert shared[0].files[0]["name"] == "lpbot-my-data.zip"
    stored = bot.standin.workspace.files[shared[0].files[0]["id"]]
    with zipfile.ZipFile(io.BytesIO(stored.data)) as archive:
        data = json.loads(archive.read("data.json"))
        assert "checkins.csv" in archive.namelist()
    with bot.session_factory() as session:
        person = session.scalar(select(Person).where(Person.slack_user_id == HULL_MEMBER))
        checkins = session.scalars(select(Checkin).where(Checkin.person_id == person.id)
                                   .order_by(Checkin.submitted_at, Checkin.id)).all()
        slugs = dict(session.execute(select(Partnership.id, Partnership.slug)).all())
        expected = [{"checkin_id": c.id, "partnership": slugs[c.partnership_id],
                     "momentum": c.momentum, "highlights": c.highlights,
                     "help_text": c.help_text, "help_wanted": c.help_wanted}
                    for c in checkins]
        notes = [u.note for c in checkins for u in c.updates]
    assert data["profile"]["name"] == NAME and data["profile"]["slack_id"] == HULL_MEMBER
    assert [{k: c[k] for k in expected[0]} for c in data["checkins"]] == expected
    assert {c["partnership"] for c in data["checkins"]} == {HULL.slug, BRIGHTON.slug}
    assert [u["note"] for u in data["objective_updates"]] == notes
    assert {m["partnership"] for m in data["memberships"]} == {HULL.slug, BRIGHTON.slug}
    assert data["settings"]["reminders"] is True
    uploads = bot.standin.calls_to("files.completeUploadExternal")
    again = bot.command(HULL_MEMBER, "my data")
    assert msg.MY_DATA_LIMIT in text_of(again)
    assert len(bot.standin.calls_to("files.completeUploadExternal")) == len(uploads)


def test_a_failed_upload_does_not_use_up_the_day(bot: Harness) -> None:
    bot.standin.fail("files.getUploadURLExternal", "error", times=1,
                     error="file_uploads_disabled")
    assert msg.MY_DATA_FAILED in text_of(bot.command(HULL_MEMBER, "my data"))
    assert msg.MY_DATA_SENT in text_of(bot.command(HULL_MEMBER, "my data"))


def test_privacy_notice_for_members_and_outsiders(bot: Harness) -> None:
    notice = text_of(bot.command(HULL_MEMBER, "privacy"))
    assert "What it stores" in notice and "365 days after the report-back" in notice
    assert "sharing setting" in notice and "/lp my data" in notice
    assert msg.PRIVACY_NOTHING in text_of(bot.command(OUTSIDER, "privacy"))
    assert msg.MY_DATA_NOTHING in text_of(bot.command(OUTSIDER, "my data"))
    assert "my data" in text_of(bot.command(HULL_MEMBER, "help"))


def test_staff_erase_after_confirming(bot: Harness, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    two_partnership_member(bot)
    assert msg.STAFF_ONLY in text_of(bot.command(HULL_MEMBER, f"forget {STAFF}"))
    assert msg.FORGET_USAGE in text_of(bot.command(STAFF, "forget <script>"))
    assert "holds nothing" in text_of(bot.command(STAFF, "forget U0NOBODY1"))
    view = bot.open_modal(STAFF, f"forget <@{HULL_MEMBER}|someone>")
    assert view.view["callback_id"] == ids.ERASE_VIEW and NAME in json.dumps(view.view)
    before = len(bot.driver.dms(STAFF))
    assert bot.driver.submit(STAFF, view).status == 200
    done = bot.dms_after(STAFF, before + 1)[-1]
    assert "Erased: 2 check-in(s)" in done.text
    with bot.session_factory() as session:
        assert session.scalar(select(Person).where(Person.slack_user_id == HULL_MEMBER)) \
            is None
    assert "erased already" in text_of(bot.command(STAFF, f"forget {HULL_MEMBER}"))
    assert msg.MY_DATA_NOTHING in text_of(bot.command(HULL_MEMBER, "my data"))
    logged = own_logs(caplog)
    assert NAME not in logged and "Hull & harbour" not in logged and "festival" not in logged


def test_erasure_while_the_member_fills_in_a_checkin(bot: Harness) -> None:
    view = bot.open_modal(HULL_MEMBER, "checkin")
    erase_person(bot.session_factory, HULL_MEMBER, actor="cli", now=bot.clock())
    reply = bot.driver.submit(HULL_MEMBER, view, {ids.B_MOMENTUM: "4",
                                                  ids.B_HIGHLIGHTS: "Too late words"})
    assert reply.status == 200 and reply.json is None  # handed over; storage refuses it
    told = bot.dms_after(HULL_MEMBER, 1)[-1]
    assert "didn't save" in told.text and "no longer" in told.text
    with bot.session_factory() as session:
        assert session.scalar(select(Checkin.id).where(
            Checkin.highlights.contains("Too late"))) is None


def test_user_change_deactivates_and_reactivates(bot: Harness,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    user = dict(bot.standin.workspace.users[HULL_MEMBER], deleted=True)
    assert bot.driver.event({"type": "user_change", "user": user}).status == 200
    eventually(lambda: not bot.person(HULL_MEMBER).active)
    assert bot.person(HULL_MEMBER).left_slack_at is not None
    user["deleted"] = False
    assert bot.driver.event({"type": "user_change", "user": user}).status == 200
    eventually(lambda: bot.person(HULL_MEMBER).active)
    assert NAME not in own_logs(caplog)
