"""Staff's Programme view: the same blocks in App Home and in the `/lp admin` modal.

The calendar, the lull windows, every partnership with its leads, member count and
status, the staff and the latest changes, each with its button to add or edit. Held under
Slack's 100 blocks by construction: partnerships beyond ``PARTNERSHIP_ROWS`` and lulls
beyond ``LULL_ROWS`` are counted, not listed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ConfirmObject,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.blocks import admin_text as t
from bot.blocks import ids
from bot.blocks.common import clip, context, esc, mrkdwn_section, plain, when
from storage.admin_view import AdminView, ChangeLine
from storage.calendar import Lull, ProgrammeCalendar

REGION_CODES = {"GB-ENG": "England", "GB-SCT": "Scotland", "GB-WLS": "Wales",
                "GB-NIR": "Northern Ireland"}
PARTNERSHIP_ROWS = 40
LULL_ROWS = 10
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
                 "Sunday")


def day(value: date) -> str:
    return f"{value:%a} {value.day} {value:%b %Y}"


def window(lull: Lull) -> str:
    return f"{day(lull.starts)} – {day(lull.ends)}"


def lull_key(index: int, lull: Lull) -> str:
    """A lull's button value: its place and start, so a stale button finds nothing."""
    return f"{index}:{lull.starts.isoformat()}"


def _button(label: str, action_id: str, value: str = "", *, primary: bool = False
            ) -> ButtonElement:
    return ButtonElement(text=plain(label), action_id=action_id, value=value or None,
                         style="primary" if primary else None)


def calendar_text(p: ProgrammeCalendar) -> str:
    reminders = " and ".join(str(d) for d in p.reminder_days) or "none"
    return t.CALENDAR.format(
        name=esc(p.name), start=day(p.start), report_back=day(p.report_back),
        timezone=esc(p.timezone), region=REGION_CODES.get(p.holiday_region,
                                                          esc(p.holiday_region)),
        every=t.WEEKS.get(p.every_weeks, f"{p.every_weeks} weeks"),
        weekday=WEEKDAY_NAMES[p.weekday], hour=f"{p.hour:02d}:00",
        reminders=f"{reminders} working days" if p.reminder_days else "none",
        digest=f"<#{p.digest_channel}>" if p.digest_channel else t.NO_DIGEST_CHANNEL,
        digest_weekday=WEEKDAY_NAMES[p.digest_weekday], digest_hour=f"{p.digest_hour:02d}:00",
        stall=p.thresholds.stall_days, low=f"{round(p.thresholds.low_response * 100)}%",
        drop=p.thresholds.momentum_drop)


def _lull_blocks(lulls: Sequence[Lull]) -> list[Block]:
    lines = [t.LULL_LINE.format(name=esc(lull.name), window=window(lull),
                                every=t.WEEKS.get(lull.every_weeks, "week"),
                                weekday=WEEKDAY_NAMES[lull.weekday]) for lull in lulls]
    blocks: list[Block] = [mrkdwn_section("\n".join([t.LULLS_HEADER, *lines]) if lines
                                          else f"{t.LULLS_HEADER}\n{t.NO_LULLS}")]
    for index, lull in enumerate(lulls[:LULL_ROWS]):
        key = lull_key(index, lull)
        blocks.append(ActionsBlock(block_id=f"admin_lull_{index}", elements=[
            _button(f"{t.BUTTON_EDIT} {clip(lull.name, 40)}", ids.ADMIN_EDIT_LULL, key),
            ButtonElement(text=plain(f"{t.BUTTON_REMOVE} {clip(lull.name, 40)}"),
                          action_id=ids.ADMIN_REMOVE_LULL, value=key, style="danger",
                          confirm=ConfirmObject(
                              title=plain(t.CONFIRM_REMOVE_TITLE, 100),
                              text=MarkdownTextObject(text=t.CONFIRM_REMOVE.format(
                                  name=esc(lull.name), window=window(lull))),
                              confirm=plain(t.BUTTON_REMOVE, 30), deny=plain("Cancel", 30)))]))
    blocks.append(ActionsBlock(block_id="admin_lulls", elements=[
        _button(t.BUTTON_ADD_LULL, ids.ADMIN_ADD_LULL)]))
    return blocks


def _partnership_blocks(data: AdminView) -> list[Block]:
    active = sum(1 for p in data.partnerships if p.active)
    inactive = len(data.partnerships) - active
    blocks: list[Block] = [SectionBlock(
        text=MarkdownTextObject(text=t.PARTNERSHIPS_HEADER.format(
            active=active, inactive=f", {inactive} inactive" if inactive else "")),
        accessory=_button(t.BUTTON_ADD_PARTNERSHIP, ids.ADMIN_ADD_PARTNERSHIP, primary=True))]
    for row in data.partnerships[:PARTNERSHIP_ROWS]:
        leads = ", ".join(esc(name) for name in row.leads) or t.NO_LEADS
        blocks.append(SectionBlock(
            block_id=f"admin_partnership_{row.partnership_id}",
            text=MarkdownTextObject(text=clip(t.PARTNERSHIP_LINE.format(
                name=esc(row.name), slug=esc(row.slug), place=esc(row.place) or "–",
                leads=leads, members=row.members, s="" if row.members == 1 else "s",
                status="" if row.active else t.INACTIVE), 3000)),
            accessory=_button(t.BUTTON_EDIT, ids.ADMIN_EDIT_PARTNERSHIP,
                              str(row.partnership_id))))
    if len(data.partnerships) > PARTNERSHIP_ROWS:
        blocks.append(context(t.MORE_PARTNERSHIPS.format(
            more=len(data.partnerships) - PARTNERSHIP_ROWS)))
    return blocks


def _people(text: str) -> str:
    """Escaped text whose Slack user ids Slack shows as names (a mention only lpbot
    writes: the ids come from the audit log, the rest is escaped first)."""
    return re.sub(r"\b([UW][A-Z0-9]{2,31})\b", r"<@\1>", esc(text))


def _change_lines(changes: Sequence[ChangeLine], tz: str) -> str:
    lines = [t.CHANGE_LINE.format(
        when=when(c.at, tz), actor=_people(c.actor),
        what=_people(c.what) + (f" ({esc(', '.join(c.fields[:6]))})" if c.fields else ""))
        for c in changes]
    return "\n".join([t.CHANGES_HEADER, *(lines or [t.NO_CHANGES])])


def programme_blocks(data: AdminView, changes: Sequence[ChangeLine]) -> list[Block]:
    """The Programme view's body; on an empty database, the one thing to do first."""
    if data.programme is None:
        return [mrkdwn_section(t.NOTHING_YET_STAFF),
                ActionsBlock(block_id="admin_create", elements=[
                    _button(t.BUTTON_CREATE, ids.ADMIN_EDIT_PROGRAMME, primary=True)])]
    staff = ", ".join(esc(s.name) for s in data.staff) or t.NO_STAFF
    return [
        SectionBlock(block_id="admin_calendar",
                     text=MarkdownTextObject(text=clip(calendar_text(data.programme), 3000)),
                     accessory=_button(t.BUTTON_EDIT, ids.ADMIN_EDIT_PROGRAMME)),
        *_lull_blocks(data.programme.lulls),
        DividerBlock(),
        *_partnership_blocks(data),
        DividerBlock(),
        SectionBlock(block_id="admin_staff",
                     text=MarkdownTextObject(text=clip(t.STAFF_HEADER.format(names=staff),
                                                       3000)),
                     accessory=_button(t.BUTTON_EDIT_STAFF, ids.ADMIN_EDIT_STAFF)),
        mrkdwn_section(_change_lines(changes, data.programme.timezone)),
    ]


def programme_home(data: AdminView, changes: Sequence[ChangeLine]) -> View:
    """App Home showing the Programme view, with the way back to the overview."""
    back: list[Block] = [] if data.programme is None else [
        ActionsBlock(block_id="admin_nav", elements=[
            _button(t.BUTTON_OVERVIEW, ids.ADMIN_HOME_OVERVIEW)])]
    return View(type="home", blocks=[
        HeaderBlock(text=plain(t.PROGRAMME_TITLE, 150)), *back,
        *programme_blocks(data, changes)])


def programme_modal(data: AdminView, changes: Sequence[ChangeLine], metadata: str) -> View:
    """`/lp admin`: the same view in a modal (read only; its buttons open the editors)."""
    return View(type="modal", callback_id=ids.ADMIN_VIEW, title=plain(t.PROGRAMME_TITLE, 24),
                close=plain(t.CLOSE, 24), blocks=programme_blocks(data, changes),
                private_metadata=metadata)


def not_set_up_home(staff: bool) -> View:
    """App Home on an empty database: what to do first, in one line."""
    if staff:
        return View(type="home", blocks=[HeaderBlock(text=plain("lpbot", 150)),
                                         *programme_blocks(AdminView(None), [])])
    return View(type="home", blocks=[HeaderBlock(text=plain("lpbot", 150)),
                                     mrkdwn_section(t.NOTHING_YET_OTHERS)])


def programme_button() -> ActionsBlock:
    """The staff overview's way into the Programme view."""
    return ActionsBlock(block_id="admin_entry", elements=[
        _button(t.BUTTON_PROGRAMME, ids.ADMIN_HOME_PROGRAMME)])
