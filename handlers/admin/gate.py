"""Who may change the programme: decided on the server for every command, click and
submission, from the database, ``LPBOT_STAFF`` and Slack's own word on admins."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.shell.deps import Deps
from handlers.common import KNOWN_ID, log_id, logger
from storage.access import viewer


def is_staff(deps: Deps, client: WebClient, slack_id: str) -> bool:
    """Staff in the programme, listed in ``LPBOT_STAFF``, or a workspace owner or admin
    (``users.info``, remembered for a few minutes)."""
    if not KNOWN_ID.fullmatch(slack_id or ""):
        return False
    who = viewer(deps.db, slack_id)
    return (who is not None and who.is_staff) or staff_outside_programme(deps, client, slack_id)


def staff_outside_programme(deps: Deps, client: WebClient, slack_id: str) -> bool:
    """Staff by ``LPBOT_STAFF`` or as a workspace owner or admin, for a caller that already
    knows the person is not the programme's staff (it read their row)."""
    if not KNOWN_ID.fullmatch(slack_id or ""):
        return False
    if deps.staff.listed(slack_id):
        return True
    cached = deps.staff.cached_admin(slack_id)
    if cached is not None:
        return cached
    try:
        user = client.users_info(user=slack_id)["user"]
    except (SlackApiError, OSError, KeyError, TypeError) as error:
        # Not remembered: Slack out of reach now says nothing about tomorrow.
        logger.warning("users.info for staff check failed user=%s error=%s",
                       log_id(slack_id), type(error).__name__)
        return False
    admin = bool(isinstance(user, dict) and not user.get("deleted")
                 and (user.get("is_admin") or user.get("is_owner")))
    deps.staff.remember_admin(slack_id, admin)
    return admin


def refuse(what: str, slack_id: str) -> None:
    """One log line for a refused admin request (ids only)."""
    logger.warning("refused admin %s user=%s", what, log_id(slack_id))
