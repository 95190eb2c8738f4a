"""The delivery worker: send what the outbox holds, exactly once, through a narrow port.

A row is marked in flight (committed) before Slack is called, and the message carries its
dedupe key in ``metadata``. If the process dies between Slack's answer and the commit,
recovery finds the message in the conversation's history and records it instead of
sending it again.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Protocol

from slack_sdk.errors import SlackApiError

from scheduler.pacing import ChannelLimiter, RateLimiter
from storage.clock import Clock
from storage.db import SessionFactory, StorageError
from storage.faults import FaultPoint
from storage.outbox import (
    Claimed,
    claim_due,
    mark_dropped,
    mark_failed,
    mark_retry,
    mark_sent,
    parent_gone,
    parent_ts,
    stale_in_flight,
)

logger = logging.getLogger("lpbot.delivery")

PERMANENT = {"user_not_found", "account_inactive", "channel_not_found", "not_in_channel",
             "is_archived", "invalid_blocks", "no_text", "msg_too_long", "user_disabled",
             "cannot_dm_bot", "invalid_arguments", "restricted_action"}
STOP_ALL = {"invalid_auth", "token_revoked", "not_authed", "account_inactive_bot"}
METADATA_EVENT = "lpbot_delivery"


class SlackPort(Protocol):
    """The few Web API calls delivery needs; slack_sdk's WebClient is one."""

    def chat_postMessage(self, *, channel: str, **kwargs: Any) -> Any: ...

    def conversations_history(self, *, channel: str, **kwargs: Any) -> Any: ...

    def conversations_replies(self, *, channel: str, ts: str, **kwargs: Any) -> Any: ...

    def conversations_open(self, **kwargs: Any) -> Any: ...

    def conversations_join(self, *, channel: str, **kwargs: Any) -> Any: ...


@dataclass
class DeliveryReport:
    """What one pass did; counted from several sending threads, so under a lock."""

    sent: int = 0
    failed: int = 0
    retried: int = 0
    dropped: int = 0
    recovered: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def count(self, outcome: str, error: str | None = None) -> None:
        with self._lock:
            if outcome:
                setattr(self, outcome, getattr(self, outcome) + 1)
            if error:
                self.errors[error] = self.errors.get(error, 0) + 1


@dataclass
class DeliveryWorker:
    session_factory: SessionFactory
    client: SlackPort
    clock: Clock
    rate: float = 20.0
    concurrency: int = 4
    batch: int = 100
    lease: timedelta = timedelta(minutes=2)
    max_attempts: int = 6
    fault: FaultPoint = field(default_factory=lambda: FaultPoint(None))
    limiter: RateLimiter | None = None
    # Per channel; by default 1 a second when sending is paced at all (0: unpaced tests).
    channels: ChannelLimiter | None = None

    def __post_init__(self) -> None:
        self.limiter = self.limiter or RateLimiter(self.rate)
        self.channels = self.channels or ChannelLimiter(1.0 if self.rate > 0 else 0.0)

    def run_once(self, max_claims: int = 1000) -> DeliveryReport:
        """Recover stale rows, then send every due row; returns what happened.

        Sending is a pipeline: new rows are claimed as soon as fewer than twice the
        concurrency are in flight, so one slow retry never holds back the rest.
        """
        report = DeliveryReport()
        self.recover(report)
        # Claimed rows must be sent well inside the lease at the configured rate, or
        # another worker would take them for a crashed sender's and send them again.
        window = max(1, min(self.batch, self.concurrency * 4,
                            int(self.rate * self.lease.total_seconds() / 2)
                            if self.rate > 0 else self.batch))
        claims = 0
        with ThreadPoolExecutor(max_workers=self.concurrency) as pool:
            running: set[Future[None]] = set()
            exhausted = False
            while True:
                if not exhausted and len(running) < self.concurrency * 2:
                    with self.session_factory.begin() as session:
                        claimed = claim_due(session, self.clock(), window)
                    claims += 1
                    if claimed:
                        self.fault.reach("before_send")
                        running |= {pool.submit(self._deliver, row, report)
                                    for row in claimed}
                    exhausted = not claimed or claims >= max_claims
                if not running:
                    break
                _, running = wait(running, return_when=FIRST_COMPLETED)
                if report.errors.keys() & STOP_ALL:
                    exhausted = True
        return report

    def deliver_now(self, delivery_ids: list[int]) -> DeliveryReport:
        """Send these rows at once if they are still pending (a confirmation right after a
        check-in); whatever this misses, the next cycle sends."""
        report = DeliveryReport()
        with self.session_factory.begin() as session:
            claimed = claim_due(session, self.clock(), len(delivery_ids), ids=delivery_ids)
        for row in claimed:
            self._deliver(row, report)
        return report

    def _deliver(self, row: Claimed, report: DeliveryReport) -> None:
        now = self.clock()
        try:
            if row.expires_at is not None and now >= row.expires_at:
                with self.session_factory.begin() as session:
                    mark_dropped(session, row.id, "round over")
                report.count("dropped")
                return
            kwargs = self._message(row)
            if kwargs is None:  # a threaded reply whose parent is not sent yet
                with self.session_factory.begin() as session:
                    if parent_gone(session, str(row.payload.get("thread_of"))):
                        mark_dropped(session, row.id, "parent not sent")
                        report.count("dropped")
                    else:
                        mark_retry(session, row.id, "waiting for parent", now + timedelta(
                            seconds=30))
                return
            response = self._post(row, kwargs)
            self.fault.reach("after_send")
            with self.session_factory.begin() as session:
                mark_sent(session, row.id, channel=str(response["channel"]),
                          ts=str(response["ts"]), now=self.clock())
            self.fault.reach("after_commit")
            report.count("sent")
        except SlackApiError as error:
            self._failed(row, error, report)
        except OSError as error:
            # A timeout or dropped connection after the request left: Slack may have posted
            # it. The row stays in flight, and recovery looks in the conversation before
            # anything is sent again.
            logger.warning("delivery outcome unknown id=%s kind=%s", row.id,
                           type(error).__name__)
            report.count("", type(error).__name__)
        except StorageError as error:
            logger.warning("delivery bookkeeping failed id=%s kind=%s", row.id,
                           type(error).__name__)

    def _post(self, row: Claimed, kwargs: dict[str, Any]) -> Any:
        """Post at the workspace's and the channel's pace. A public channel the bot is not
        in is joined (conversations.join) and the message posted again; if it can't be
        joined, the first refusal stands and the row fails like any other."""
        assert self.limiter is not None and self.channels is not None
        channel = str(kwargs["channel"])
        self.limiter.wait()
        self.channels.wait(channel)
        try:
            return self.client.chat_postMessage(**kwargs)
        except SlackApiError as refused:
            if refused.response.get("error") != "not_in_channel" or \
                    channel.startswith(("U", "W", "D")):
                raise
            try:
                self.client.conversations_join(channel=channel)
            except SlackApiError as error:
                logger.warning("could not join channel id=%s error=%s", row.id,
                               error.response.get("error"))
                raise refused from error
        logger.info("joined channel for delivery id=%s", row.id)
        self.channels.wait(channel)
        return self.client.chat_postMessage(**kwargs)

    def _message(self, row: Claimed) -> dict[str, Any] | None:
        payload = dict(row.payload)
        kwargs: dict[str, Any] = {
            "channel": row.recipient, "text": payload.get("text") or "lpbot",
            "metadata": {"event_type": METADATA_EVENT,
                         "event_payload": {"dedupe_key": row.dedupe_key}}}
        if payload.get("blocks"):
            kwargs["blocks"] = payload["blocks"]
        if payload.get("thread_of"):
            with self.session_factory() as session:
                channel, ts = parent_ts(session, payload["thread_of"])
            if ts is None:
                return None
            kwargs.update(channel=channel, thread_ts=ts)
        return kwargs

    def _failed(self, row: Claimed, error: SlackApiError, report: DeliveryReport) -> None:
        code = str(error.response.get("error") or f"http_{error.response.status_code}")
        report.count("", code)
        if code in PERMANENT:
            logger.warning("delivery failed for good id=%s error=%s", row.id, code)
            with self.session_factory.begin() as session:
                mark_failed(session, row.id, code)
            report.count("failed")
            return
        if code in STOP_ALL:
            logger.error("Slack refused the bot token (%s): deliveries paused", code)
        self._retry(row, code, report)

    def _retry(self, row: Claimed, code: str, report: DeliveryReport) -> None:
        now = self.clock()
        with self.session_factory.begin() as session:
            if row.attempts >= self.max_attempts:
                mark_failed(session, row.id, f"gave up after {row.attempts} attempts: {code}")
                report.count("failed")
            else:
                backoff = min(timedelta(seconds=30 * 2 ** (row.attempts - 1)),
                              timedelta(hours=1))
                mark_retry(session, row.id, code, now + backoff)
                report.count("retried")

    def recover(self, report: DeliveryReport) -> None:
        """Settle rows whose worker died mid-send: found in Slack means sent, else retry."""
        now = self.clock()
        with self.session_factory() as session:
            stale = [(d.id, d.recipient, d.dedupe_key, dict(d.payload))
                     for d in stale_in_flight(session, now, self.lease)]
        for delivery_id, recipient, key, payload in stale:
            try:
                found = self._find_sent(recipient, key, payload)
            except SlackApiError as error:
                logger.warning("recovery lookup failed id=%s error=%s", delivery_id,
                               error.response.get("error"))
                continue
            with self.session_factory.begin() as session:
                if found is not None:
                    mark_sent(session, delivery_id, channel=found[0], ts=found[1], now=now)
                    report.count("recovered")
                    logger.info("recovered delivery id=%s already in Slack", delivery_id)
                else:
                    mark_retry(session, delivery_id, "recovered after crash", now)

    def _find_sent(self, recipient: str, key: str, payload: dict[str, Any]
                   ) -> tuple[str, str] | None:
        channel = recipient
        if recipient.startswith(("U", "W")):
            channel = str(self.client.conversations_open(users=recipient)["channel"]["id"])
        if payload.get("thread_of"):
            with self.session_factory() as session:
                parent_channel, ts = parent_ts(session, payload["thread_of"])
            if parent_channel is None or ts is None:
                return None
            messages = self.client.conversations_replies(
                channel=parent_channel, ts=ts, include_all_metadata=True, limit=200)["messages"]
        else:
            messages = self.client.conversations_history(
                channel=channel, include_all_metadata=True, limit=200)["messages"]
        for message in messages:
            meta = message.get("metadata") or {}
            if meta.get("event_payload", {}).get("dedupe_key") == key:
                return channel, str(message["ts"])
        return None


