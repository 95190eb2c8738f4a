"""The editors' submitted state as typed edits, or the inline errors to show.

Whatever shape a payload has (a forger's too), reading it never raises: a missing or
mistyped value is an inline error on its block.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.blocks import admin_forms as f
from bot.blocks import admin_text as t
from handlers.common import KNOWN_ID, clean_text
from handlers.modals.state import choice, text, values
from storage.admin_edits import ProgrammeSettingsEdit
from storage.calendar import Lull

State = dict[str, dict[str, Any]]
Errors = dict[str, str]
USER = re.compile(r"[UW][A-Z0-9]{2,31}")
CHANNEL = re.compile(r"[CG][A-Z0-9]{2,31}")


def _day(state: State, block: str, errors: Errors) -> date | None:
    """A date picker's YYYY-MM-DD (all Slack sends); anything else is an inline error."""
    raw = (state.get(block) or {}).get("selected_date")
    if isinstance(raw, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        try:
            return date.fromisoformat(raw)
        except ValueError:  # 2026-02-30
            pass
    errors[block] = t.ERR_DATE
    return None


def _int_choice(state: State, block: str, low: int, high: int, errors: Errors) -> int:
    raw = choice(state, block)
    if raw is None or not raw.isdigit() or not low <= int(raw) <= high:
        errors[block] = t.ERR_NUMBER.format(low=low, high=high)
        return low
    return int(raw)


def _number(state: State, block: str, low: float, high: float, errors: Errors, *,
            whole: bool) -> float:
    raw = text(state, block, 10).replace(",", ".")
    try:
        value = int(raw) if whole else float(raw)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        errors[block] = (t.ERR_NUMBER if whole else t.ERR_DECIMAL).format(low=low, high=high)
        return low
    return value


def _required(state: State, block: str, limit: int, errors: Errors) -> str:
    value = text(state, block, limit)
    if not value:
        errors[block] = t.ERR_REQUIRED
    return value[:limit]


def users(state: State, block: str) -> list[str]:
    """Slack user ids chosen in a ``multi_users_select``; anything else is dropped."""
    chosen = (state.get(block) or {}).get("selected_users")
    if not isinstance(chosen, list):
        return []
    return list(dict.fromkeys(u for u in chosen if isinstance(u, str) and USER.fullmatch(u)))


def conversation(state: State, block: str) -> str | None:
    chosen = (state.get(block) or {}).get("selected_conversation")
    return chosen if isinstance(chosen, str) and CHANNEL.fullmatch(chosen) else None


def parse_settings(view: dict[str, Any]) -> tuple[ProgrammeSettingsEdit | None, Errors]:
    state, errors = values(view), Errors()
    reminders_raw = text(state, f.B_REMINDERS, 20)
    parts = [p for p in re.split(r"[\s,]+", reminders_raw) if p]
    if len(parts) > 2 or not all(p.isdigit() and 1 <= int(p) <= 10 for p in parts):
        errors[f.B_REMINDERS] = t.ERR_REMINDERS
        parts = []
    region = choice(state, f.B_REGION)
    edit = ProgrammeSettingsEdit(
        name=_required(state, f.B_NAME, 200, errors),
        holiday_region=region if region in f.REGIONS else "England",
        start=_day(state, f.B_START, errors),
        report_back=_day(state, f.B_REPORT_BACK, errors),
        every_weeks=_int_choice(state, f.B_EVERY, 1, 8, errors),
        weekday=_int_choice(state, f.B_WEEKDAY, 0, 6, errors),
        hour=_int_choice(state, f.B_HOUR, 0, 23, errors),
        reminder_days=tuple(int(p) for p in parts),
        digest_channel=conversation(state, f.B_DIGEST_CHANNEL),
        digest_weekday=_int_choice(state, f.B_DIGEST_WEEKDAY, 0, 6, errors),
        digest_hour=_int_choice(state, f.B_DIGEST_HOUR, 0, 23, errors),
        stall_days=int(_number(state, f.B_STALL, 1, 120, errors, whole=True)),
        low_response=_number(state, f.B_LOW, 0, 100, errors, whole=True) / 100,
        momentum_drop=_number(state, f.B_DROP, 0.1, 4, errors, whole=False),
    )
    return (None, errors) if errors else (edit, {})


def parse_lull(view: dict[str, Any]) -> tuple[Lull | None, Errors]:
    state, errors = values(view), Errors()
    lull = Lull(name=_required(state, f.B_LULL_NAME, 100, errors),
                starts=_day(state, f.B_LULL_START, errors) or date.min,
                ends=_day(state, f.B_LULL_END, errors) or date.min,
                every_weeks=_int_choice(state, f.B_LULL_EVERY, 1, 8, errors),
                weekday=_int_choice(state, f.B_LULL_WEEKDAY, 0, 6, errors))
    return (None, errors) if errors else (lull, {})


@dataclass(frozen=True)
class PartnershipForm:
    """Step one of the partnership editor: the people are Slack ids, named later."""

    name: str
    slug: str  # empty: made from the name
    place: str
    challenge: str
    channel: str | None
    objectives: tuple[str, ...] | None  # None: not in the form (kept as they are)
    members: tuple[str, ...]
    leads: tuple[str, ...]
    active: bool = True  # False: take it out of the programme


def _objectives(state: State) -> tuple[str, ...] | None:
    """One a line, without repeats; None when the form did not offer them (they did not
    fit its text box, and are kept as they are)."""
    if f.B_P_OBJECTIVES not in state:
        return None
    typed = str((state.get(f.B_P_OBJECTIVES) or {}).get("value") or "")
    return tuple(dict.fromkeys(line for line in (clean_text(raw, 300)
                                                 for raw in typed.splitlines()) if line))


def parse_partnership(view: dict[str, Any]) -> tuple[PartnershipForm | None, Errors]:
    state, errors = values(view), Errors()
    objectives = _objectives(state)
    if objectives is not None and len(objectives) > f.MAX_OBJECTIVES:
        errors[f.B_P_OBJECTIVES] = t.ERR_TOO_MANY_OBJECTIVES.format(limit=f.MAX_OBJECTIVES)
    members, leads = users(state, f.B_P_MEMBERS), users(state, f.B_P_LEADS)
    if not members:
        errors[f.B_P_MEMBERS] = t.ERR_NO_MEMBERS
    missing = [lead for lead in leads if lead not in members]
    if missing:
        errors[f.B_P_LEADS] = t.ERR_LEAD_NOT_MEMBER.format(
            names=", ".join(f"<@{lead}>" for lead in missing))
    form = PartnershipForm(
        name=_required(state, f.B_P_NAME, 200, errors),
        slug=text(state, f.B_P_SLUG, 64).lower()[:65],
        place=_required(state, f.B_P_PLACE, 200, errors),
        challenge=_required(state, f.B_P_CHALLENGE, 2000, errors),
        channel=conversation(state, f.B_P_CHANNEL),
        objectives=objectives, members=tuple(members), leads=tuple(leads),
        active=choice(state, f.B_P_STATUS) != f.TAKEN_OUT)
    return (None, errors) if errors else (form, {})


def parse_institutions(view: dict[str, Any], known: Sequence[str]
                       ) -> dict[str, str | None]:
    """Each member's institution: a new one typed wins over one chosen (an option's
    value is a key into ``known``, the institutions lpbot knows now)."""
    state = values(view)
    chosen: dict[str, str] = {}
    typed: dict[str, str] = {}
    for block_id in state:
        if block_id.startswith(f.B_NEW_INSTITUTION):
            typed[block_id[len(f.B_NEW_INSTITUTION):]] = text(state, block_id, 200)[:200]
        elif block_id.startswith(f.B_INSTITUTION):
            name = f.institution_named(choice(state, block_id), known)
            if name:
                chosen[block_id[len(f.B_INSTITUTION):]] = name
    return {slack_id: typed.get(slack_id) or chosen.get(slack_id) or None
            for slack_id in {*chosen, *typed} if USER.fullmatch(slack_id)}


def parse_staff(view: dict[str, Any]) -> list[str]:
    return users(values(view), f.B_STAFF)


def known_user(slack_id: str) -> bool:
    return bool(KNOWN_ID.fullmatch(slack_id))
