"""Nothing a request carries can start a line of its own in the log."""

from __future__ import annotations

import json
import logging
from urllib.parse import urlencode

import pytest
from sqlalchemy import text

from bot.shell import log_hygiene
from storage.db import StorageError, make_engine
from tests.harness import HULL, HULL_MEMBER, Harness

FORM = "application/x-www-form-urlencoded"
FORGED = "\nINJECTED-LOG-LINE level=ERROR \u202eevil"


def assert_one_line_each(caplog: pytest.LogCaptureFixture) -> None:
    for record in caplog.records:
        message = record.getMessage()
        assert "\n" not in message and "\r" not in message, message
        assert "\u202e" not in message, message


def test_record_arguments_are_escaped_onto_one_line(caplog: pytest.LogCaptureFixture) -> None:
    log_hygiene.install()
    log_hygiene.install()  # idempotent
    with caplog.at_level(logging.INFO):
        logging.getLogger("lpbot.anything").info("user=%s n=%d", "U1" + FORGED, 3)
        logging.getLogger("other.library").info("%(who)s", {"who": "x\r\ny"})
    assert [r.getMessage() for r in caplog.records] == [
        "user=U1\\nINJECTED-LOG-LINE level=ERROR \\u202eevil n=3", "x\\r\\ny"]


def test_forged_values_in_signed_requests_stay_on_their_line(
        bot: Harness, caplog: pytest.LogCaptureFixture) -> None:
    log_hygiene.install()
    partnership = str(bot.partnership_id(HULL.slug))
    with caplog.at_level(logging.INFO):
        bot.driver.command(HULL_MEMBER, "x" + FORGED)
        bot.driver.post_raw(urlencode({
            "command": "/lp", "text": "help", "user_id": "U1" + FORGED, "team_id": "T0LOCAL",
            "trigger_id": "1.2.t", "response_url": bot.standin.new_response_url("U1")}
        ).encode(), FORM)
        bot.driver.post_raw(urlencode({"payload": json.dumps({
            "type": "block_actions", "user": {"id": "U2" + FORGED}, "trigger_id": "1.2.t",
            "team": {"id": "T0LOCAL"}, "actions": [
                {"action_id": "snooze", "type": "button", "value": partnership}]})}).encode(),
            FORM)
        bot.driver.post_raw(urlencode({"payload": json.dumps({
            "type": "type" + FORGED, "user": {"id": HULL_MEMBER}})}).encode(), FORM)
        calls = len(bot.standin.calls)
        bot.driver.event({"type": "app_home_opened", "user": "U3" + FORGED, "tab": "home"})
        bot.wait(lambda: len(bot.standin.calls) >= calls + 2)  # users.info, views.publish
    assert any("user='U1\\nINJECTED" in r.getMessage() for r in caplog.records), caplog.text
    assert_one_line_each(caplog)


def test_a_failed_statement_never_shows_what_was_written(database_url: str) -> None:
    """A storage error is logged with its traceback: its message must not carry the
    check-in text the statement was writing."""
    engine = make_engine(database_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO person (id, slack_user_id, name, is_staff, active, "
                              "reminders_enabled) VALUES (1, 'U1', :name, false, true, true)"),
                         {"name": "Secret Hull highlight"})
            conn.execute(text("INSERT INTO person (id, slack_user_id, name, is_staff, active, "
                              "reminders_enabled) VALUES (1, 'U1', :name, false, true, true)"),
                         {"name": "Secret Hull highlight"})
    except StorageError as error:
        assert "Secret Hull highlight" not in str(error)
    else:
        pytest.fail("the duplicate insert should have failed")
    finally:
        engine.dispose()
