"""The one way lpbot builds a WebClient: pointed at SLACK_API_URL, with retries."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator


def make_client(token: str, base_url: str, *, timeout: int = 10, max_retries: int = 3,
                backoff_factor: float = 0.5) -> WebClient:
    """A WebClient that retries 429 (honouring Retry-After), 5xx and dropped connections;
    by default slack_sdk only retries connection errors."""
    backoff = BackoffRetryIntervalCalculator(backoff_factor=backoff_factor)
    return WebClient(token=token, base_url=base_url, timeout=timeout, retry_handlers=[
        ConnectionErrorRetryHandler(max_retry_count=max_retries, interval_calculator=backoff),
        RateLimitErrorRetryHandler(max_retry_count=max_retries),
        ServerErrorRetryHandler(max_retry_count=max_retries, interval_calculator=backoff),
    ])
