"""The `/lp` slash command: acknowledge, find who is asking, and hand the rest of the
text to the subcommand's handler from ``SUBCOMMANDS``."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.blocks import messages as msg
from bot.blocks.help import help_blocks
from bot.shell.deps import Deps
from handlers.admin.gate import staff_outside_programme
from handlers.commands import checkin, digest, objectives, pause, reminders, sharing, status
from handlers.commands.admin import open_admin
from handlers.commands.forget import confirm_erasure
from handlers.commands.privacy import send_my_data, show_privacy
from handlers.commands.request import CommandRequest, OpenSubcommand, Subcommand
from handlers.common import after_ack, clean_text, deps_of, log_id, logger
from storage.access import is_outsider, viewer

SUBCOMMANDS: dict[str, Subcommand] = {
    "checkin": checkin.open_checkin,
    "status": status.show_status,
    "pause": pause.pause_prompts,
    "resume": pause.resume_prompts,
    "reminders": reminders.switch_reminders,
    "objectives": objectives.open_objectives,
    "digest": digest.preview_digest,
    "forget": confirm_erasure,
    "sharing": sharing.choose_sharing,
}
# Answered for anyone, in the programme or not (their rights do not end with it).
OPEN_TO_ALL: dict[str, OpenSubcommand] = {
    "privacy": show_privacy,
    "my data": send_my_data,
    "admin": open_admin,  # staff may not be in the programme yet (a fresh install)
}


def handle_lp(ack: Ack, command: dict[str, Any], respond: Respond, client: WebClient,
              context: BoltContext) -> None:
    """Ack at once; the answer is worked out on the answer pool. When the pool is full,
    the ack itself says so (no second call to Slack while it is busiest)."""
    deps = deps_of(context)
    if deps.answers.full():
        ack(text=msg.BUSY)
        deps.answers.refusals.refused("/lp, in its ack")
        return
    ack()
    after_ack(deps, "/lp", answer_lp, deps=deps, command=command, respond=respond,
              client=client)


def answer_lp(deps: Deps, command: dict[str, Any], respond: Respond,
              client: WebClient) -> None:
    """Find who is asking and hand the rest of the text to its subcommand."""
    text = clean_text(command.get("text"), 500)
    word, _, rest = text.partition(" ")
    word = word.lower()
    pair = " ".join([word, *rest.lower().split()[:1]])
    if pair in OPEN_TO_ALL:  # a two-word subcommand ("my data")
        word, rest = pair, rest.strip().partition(" ")[2]
    slack_id = str(command.get("user_id", ""))
    handler, opened = SUBCOMMANDS.get(word), OPEN_TO_ALL.get(word)
    # Only known words reach the log: whatever else was typed could forge a log line.
    logged = word if handler or opened or word == "help" else \
        "help" if not word else "unknown"
    logger.info("command /lp %s user=%s", logged, log_id(slack_id))
    who = viewer(deps.db, slack_id)
    request = CommandRequest(deps, client, respond, who, rest.strip(),
                             str(command.get("trigger_id", "")), slack_id)
    if word in ("", "help"):
        admin = (who is None or not who.is_staff) and \
            staff_outside_programme(deps, client, slack_id)
        request.say(help_blocks(who, admin=admin), msg.HELP_HEADER)
    elif opened is not None:
        opened(request)
    elif who is None or is_outsider(who):
        request.say(help_blocks(None), msg.HELP_OUTSIDER)
    elif handler is None:
        request.say(help_blocks(who, unknown=text), msg.HELP_HEADER)
    else:
        handler(request, who)
