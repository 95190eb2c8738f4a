"""`/lp sharing [off|summary|full] [slug]`: a lead chooses what the partnership channel sees."""

from __future__ import annotations

from bot.blocks import messages as msg
from bot.blocks.common import echo
from bot.blocks.sharing import sharing_line
from handlers.commands.request import CommandRequest
from storage.access import Viewer
from storage.sharing import SHARING_LEVELS, parse_sharing
from storage.sharing_settings import set_sharing, sharing_setting
from storage.status import find_partnership_id


def choose_sharing(request: CommandRequest, who: Viewer) -> None:
    """Show (no level) or set (a level) the sharing of a partnership this person leads."""
    words = request.rest.split(maxsplit=1)
    level = words[0].lower() if words and words[0].lower() in SHARING_LEVELS else None
    key = (words[1] if level and len(words) > 1 else "" if level else request.rest).strip()
    if words and level is None and not _looks_like_partnership(request, key):
        request.say_text(msg.SHARING_USAGE)
        return
    target = _target(request, who, key)
    if isinstance(target, str):
        request.say_text(target)
        return
    setting = (set_sharing(request.deps.db, target, parse_sharing(level), actor=who.slack_id,
                           now=request.deps.clock()) if level
               else sharing_setting(request.deps.db, target))
    if setting is None:
        request.say_text(msg.UNKNOWN_PARTNERSHIP.format(key=echo(key)))
        return
    request.say_text(sharing_line(setting, changed=level is not None))


def _looks_like_partnership(request: CommandRequest, key: str) -> bool:
    return bool(key) and find_partnership_id(request.deps.db, key) is not None


def _target(request: CommandRequest, who: Viewer, key: str) -> int | str:
    """The partnership whose sharing this lead may set, or why not (leads only: the
    partnership's choice, not the programme team's)."""
    if key:
        partnership_id = find_partnership_id(request.deps.db, key)
        if partnership_id is None:
            return msg.UNKNOWN_PARTNERSHIP.format(key=echo(key))
        if not who.leads(partnership_id):
            return msg.NOT_YOUR_PARTNERSHIP if who.led else msg.LEADS_ONLY
        return partnership_id
    if not who.led:
        return msg.LEADS_ONLY
    if len(who.led) > 1:
        return msg.SEVERAL_LED.format(command="sharing summary", slug=who.led[0].slug)
    return who.led[0].partnership_id
