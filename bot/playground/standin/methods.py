"""Every Web API method the stand-in answers, by name, with the arguments each requires:
the families gathered in one table for the server's dispatcher."""

from __future__ import annotations

from bot.playground.standin import chat, conversations, files, mpim, users, views
from bot.playground.standin.workspace import WebApiMethod

# mpim comes after conversations: its conversations.open (several users) wraps the plain one.
METHODS: dict[str, WebApiMethod] = {
    **chat.METHODS, **views.METHODS, **users.METHODS, **conversations.METHODS,
    **mpim.METHODS, **files.METHODS,
}

REQUIRED: dict[str, tuple[str, ...]] = {
    **chat.REQUIRED, **views.REQUIRED, **users.REQUIRED, **conversations.REQUIRED,
    **files.REQUIRED,
}
