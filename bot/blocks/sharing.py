"""Sentences about a partnership's sharing setting: the command's answer, the modal's line."""

from __future__ import annotations

import re

from bot.blocks import messages as msg
from bot.blocks.common import esc
from storage.sharing import Sharing
from storage.sharing_settings import SharingSetting


def channel_mention(channel_id: str | None) -> str:
    """The channel as Slack shows it (its id comes from the programme file, not a person)."""
    return f"<#{channel_id}>" if channel_id else msg.SHARING_NO_CHANNEL_NAME


def error_code(error: str) -> str:
    """Slack's error code as shown in code quotes: its own letters only, never markup."""
    return re.sub(r"[^a-z0-9_]", "", error.lower())[:60] or "unknown"


def sharing_line(setting: SharingSetting, *, changed: bool) -> str:
    """What ``/lp sharing`` answers: the setting, where it applies, what it means."""
    template = msg.SHARING_SET if changed else msg.SHARING_NOW
    line = template.format(partnership=esc(setting.name), level=setting.sharing,
                           channel=channel_mention(setting.channel_id),
                           meaning=msg.SHARING_MEANS[setting.sharing])
    if setting.channel_id is None:
        line += " " + msg.SHARING_NO_CHANNEL
    return line


def modal_sharing_line(sharing: Sharing, channel_id: str | None) -> str:
    """One line in the check-in modal: what of these answers will be shared, and where."""
    if channel_id is None or sharing == "off":
        return msg.CHECKIN_SHARES_NOTHING
    return msg.CHECKIN_SHARES[sharing].format(channel=channel_mention(channel_id))
