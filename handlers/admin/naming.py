"""Names and time zones of the people an editor chose, from Slack (never typed).

People lpbot already knows keep their stored name and institution; only the others are
asked about with ``users.info``, side by side, so a partnership of new people still
saves within Slack's three seconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.shell.deps import Deps
from storage.admin_view import known_people
from storage.people import set_timezone
from storage.programme import PersonSpec

LOOKUPS_AT_ONCE = 8


class NotInSlack(Exception):
    """Someone chosen whom Slack does not know (or who left, or is a bot)."""

    def __init__(self, slack_id: str) -> None:
        super().__init__(slack_id)
        self.slack_id = slack_id


@dataclass
class Found:
    people: list[PersonSpec] = field(default_factory=list)  # unchecked: saving checks
    zones: dict[str, str] = field(default_factory=dict)  # Slack id -> tz, for new people


def _ask(client: WebClient, slack_id: str) -> dict[str, Any] | None:
    try:
        user = client.users_info(user=slack_id)["user"]
    except (SlackApiError, OSError, KeyError, TypeError):
        return None
    if not isinstance(user, dict) or user.get("deleted") or user.get("is_bot"):
        return None
    return user


def _name(user: dict[str, Any]) -> str:
    raw = user.get("profile")
    profile: dict[str, Any] = raw if isinstance(raw, dict) else {}
    for candidate in (user.get("real_name"), profile.get("real_name"),
                      profile.get("display_name"), user.get("name")):
        if isinstance(candidate, str) and candidate.strip():
            return candidate.strip()[:200]
    return str(user.get("id", ""))


def people_from_slack(deps: Deps, client: WebClient, slack_ids: Sequence[str]) -> Found:
    """Each person's name (and institution when known); raises NotInSlack for the first
    person Slack does not know."""
    known = known_people(deps.db, slack_ids)
    unknown = [s for s in slack_ids if s not in known]
    with ThreadPoolExecutor(max_workers=LOOKUPS_AT_ONCE) as pool:
        answers = dict(zip(unknown, pool.map(lambda s: _ask(client, s), unknown),
                           strict=True))
    found = Found()
    for slack_id in slack_ids:
        if slack_id in known:
            found.people.append(known[slack_id])
            continue
        user = answers.get(slack_id)
        if user is None:
            raise NotInSlack(slack_id)
        found.people.append(PersonSpec.model_construct(slack_id=slack_id, name=_name(user)))
        if isinstance(user.get("tz"), str):
            found.zones[slack_id] = user["tz"]
    return found


def remember_zones(deps: Deps, zones: dict[str, str]) -> None:
    """Store the time zones Slack gave for the people just added."""
    for slack_id, tz in zones.items():
        set_timezone(deps.db, slack_id, tz)
