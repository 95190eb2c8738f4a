"""`/lp help`: what this person may do, by role."""

from __future__ import annotations

from slack_sdk.models.blocks import Block

from bot.blocks import messages as msg
from bot.blocks.common import echo, mrkdwn_section
from storage.access import Viewer, is_outsider


def help_blocks(viewer: Viewer | None, unknown: str | None = None, *,
                admin: bool = False) -> list[Block]:
    """The commands this viewer may use; an unknown command is echoed back, escaped.
    ``admin``: staff by any route (``LPBOT_STAFF``, a workspace admin), who may use
    `/lp admin` though the programme may not list them (or not exist yet)."""
    if admin and (viewer is None or not viewer.is_staff):
        lines = [msg.HELP_HEADER, *msg.HELP_ADMIN]
        if viewer is not None and not is_outsider(viewer):
            lines += msg.HELP_MEMBER * bool(viewer.seats) + msg.HELP_LEAD * bool(viewer.led)
        lines += msg.HELP_PRIVACY
    elif viewer is None or is_outsider(viewer):
        lines = [msg.HELP_OUTSIDER]
    else:
        lines = [msg.HELP_HEADER] + msg.HELP_MEMBER * bool(viewer.seats)
        if viewer.led:
            lines += msg.HELP_LEAD
        if viewer.is_staff:
            lines += msg.HELP_STAFF + msg.HELP_FORGET
        lines += msg.HELP_PRIVACY
    if unknown:
        lines.insert(0, msg.UNKNOWN_COMMAND.format(text=echo(unknown)))
    return [mrkdwn_section("\n".join(lines))]
