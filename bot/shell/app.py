"""The bare Bolt app: verification, retries skipped, the last-resort error handler.

Listeners are added by the composition root (``bot.compose``), so this shell knows
nothing of them; importing it starts nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltResponse
from slack_bolt.error import BoltUnhandledRequestError
from slack_sdk import WebClient

from bot.shell.payload_shape import RefuseMalformed

logger = logging.getLogger("lpbot.app")
# Only these reach the log as they are; any other type a payload names is "other".
KNOWN_KINDS = ("block_actions", "view_submission", "view_closed", "event_callback",
               "shortcut", "message_action", "block_suggestion", "url_verification", "/lp")


def create_bolt_app(*, client: WebClient, signing_secret: str | None = None,
                    verify_token: bool = True) -> App:
    """A Bolt app with no listeners yet.

    ``signing_secret`` is required for HTTP mode (requests are then verified); Socket
    Mode passes None, as its envelopes arrive over an authenticated WebSocket.
    """
    app = App(
        client=client,
        signing_secret=signing_secret or "socket-mode-does-not-sign",
        request_verification_enabled=signing_secret is not None,
        token_verification_enabled=verify_token,
        raise_error_for_unhandled_request=True,
        ignoring_self_events_enabled=False,
        # After the signature check, before Bolt's own middleware reads the payload.
        before_authorize=RefuseMalformed(),
        # Listeners run on the request's own thread and the response leaves when they
        # return. Every lpbot listener acks and hands its work to the answer pool (or, a
        # modal, validates and stores first), so this only removes Bolt's hop to its
        # executor and its wait for ack() in 10 ms sleeps: an ack no longer waits for
        # a free executor thread, nor for the next poll.
        process_before_response=True,
    )
    app.use(_skip_event_retries)

    @app.error
    def handle_error(error: Exception, body: dict[str, Any]) -> BoltResponse | None:
        if isinstance(error, BoltUnhandledRequestError):
            kind = body.get("type") or body.get("command")
            logger.info("unhandled request type=%s", kind if kind in KNOWN_KINDS else "other")
            return BoltResponse(status=200, body="")
        logger.error("listener error type=%s", type(error).__name__, exc_info=error)
        return None

    return app


def _skip_event_retries(body: dict[str, Any], next: Callable[[], BoltResponse | None],
                        request: Any) -> BoltResponse | None:
    """Slack retries an event it thinks went unanswered; we always ack at once, so a retry
    is a repeat of work already done and is acknowledged without acting again."""
    retry = request.headers.get("x-slack-retry-num") if request is not None else None
    if retry and body.get("type") == "event_callback":
        num = str(retry[0] if isinstance(retry, list) else retry)
        logger.info("skipped event retry num=%s", num if num.isdigit() else "?")
        return BoltResponse(status=200, body="")
    return next()
