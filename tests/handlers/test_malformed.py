"""Signed payloads of shapes Slack never sends: a 4xx and one log line, never a traceback."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from storage.models import Checkin
from tests.harness import HULL, HULL_MEMBER, Harness

FORM = "application/x-www-form-urlencoded"


def interactive(payload: dict[str, Any]) -> bytes:
    return urlencode({"payload": json.dumps(payload)}).encode()


def base(kind: str) -> dict[str, Any]:
    return {"type": kind, "team": {"id": "T0LOCAL"}, "api_app_id": "A0LPBOT",
            "user": {"id": HULL_MEMBER}, "trigger_id": "1.2.t"}


def submission(bot: Harness, **view: Any) -> bytes:
    opened = bot.open_modal(HULL_MEMBER).as_slack()
    return interactive({**base("view_submission"), "view": {**opened, **view}})


def click(bot: Harness, action: dict[str, Any], **extra: Any) -> bytes:
    payload = {**base("block_actions"), "actions": [action], **extra}
    for key, value in extra.items():
        if value is None:
            del payload[key]
    return interactive(payload)


def pulse(bot: Harness) -> dict[str, Any]:
    return {"action_id": "pulse_3", "type": "button",
            "value": str(bot.partnership_id(HULL.slug))}


def command_without_response_url(bot: Harness) -> bytes:
    return urlencode({"command": "/lp", "text": "status", "user_id": HULL_MEMBER,
                      "team_id": "T0LOCAL", "trigger_id": "1.2.t"}).encode()


MALFORMED: dict[str, tuple[str, Callable[[Harness], bytes]]] = {
    "view.blocks a string": (FORM, lambda bot: submission(bot, blocks="blocks")),
    "view.blocks null": (FORM, lambda bot: submission(bot, blocks=None)),
    "view.blocks not objects": (FORM, lambda bot: submission(bot, blocks=[1, "x", None])),
    "view.state a list": (FORM, lambda bot: submission(bot, state=[])),
    "actions [{}]": (FORM, lambda bot: click(bot, {})),
    "actions []": (FORM, lambda bot: interactive({**base("block_actions"), "actions": []})),
    "event a list": ("application/json", lambda bot: json.dumps({
        "type": "event_callback", "team_id": "T0LOCAL", "api_app_id": "A0LPBOT",
        "event": [{"type": "app_home_opened"}]}).encode()),
    "click without trigger_id": (FORM, lambda bot: click(bot, {
        "action_id": "open_checkin", "type": "button",
        "value": str(bot.partnership_id(HULL.slug))}, trigger_id=None)),
    "pulse with a string container": (FORM, lambda bot: click(bot, pulse(bot),
                                                              container="message")),
    "pulse with a list container": (FORM, lambda bot: click(bot, pulse(bot), container=[1])),
    "user a string": (FORM, lambda bot: interactive({**base("block_actions"), "user": "U1",
                                                     "actions": [pulse(bot)]})),
    "command without response_url": (FORM, command_without_response_url),
    "command whose response_url is no URL": (FORM, lambda bot: urlencode({
        "command": "/lp", "text": "status", "user_id": HULL_MEMBER, "team_id": "T0LOCAL",
        "trigger_id": "1.2.t", "response_url": '{"value": "x"}'}).encode()),
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_malformed_signed_payload_is_refused_in_one_line(
        bot: Harness, caplog: pytest.LogCaptureFixture, case: str) -> None:
    kind, build = MALFORMED[case]
    body = build(bot)
    caplog.clear()
    with caplog.at_level(logging.INFO):
        reply = bot.driver.post_raw(body, kind)
    assert 400 <= reply.status < 500, (reply.status, reply.body)
    assert "Traceback" not in caplog.text and not any(r.exc_info for r in caplog.records)
    assert len(caplog.records) == 1, caplog.text
    assert HULL_MEMBER not in caplog.text or "user=" in caplog.text
    with bot.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Checkin)) == 0


def test_unsigned_request_with_a_malformed_timestamp_is_a_401(
        bot: Harness, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        reply = bot.driver.post_raw(b"command=%2Flp&text=help", FORM, headers={
            "X-Slack-Request-Timestamp": "abc", "X-Slack-Signature": ""})
    assert reply.status == 401
    assert [r.getMessage() for r in caplog.records] == [
        "request refused: malformed timestamp, 23-byte body"]
