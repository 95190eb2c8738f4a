"""What a subcommand handler receives: who is asking, the rest of the text, and how to
answer them privately."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import Respond
from slack_sdk import WebClient

from bot.blocks.common import mrkdwn_section
from bot.shell.deps import Deps
from storage.access import Viewer


@dataclass(frozen=True)
class CommandRequest:
    deps: Deps
    client: WebClient
    respond: Respond
    viewer: Viewer | None
    rest: str
    trigger_id: str
    slack_id: str = ""  # who asked, known or not (the open subcommands need it)

    def say(self, blocks: list[Any], fallback: str) -> None:
        """Answer only the person who asked (ephemeral)."""
        self.respond(text=fallback, blocks=blocks, response_type="ephemeral",
                     replace_original=False)

    def say_text(self, line: str) -> None:
        self.say([mrkdwn_section(line)], line)


Subcommand = Callable[[CommandRequest, Viewer], None]
"""A subcommand, called only for someone who is in the programme."""

OpenSubcommand = Callable[[CommandRequest], None]
"""A subcommand answered for anyone, known to lpbot or not (``request.slack_id``)."""
