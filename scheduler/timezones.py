"""Learn each member's time zone from Slack, so prompts arrive at their own 10:00."""

from __future__ import annotations

import logging
from typing import Any, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_sdk.errors import SlackApiError

from storage.db import SessionFactory
from storage.people import people_without_zone, record_zones

logger = logging.getLogger("lpbot.timezones")


class UsersPort(Protocol):
    def users_info(self, *, user: str, **kwargs: Any) -> Any: ...


def _known_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
        return True
    except (ZoneInfoNotFoundError, ValueError):
        return False


def sync_time_zones(session_factory: SessionFactory, client: UsersPort, limit: int = 20) -> int:
    """Ask users.info for people whose zone is unknown (a few per cycle, to stay polite);
    returns how many were learnt. Failures leave the programme's zone as the fallback."""
    learnt: dict[str, str] = {}
    for slack_id in people_without_zone(session_factory, limit):
        try:
            tz = client.users_info(user=slack_id)["user"].get("tz")
        except SlackApiError as error:
            logger.info("users.info failed user=%s error=%s", slack_id,
                        error.response.get("error"))
            tz = None
        learnt[slack_id] = tz if tz and _known_zone(tz) else ""
    if learnt:
        record_zones(session_factory, learnt)
    return sum(1 for tz in learnt.values() if tz)
