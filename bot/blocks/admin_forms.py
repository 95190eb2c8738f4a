"""Staff's editors as modals, with Slack's own pickers: the programme calendar, a lull
window, a partnership (then its members' institutions), the staff.

People are chosen with ``multi_users_select`` and channels with ``conversations_select``:
names and time zones then come from Slack (``users.info``), never typed. Every input's
``action_id`` is ``ids.VALUE``; the block ids below carry the meaning, and the handlers
hang inline errors on them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date

from slack_sdk.models.blocks import (
    Block,
    ConversationFilter,
    ConversationSelectElement,
    DatePickerElement,
    InputBlock,
    Option,
    PlainTextInputElement,
    StaticSelectElement,
    UserMultiSelectElement,
)
from slack_sdk.models.views import View

from bot.blocks import admin_text as t
from bot.blocks import ids
from bot.blocks.admin import REGION_CODES, WEEKDAY_NAMES
from bot.blocks.common import clip, context, esc, mrkdwn_section, option, plain
from storage.admin_view import PartnershipDraft
from storage.calendar import Lull, ProgrammeCalendar
from storage.insight import Thresholds
from storage.programme import PersonSpec

# Programme
B_NAME, B_START, B_REPORT_BACK = "adm_name", "adm_start", "adm_report"
B_EVERY, B_WEEKDAY, B_HOUR, B_REMINDERS = "adm_every", "adm_weekday", "adm_hour", "adm_remind"
B_REGION, B_DIGEST_CHANNEL = "adm_region", "adm_digest_channel"
B_DIGEST_WEEKDAY, B_DIGEST_HOUR = "adm_digest_weekday", "adm_digest_hour"
B_STALL, B_LOW, B_DROP = "adm_stall", "adm_low", "adm_drop"
# Lull window
B_LULL_NAME, B_LULL_START, B_LULL_END = "adm_lull_name", "adm_lull_start", "adm_lull_end"
B_LULL_EVERY, B_LULL_WEEKDAY = "adm_lull_every", "adm_lull_weekday"
# Partnership
B_P_NAME, B_P_SLUG, B_P_PLACE = "adm_p_name", "adm_p_slug", "adm_p_place"
B_P_CHALLENGE, B_P_OBJECTIVES, B_P_CHANNEL = "adm_p_challenge", "adm_p_objectives", "adm_p_channel"
B_P_MEMBERS, B_P_LEADS, B_P_STATUS = "adm_p_members", "adm_p_leads", "adm_p_status"
IN_PROGRAMME, TAKEN_OUT = "in", "out"
# Institutions: + the member's Slack id
B_INSTITUTION, B_NEW_INSTITUTION = "adm_inst:", "adm_inst_new:"
# Staff
B_STAFF = "adm_staff"

REGIONS = ("England", "Scotland", "Wales", "Northern Ireland")
INSTITUTION_ROWS = 45  # two blocks a member, under Slack's 100 per modal
MAX_OBJECTIVES = 40
OBJECTIVES_CHARS = 3000  # a text input's most


def _text(block_id: str, label: str, initial: str | None = None, *, optional: bool = False,
          multiline: bool = False, limit: int = 200, hint: str | None = None) -> InputBlock:
    return InputBlock(block_id=block_id, label=plain(label, 2000), optional=optional,
                      hint=plain(hint, 2000) if hint else None,
                      element=PlainTextInputElement(
                          action_id=ids.VALUE, multiline=multiline, max_length=limit,
                          initial_value=clip(initial, limit) if initial else None))


def _date(block_id: str, label: str, initial: date | None) -> InputBlock:
    return InputBlock(block_id=block_id, label=plain(label, 2000), element=DatePickerElement(
        action_id=ids.VALUE, initial_date=initial.isoformat() if initial else None))


def _select(block_id: str, label: str, options: Sequence[Option], initial: str | None,
            *, optional: bool = False) -> InputBlock:
    chosen = next((o for o in options if o.value == initial), None)
    return InputBlock(block_id=block_id, label=plain(label, 2000), optional=optional,
                      element=StaticSelectElement(action_id=ids.VALUE, options=list(options),
                                                  initial_option=chosen,
                                                  placeholder=plain("Choose", 150)))


def _weekdays(block_id: str, label: str, initial: int) -> InputBlock:
    return _select(block_id, label, [option(n, str(i)) for i, n in enumerate(WEEKDAY_NAMES)],
                   str(initial))


def _weeks(block_id: str, label: str, initial: int) -> InputBlock:
    return _select(block_id, label, [option(t.WEEKS[n], str(n)) for n in t.WEEKS],
                   str(initial))


def _hours(block_id: str, label: str, initial: int) -> InputBlock:
    return _select(block_id, label, [option(f"{h:02d}:00", str(h)) for h in range(24)],
                   str(initial))


def _channel(block_id: str, label: str, initial: str | None, hint: str) -> InputBlock:
    return InputBlock(block_id=block_id, label=plain(label, 2000), optional=True,
                      hint=plain(hint, 2000), element=ConversationSelectElement(
                          action_id=ids.VALUE, initial_conversation=initial or None,
                          filter=ConversationFilter(include=["public", "private"],
                                                    exclude_bot_users=True)))


def _people(block_id: str, label: str, initial: Sequence[str], *, optional: bool = False,
            hint: str | None = None) -> InputBlock:
    return InputBlock(block_id=block_id, label=plain(label, 2000), optional=optional,
                      hint=plain(hint, 2000) if hint else None,
                      element=UserMultiSelectElement(action_id=ids.VALUE,
                                                     initial_users=list(initial) or None,
                                                     placeholder=plain("Choose people", 150)))


def _modal(callback_id: str, title: str, blocks: list[Block], metadata: str,
           submit: str = t.SAVE) -> View:
    return View(type="modal", callback_id=callback_id, title=plain(title, 24),
                submit=plain(submit, 24), close=plain("Cancel", 24), blocks=blocks,
                private_metadata=metadata)


def programme_editor(row: ProgrammeCalendar | None, metadata: str) -> View:
    """The calendar, digest and thresholds; for a new programme, sensible defaults."""
    region = REGION_CODES.get(row.holiday_region, "England") if row else "England"
    reminders = ", ".join(str(d) for d in row.reminder_days) if row else "2, 4"
    limits = row.thresholds if row else Thresholds()
    blocks: list[Block] = [
        _text(B_NAME, t.L_NAME, row.name if row else None),
        _date(B_START, t.L_START, row.start if row else None),
        _date(B_REPORT_BACK, t.L_REPORT_BACK, row.report_back if row else None),
        _weeks(B_EVERY, t.L_EVERY, row.every_weeks if row else 2),
        _weekdays(B_WEEKDAY, t.L_WEEKDAY, row.weekday if row else 1),
        _hours(B_HOUR, t.L_HOUR, row.hour if row else 10),
        _text(B_REMINDERS, t.L_REMINDERS, reminders, optional=True, limit=20,
              hint=t.H_REMINDERS),
        _select(B_REGION, t.L_REGION, [option(r, r) for r in REGIONS], region),
        _channel(B_DIGEST_CHANNEL, t.L_DIGEST_CHANNEL, row.digest_channel if row else None,
                 t.H_DIGEST_CHANNEL),
        _weekdays(B_DIGEST_WEEKDAY, t.L_DIGEST_WEEKDAY, row.digest_weekday if row else 0),
        _hours(B_DIGEST_HOUR, t.L_DIGEST_HOUR, row.digest_hour if row else 9),
        _text(B_STALL, t.L_STALL, str(limits.stall_days), limit=4),
        _text(B_LOW, t.L_LOW, str(round(limits.low_response * 100)), limit=4),
        _text(B_DROP, t.L_DROP, str(limits.momentum_drop), limit=6),
    ]
    return _modal(ids.PROGRAMME_EDIT_VIEW, t.PROGRAMME_EDITOR, blocks, metadata)


def lull_editor(lull: Lull | None, metadata: str, *, weekday: int = 0) -> View:
    blocks: list[Block] = [
        _text(B_LULL_NAME, t.L_LULL_NAME, lull.name if lull else None, limit=100),
        _date(B_LULL_START, t.L_LULL_START, lull.starts if lull else None),
        _date(B_LULL_END, t.L_LULL_END, lull.ends if lull else None),
        _weeks(B_LULL_EVERY, t.L_LULL_EVERY, lull.every_weeks if lull else 1),
        _weekdays(B_LULL_WEEKDAY, t.L_LULL_WEEKDAY, lull.weekday if lull else weekday),
    ]
    return _modal(ids.LULL_EDIT_VIEW, t.LULL_EDITOR, blocks, metadata)


def partnership_editor(draft: PartnershipDraft | None, metadata: str) -> View:
    """Step one: the partnership and its people; step two asks their institutions."""
    spec = draft.spec if draft else None
    blocks: list[Block] = [
        _text(B_P_NAME, t.L_P_NAME, spec.name if spec else None),
        _text(B_P_SLUG, t.L_P_SLUG, spec.slug if spec else None, optional=True, limit=64,
              hint=t.H_P_SLUG),
        _text(B_P_PLACE, t.L_P_PLACE, spec.place if spec else None),
        _text(B_P_CHALLENGE, t.L_P_CHALLENGE, spec.challenge if spec else None,
              multiline=True, limit=2000),
        _objectives(spec.objectives if spec else ()),
        _channel(B_P_CHANNEL, t.L_P_CHANNEL, spec.channel if spec else None, t.H_P_CHANNEL),
        _people(B_P_MEMBERS, t.L_P_MEMBERS, [m.slack_id for m in spec.members] if spec
                else []),
        _people(B_P_LEADS, t.L_P_LEADS, spec.leads if spec else [], optional=True),
    ]
    if draft is not None:  # deactivated, never deleted: its history stays
        blocks.append(_select(B_P_STATUS, t.L_P_STATUS, [
            option(t.STATUS_IN, IN_PROGRAMME), option(t.STATUS_OUT, TAKEN_OUT)],
            IN_PROGRAMME if draft.active else TAKEN_OUT))
    return _modal(ids.PARTNERSHIP_EDIT_VIEW, t.PARTNERSHIP_EDITOR, blocks, metadata,
                  submit=t.NEXT)


def objectives_fit(objectives: Sequence[str]) -> bool:
    """Do these objectives fit the editor's text box whole (else it would cut them)?"""
    return (len(objectives) <= MAX_OBJECTIVES
            and len("\n".join(objectives)) <= OBJECTIVES_CHARS)


def _objectives(objectives: Sequence[str]) -> Block:
    """The objectives to edit, or, when they don't fit, shown read-only and kept: never
    cut silently (saving a cut list would rewrite the last objective, history lost)."""
    if objectives_fit(objectives):
        return _text(B_P_OBJECTIVES, t.L_P_OBJECTIVES, "\n".join(objectives) or None,
                     optional=True, multiline=True, limit=OBJECTIVES_CHARS)
    listed = "\n".join(f"• {clip(o, 200)}" for o in objectives)
    return mrkdwn_section(clip(t.OBJECTIVES_ELSEWHERE.format(count=len(objectives))
                               + "\n" + esc(listed), 2900))


def institutions_editor(members: Sequence[PersonSpec], known: Sequence[str],
                        metadata: str) -> View:
    """Step two: each member's institution, from those already known or typed new."""
    blocks: list[Block] = [context(t.INSTITUTIONS_INTRO)]
    offered = list(known[:100])
    # A key, never the (clipped) label: a name longer than an option's 150 characters is
    # stored whole, found again among the known names when the form comes back.
    choices = [option(clip(name, 75), institution_key(name)) for name in offered]
    for member in members[:INSTITUTION_ROWS]:
        if choices:
            blocks.append(_select(f"{B_INSTITUTION}{member.slack_id}",
                                  t.L_INSTITUTION.format(name=member.name), choices,
                                  institution_key(member.institution or ""), optional=True))
        new = member.institution if member.institution and \
            member.institution not in offered else None
        blocks.append(_text(f"{B_NEW_INSTITUTION}{member.slack_id}",
                            t.L_NEW_INSTITUTION.format(name=member.name), new, optional=True))
    if len(members) > INSTITUTION_ROWS:
        blocks.append(context(t.MORE_MEMBERS.format(more=len(members) - INSTITUTION_ROWS)))
    return _modal(ids.INSTITUTIONS_VIEW, t.INSTITUTIONS_EDITOR, blocks, metadata)


def institution_key(name: str) -> str:
    """A known institution's option value: short, and the same for the same name."""
    return hashlib.sha256(name.encode()).hexdigest()[:16]


def institution_named(key: str | None, known: Sequence[str]) -> str | None:
    """The known institution an option value stands for (None: not one of them now)."""
    return next((name for name in known if institution_key(name) == key), None)


def staff_editor(staff: Sequence[str], metadata: str) -> View:
    blocks: list[Block] = [_people(B_STAFF, t.L_STAFF, staff, hint=t.H_STAFF)]
    return _modal(ids.STAFF_EDIT_VIEW, t.STAFF_EDITOR, blocks, metadata)
