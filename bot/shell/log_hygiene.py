"""Keeps what unauthenticated clients send out of the log.

Bolt's signature check logs a refused request's headers and whole body at INFO, so anyone
could fill the log, or put words in it. Its record becomes one line: the reason and the size.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Mapping
from typing import Any

# get_bolt_logger names a middleware's logger after its class.
VERIFICATION_LOGGERS = ("slack_bolt.RequestVerification", "slack_bolt.AsyncRequestVerification")
STALE_AFTER = 60 * 5  # slack_sdk's SignatureVerifier refuses timestamps further off than this
_REFUSAL = re.compile(r"Invalid request signature detected \(signature: (?P<signature>.*?), "
                      r"timestamp: (?P<timestamp>.*?), body: (?P<body>.*)\)\Z", re.DOTALL)


def refusal_reason(signature: str, timestamp: str, now: float) -> str:
    """Why the signature check refused a request, as far as its headers tell."""
    if not signature:
        return "unsigned" if timestamp in ("", "0") else "no signature"
    if timestamp in ("", "0"):  # Bolt reads a missing timestamp as "0"
        return "no timestamp"
    if not re.fullmatch(r"[0-9]{1,12}", timestamp):
        return "malformed timestamp"
    if abs(now - int(timestamp)) > STALE_AFTER:
        return "stale timestamp"
    return "signature mismatch"


class RefusedRequestFilter(logging.Filter):
    """Rewrites Bolt's record of a refused request to its reason and body size."""

    def filter(self, record: logging.LogRecord) -> bool:
        match = _REFUSAL.match(record.getMessage())
        if match is None:  # a wording this filter does not know: still nothing of the request
            record.msg, record.args = "request refused: invalid signature", ()
            return True
        reason = refusal_reason(match["signature"], match["timestamp"], time.time())
        size = len(match["body"].encode("utf-8", "replace"))
        record.msg, record.args = "request refused: %s, %d-byte body", (reason, size)
        return True


# Line and paragraph breaks, other controls and bidi overrides: what could start a forged
# line in the log, or make one read backwards.
UNSAFE = re.compile("[\x00-\x1f\x7f\x85\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def one_line(value: Any) -> Any:
    """A log argument as it is, unless its text could break the line: then escaped."""
    if value is None or isinstance(value, int | float):
        return value
    text = str(value)
    if not UNSAFE.search(text):
        return value
    return UNSAFE.sub(lambda found: found.group().encode("unicode_escape").decode("ascii"), text)


def _one_line_records(make: Any) -> Any:
    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record: logging.LogRecord = make(*args, **kwargs)
        if isinstance(record.args, Mapping):
            record.args = {key: one_line(value) for key, value in record.args.items()}
        elif record.args:
            record.args = tuple(one_line(value) for value in record.args)
        return record

    factory.lpbot_one_line = True  # type: ignore[attr-defined]
    return factory


def install() -> None:
    """Put the filter on Bolt's verification loggers, and make every record's arguments
    one line (an id a payload forged can't start a log line), once however often it is
    called."""
    for name in VERIFICATION_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RefusedRequestFilter) for f in logger.filters):
            logger.addFilter(RefusedRequestFilter())
    current = logging.getLogRecordFactory()
    if not getattr(current, "lpbot_one_line", False):
        logging.setLogRecordFactory(_one_line_records(current))
