"""The `/lp` slash command and its subcommands."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.blocks import messages as msg
from bot.blocks.checkin import choose_partnership_modal
from bot.blocks.common import echo, mrkdwn_section, when
from bot.render import checkin_view_for, objectives_view_for, status_for
from bot.shell.deps import Deps
from handlers.common import clean_text, logger, safely, viewer_for
from storage.access import Viewer, is_outsider
from storage.people import pause, resume, set_reminders
from storage.queries import find_partnership

PAUSE_RE = re.compile(r"^(\d{1,3})\s*(day|days|d|week|weeks|w)$")


def help_blocks(viewer: Viewer | None, unknown: str | None = None) -> list[Any]:
    """What this person may do, by role."""
    if viewer is None or is_outsider(viewer):
        lines = [msg.HELP_OUTSIDER]
    else:
        lines = [msg.HELP_HEADER] + msg.HELP_MEMBER * bool(viewer.seats)
        if viewer.led:
            lines += msg.HELP_LEAD
        if viewer.is_staff:
            lines += msg.HELP_STAFF
    if unknown:
        lines.insert(0, msg.UNKNOWN_COMMAND.format(text=echo(unknown)))
    return [mrkdwn_section("\n".join(lines))]


def parse_pause(text: str) -> timedelta | None:
    match = PAUSE_RE.match(text.strip().lower())
    if not match:
        return None
    number = int(match.group(1))
    length = timedelta(weeks=number) if match.group(2).startswith("w") else \
        timedelta(days=number)
    return length if timedelta(days=1) <= length <= timedelta(weeks=26) else None


def register(app: App, deps: Deps) -> None:
    @app.command("/lp")
    @safely("/lp")
    def handle_lp(ack: Ack, command: dict[str, Any], respond: Respond,
                  client: WebClient) -> None:
        ack()  # within Slack's 3 seconds, whatever follows
        text = clean_text(command.get("text"), 500)
        sub, _, rest = text.partition(" ")
        sub, rest = sub.lower(), rest.strip()
        slack_id = str(command.get("user_id", ""))
        logger.info("command /lp %s user=%s", sub or "help", slack_id)
        viewer = viewer_for(deps, slack_id)

        def say(blocks: list[Any], fallback: str) -> None:
            respond(text=fallback, blocks=blocks, response_type="ephemeral",
                    replace_original=False)

        def say_text(line: str) -> None:
            say([mrkdwn_section(line)], line)

        if sub in ("", "help"):
            say(help_blocks(viewer), msg.HELP_HEADER)
        elif viewer is None or is_outsider(viewer):
            say(help_blocks(None), msg.HELP_OUTSIDER)
        elif sub == "checkin":
            open_checkin(client, str(command.get("trigger_id", "")), viewer, say_text)
        elif sub == "status":
            with deps.session_factory() as session:
                blocks = status_for(session, viewer, rest, deps.clock())
            say(blocks, "Status")
        elif sub == "pause":
            length = parse_pause(rest)
            if length is None or not viewer.seats:
                say_text(msg.PAUSE_USAGE if viewer.seats else msg.NOT_A_MEMBER)
                return
            with deps.session_factory.begin() as session:
                until = pause(session, viewer.person_id, length, deps.clock())
            say_text(msg.PAUSED.format(until=when(until)))
        elif sub == "resume":
            with deps.session_factory.begin() as session:
                was_paused = resume(session, viewer.person_id, deps.clock())
            say_text(msg.RESUMED if was_paused else msg.NOT_PAUSED)
        elif sub == "reminders" and rest.lower() in ("on", "off"):
            with deps.session_factory.begin() as session:
                set_reminders(session, viewer.person_id, rest.lower() == "on")
            say_text(msg.REMINDERS_ON if rest.lower() == "on" else msg.REMINDERS_OFF)
        elif sub == "reminders":
            say_text(msg.REMINDERS_USAGE)
        elif sub == "objectives":
            open_objectives(client, str(command.get("trigger_id", "")), viewer, rest, say_text)
        elif sub == "digest":
            if not viewer.is_staff:
                say_text(msg.STAFF_ONLY)
                return
            from bot.blocks.digest import digest_preview_messages

            with deps.session_factory() as session:
                for part in digest_preview_messages(session, deps.clock()):
                    say(part.blocks, part.text)
        else:
            say(help_blocks(viewer, unknown=text), msg.HELP_HEADER)

    def open_checkin(client: WebClient, trigger_id: str, viewer: Viewer,
                     say_text: Any) -> None:
        if not viewer.seats:
            say_text(msg.NOT_A_MEMBER)
            return
        if len(viewer.seats) > 1:
            view = choose_partnership_modal([(s.partnership_id, s.name) for s in viewer.seats])
        else:
            with deps.session_factory.begin() as session:
                view = checkin_view_for(session, viewer, viewer.seats[0].partnership_id,
                                        deps.clock())
        client.views_open(trigger_id=trigger_id, view=view)

    def open_objectives(client: WebClient, trigger_id: str, viewer: Viewer, key: str,
                        say_text: Any) -> None:
        with deps.session_factory() as session:
            target = _objectives_target(session, viewer, key)
            if isinstance(target, str):
                say_text(target)
                return
            view = objectives_view_for(session, target)
        client.views_open(trigger_id=trigger_id, view=view)


def _objectives_target(session: Any, viewer: Viewer, key: str) -> int | str:
    """The partnership whose objectives this viewer may edit, or why not."""
    if key:
        partnership = find_partnership(session, key)
        if partnership is None:
            return msg.UNKNOWN_PARTNERSHIP.format(key=echo(key))
        if not (viewer.is_staff or viewer.leads(partnership.id)):
            return msg.NOT_YOUR_PARTNERSHIP if viewer.led else msg.LEADS_ONLY
        return partnership.id
    if not viewer.led:
        return msg.LEADS_ONLY
    if len(viewer.led) > 1:
        return msg.SEVERAL_LED.format(command="objectives", slug=viewer.led[0].slug)
    return viewer.led[0].partnership_id


__all__ = ["help_blocks", "parse_pause", "register"]
