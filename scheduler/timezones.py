"""What Slack knows of each person: their time zone, so prompts arrive at their own
10:00, and whether their account still exists (a deactivated one gets no more prompts)."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_sdk.errors import SlackApiError

from storage.db import SessionFactory
from storage.leavers import SlackState, people_to_refresh, record_refresh

logger = logging.getLogger("lpbot.timezones")


class UsersPort(Protocol):
    def users_info(self, *, user: str, **kwargs: Any) -> Any: ...


def _known_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
        return True
    except (ZoneInfoNotFoundError, ValueError):
        return False


def sync_time_zones(session_factory: SessionFactory, client: UsersPort, now: datetime,
                    limit: int = 20) -> int:
    """Ask users.info about people whose zone is unknown or not refreshed for a week (a
    few per cycle, to stay polite); returns how many zones were learnt. Failures leave
    the programme's zone as the fallback; a deactivated account is deactivated here."""
    states: dict[str, SlackState | None] = {}
    for slack_id in people_to_refresh(session_factory, now, limit):
        try:
            user = client.users_info(user=slack_id)["user"]
        except SlackApiError as error:
            logger.info("users.info failed user=%s error=%s", slack_id,
                        error.response.get("error"))
            states[slack_id] = None
            continue
        tz = str(user.get("tz") or "")
        states[slack_id] = SlackState(tz if tz and _known_zone(tz) else "",
                                      bool(user.get("deleted")))
    if states:
        for slack_id in record_refresh(session_factory, states, now):
            logger.info("deactivated: left Slack user=%s", slack_id)
    return sum(1 for state in states.values() if state and state.tz)
