"""What staff's editor submissions answer inside the ack: the submitter admitted (staff,
their own sealed editor) or refused politely, and a save's problems inline on the field
each names."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from bot.blocks import admin_forms as f
from bot.blocks import admin_text as t
from bot.shell.deps import Deps
from bot.shell.view_seal import ViewClaim
from handlers.admin.gate import is_staff, refuse
from handlers.admin.naming import NotInSlack
from handlers.common import logger, user_id
from handlers.modals.state import first_input_block
from handlers.views import claimed
from storage.db import StorageError
from storage.programme_base import ProgrammeError

Answer = dict[str, Any]
PROGRAMME_FIELDS = {
    "name": f.B_NAME, "holiday_region": f.B_REGION,
    "start": f.B_START, "report_back": f.B_REPORT_BACK, "every_weeks": f.B_EVERY,
    "weekday": f.B_WEEKDAY, "hour": f.B_HOUR, "working_day_ends": f.B_HOUR,
    "reminder_days": f.B_REMINDERS, "digest_channel": f.B_DIGEST_CHANNEL,
    "digest_weekday": f.B_DIGEST_WEEKDAY, "digest_hour": f.B_DIGEST_HOUR,
    "stall_days": f.B_STALL, "low_response": f.B_LOW, "momentum_drop": f.B_DROP}
LULL_FIELDS = {"name": f.B_LULL_NAME, "start": f.B_LULL_START, "end": f.B_LULL_END,
               "every_weeks": f.B_LULL_EVERY, "weekday": f.B_LULL_WEEKDAY,
               "lulls": f.B_LULL_START}
PARTNERSHIP_FIELDS = {
    "name": f.B_P_NAME, "slug": f.B_P_SLUG, "place": f.B_P_PLACE,
    "challenge": f.B_P_CHALLENGE, "objectives": f.B_P_OBJECTIVES, "channel": f.B_P_CHANNEL,
    "members": f.B_P_MEMBERS, "slack_id": f.B_P_MEMBERS, "leads": f.B_P_LEADS}


def errors(view: dict[str, Any], where: str, message: str) -> Answer:
    return {"response_action": "errors", "errors": {first_input_block(view, where): message}}


def refused_inline(view: dict[str, Any], error: ProgrammeError, fields: dict[str, str],
                   first: str) -> Answer:
    """Each problem on the block of the field it names (the last name in its place:
    ``("lulls", 1, "end")`` is the end); the rest on the first block."""
    found: dict[str, str] = {}
    for place, message in error.fields.items():
        names = [key for key in place if isinstance(key, str)]
        block = fields.get(names[-1], first) if names else first
        found[block] = f"{found[block]} {message}" if block in found else message
    if not found:
        found[first] = " ".join(error.problems)
    return {"response_action": "errors",
            "errors": {first_input_block(view, b): m[:300] for b, m in found.items()}}


def admitted(ack: Ack, deps: Deps, client: WebClient, body: dict[str, Any],
             view: dict[str, Any], purpose: str, first: str) -> ViewClaim | None:
    """The view's claim when a staff member submits their own sealed editor; else None,
    the polite refusal already acked inline."""
    slack_id = user_id(body)
    if not is_staff(deps, client, slack_id):
        refuse(f"{purpose} submission", slack_id)
        ack(**errors(view, first, t.NOT_STAFF_VIEW))
        return None
    claim = claimed(deps, view, purpose, slack_id)
    if claim is None:
        ack(**errors(view, first, t.NOT_YOUR_VIEW))
    return claim


def saving(view: dict[str, Any], first: str, fields: dict[str, str],
            save: Callable[[], Any]) -> Answer | None:
    """Run ``save``; None when it worked, else the inline answer."""
    try:
        save()
    except ProgrammeError as error:
        return refused_inline(view, error, fields, first)
    except StorageError:
        logger.exception("admin edit not stored")
        return errors(view, first, t.NOT_SAVED)
    except NotInSlack as missing:
        return errors(view, first, t.ERR_SLACK_USER.format(who=f"<@{missing.slack_id}>"))
    return None
