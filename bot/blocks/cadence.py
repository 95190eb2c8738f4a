"""A member's own cadence in App Home: reminders on or off, a pause until a date."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement, DatePickerElement

from bot.blocks import ids
from bot.blocks import messages as msg
from bot.blocks.common import mrkdwn_section, plain, when
from storage.people import OwnCadence


def cadence_blocks(cadence: OwnCadence, tz: str) -> list[Block]:
    """What the member's cadence is now, and the controls to change it."""
    lines = [msg.CADENCE_TITLE, msg.CADENCE_REMINDERS_ON if cadence.reminders_enabled
             else msg.CADENCE_REMINDERS_OFF]
    if cadence.paused_until is not None:
        lines.append(msg.CADENCE_PAUSED.format(until=when(cadence.paused_until, tz)))
    if cadence.resting and cadence.reminders_enabled:
        lines.append(msg.CADENCE_RESTING)
    switch = "off" if cadence.reminders_enabled else "on"
    elements: list[ButtonElement | DatePickerElement] = [
        ButtonElement(text=plain(msg.BUTTON_REMINDERS_OFF if cadence.reminders_enabled
                                 else msg.BUTTON_REMINDERS_ON),
                      action_id=ids.HOME_REMINDERS, value=switch),
        DatePickerElement(action_id=ids.HOME_PAUSE, placeholder=plain(msg.PAUSE_PICK),
                          initial_date=None if cadence.paused_until is None else
                          cadence.paused_until.astimezone(ZoneInfo(tz)).date().isoformat()),
    ]
    if cadence.paused_until is not None:
        elements.append(ButtonElement(text=plain(msg.BUTTON_RESUME), action_id=ids.HOME_RESUME,
                                      value="resume"))
    return [mrkdwn_section("\n".join(lines)),
            ActionsBlock(block_id="home_cadence", elements=elements)]
