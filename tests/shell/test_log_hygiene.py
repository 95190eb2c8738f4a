"""Requests that fail signature verification leave one line, never their contents."""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import pytest
from slack_bolt.middleware.request_verification import RequestVerification
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse

from bot.playground.standin import StandIn
from bot.playground.standin.driver import SlackDriver, signature
from bot.playground.standin.server import BOT_TOKEN, SIGNING_SECRET
from bot.shell.settings import configure_logging
from tests.conftest import EXAMPLE
from tests.processes import free_port, lpbot_env, lpbot_process, wait_until_up

MARKER = "Zanzibar-quokka-free-text"
HOUR_AGO = str(int(time.time()) - 3600)


def checkin_body(text: str) -> bytes:
    """A check-in modal's submission as Slack posts it, carrying ``text`` as free text."""
    view = {"type": "modal", "callback_id": "checkin", "state": {"values": {
        "highlights": {"highlights": {"type": "plain_text_input", "value": text}}}}}
    payload = {"type": "view_submission", "user": {"id": "U0NOBODY"}, "view": view}
    return urlencode({"payload": json.dumps(payload)}).encode()


def command_body(text: str) -> bytes:
    return urlencode({"command": "/lp", "user_id": "U0NOBODY", "text": text}).encode()


def refused_by_bolt(body: bytes, headers: dict[str, str]) -> int:
    """Run Bolt's real signature check on one request; the status it answers."""
    request = BoltRequest(body=body.decode(), headers=dict(headers))
    verification = RequestVerification(SIGNING_SECRET)
    answer = verification.process(req=request, resp=BoltResponse(status=404),
                                  next=lambda: BoltResponse(status=200))
    return answer.status


@pytest.mark.parametrize(("headers", "reason"), [
    ({}, "unsigned"),
    ({"x-slack-request-timestamp": "1700000000"}, "no signature"),
    ({"x-slack-signature": "v0=abc"}, "no timestamp"),
    ({"x-slack-request-timestamp": HOUR_AGO, "x-slack-signature": "v0=abc"},
     "stale timestamp"),
    ({"x-slack-request-timestamp": "NOW", "x-slack-signature": "v0=abc"},
     "signature mismatch"),
])
def test_bolt_refusal_becomes_reason_and_size(caplog: pytest.LogCaptureFixture,
                                              headers: dict[str, str], reason: str) -> None:
    configure_logging("INFO")
    body = checkin_body(MARKER + "\nforged: line")
    # "NOW" is read when the test runs, not when it is collected: a long suite would
    # otherwise make a fresh timestamp stale before this test gets to it.
    headers = {k: str(int(time.time())) if v == "NOW" else v for k, v in headers.items()}
    with caplog.at_level(logging.INFO):
        assert refused_by_bolt(body, headers) == 401
    assert MARKER not in caplog.text and "forged" not in caplog.text
    assert [r.getMessage() for r in caplog.records] == [
        f"request refused: {reason}, {len(body)}-byte body"]


def test_header_text_cannot_lengthen_the_line(caplog: pytest.LogCaptureFixture) -> None:
    configure_logging("INFO")
    forged = {"x-slack-request-timestamp": HOUR_AGO,
              "x-slack-signature": f"{MARKER}, timestamp: 1, body: {MARKER}"}
    with caplog.at_level(logging.INFO):
        assert refused_by_bolt(command_body("x"), forged) == 401
    assert MARKER not in caplog.text
    assert len(caplog.records) == 1


def post(url: str, body: bytes, headers: dict[str, str]) -> int:
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/x-www-form-urlencoded", **headers})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def test_serve_logs_one_line_per_refused_request(tmp_path: Path, sqlite_url: str) -> None:
    port = free_port()
    big = command_body(MARKER * 38_000)  # about 1 MB, just under the size limit
    fresh = str(int(time.time()))
    requests = [  # (body, headers, the reason the log should give)
        (big, {}, "unsigned"),
        (checkin_body(MARKER), {"X-Slack-Request-Timestamp": HOUR_AGO,
                                "X-Slack-Signature": signature(SIGNING_SECRET, HOUR_AGO,
                                                               checkin_body(MARKER))},
         "stale timestamp"),
        (command_body(MARKER), {"X-Slack-Request-Timestamp": fresh,
                                "X-Slack-Signature": signature("wrong", fresh,
                                                               command_body(MARKER))},
         "signature mismatch"),
    ]
    with StandIn() as standin:
        env = lpbot_env(SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET,
                        SLACK_API_URL=standin.api_url, DATABASE_URL=sqlite_url,
                        LPBOT_PROGRAMME=str(EXAMPLE))
        log = tmp_path / "serve.log"
        with lpbot_process(["serve", "--host", "127.0.0.1", "--port", str(port)], env,
                           log) as process:
            url = f"http://127.0.0.1:{port}/slack/events"
            wait_until_up(f"http://127.0.0.1:{port}/healthz", process, log)
            before = log.stat().st_size
            for body, headers, _ in requests:
                assert post(url, body, headers) == 401
            # A signed request still gets through and is not reported as refused.
            driver = SlackDriver(standin, app_url=url)
            assert driver.command("U0NOBODY", "help").status == 200
            written = log.read_text()[before:]
    assert MARKER not in written
    assert len(written) < 2_000, written
    refused = [line for line in written.splitlines() if "refused" in line]
    assert len(refused) == len(requests), written
    for line, (body, _, reason) in zip(refused, requests, strict=True):
        assert line.endswith(f"request refused: {reason}, {len(body)}-byte body"), line
