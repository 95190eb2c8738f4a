"""The `/lp` slash command: acknowledge, find who is asking, and hand the rest of the
text to the subcommand's handler from ``SUBCOMMANDS``."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.blocks import messages as msg
from bot.blocks.help import help_blocks
from bot.shell.deps import Deps
from handlers.commands import checkin, digest, objectives, pause, reminders, status
from handlers.commands.request import CommandRequest, Subcommand
from handlers.common import after_ack, clean_text, deps_of, logger
from storage.access import is_outsider, viewer

SUBCOMMANDS: dict[str, Subcommand] = {
    "checkin": checkin.open_checkin,
    "status": status.show_status,
    "pause": pause.pause_prompts,
    "resume": pause.resume_prompts,
    "reminders": reminders.switch_reminders,
    "objectives": objectives.open_objectives,
    "digest": digest.preview_digest,
}


def handle_lp(ack: Ack, command: dict[str, Any], respond: Respond, client: WebClient,
              context: BoltContext) -> None:
    """Ack at once; the answer is worked out on the answer pool."""
    ack()
    deps = deps_of(context)
    after_ack(deps, "/lp", answer_lp, deps=deps, command=command, respond=respond,
              client=client)


def answer_lp(deps: Deps, command: dict[str, Any], respond: Respond,
              client: WebClient) -> None:
    """Find who is asking and hand the rest of the text to its subcommand."""
    text = clean_text(command.get("text"), 500)
    word, _, rest = text.partition(" ")
    word = word.lower()
    slack_id = str(command.get("user_id", ""))
    handler = SUBCOMMANDS.get(word)
    # Only known words reach the log: whatever else was typed could forge a log line.
    logged = word if handler or word == "help" else "help" if not word else "unknown"
    logger.info("command /lp %s user=%s", logged, slack_id)
    who = viewer(deps.db, slack_id)
    request = CommandRequest(deps, client, respond, who, rest.strip(),
                             str(command.get("trigger_id", "")))
    if word in ("", "help"):
        request.say(help_blocks(who), msg.HELP_HEADER)
    elif who is None or is_outsider(who):
        request.say(help_blocks(None), msg.HELP_OUTSIDER)
    elif handler is None:
        request.say(help_blocks(who, unknown=text), msg.HELP_HEADER)
    else:
        handler(request, who)
