"""The composition root: build the Bolt app from settings, storage, clock and client."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltResponse
from slack_bolt.error import BoltUnhandledRequestError
from slack_sdk import WebClient

from bot.shell.deps import Deps
from handlers import register_all
from scheduler.delivery import DeliveryWorker, RateLimiter
from storage.clock import Clock
from storage.db import SessionFactory
from storage.faults import FaultPoint

logger = logging.getLogger("lpbot.app")


def create_app(*, client: WebClient, session_factory: SessionFactory, clock: Clock,
               signing_secret: str | None = None, verify_token: bool = True) -> App:
    """A Bolt app with every listener wired; importing this module starts nothing.

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
    )
    app.use(_skip_event_retries)
    sender = DeliveryWorker(session_factory, client, clock, limiter=RateLimiter(0))
    register_all(app, Deps(session_factory=session_factory, clock=clock,
                           send_now=sender.deliver_now, fault=FaultPoint.from_env()))

    @app.error
    def handle_error(error: Exception, body: dict[str, Any]) -> BoltResponse | None:
        if isinstance(error, BoltUnhandledRequestError):
            logger.info("unhandled request type=%s", body.get("type") or body.get("command"))
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
        logger.info("skipped event retry num=%s", retry[0] if isinstance(retry, list) else retry)
        return BoltResponse(status=200, body="")
    return next()
