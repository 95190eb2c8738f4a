"""Every check of ``lpbot doctor``, run in the order an operator fixes things: the database,
the tokens and scopes, then the channels and people the programme relies on. The CLI
prints what this finds; tests run it against the local stand-in."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from bot.shell.doctor import (
    Findings,
    Problem,
    check_app_token,
    check_bot_token,
    check_channels,
    check_people,
    check_schema,
    check_scopes,
)
from bot.shell.manifest import ManifestError, bot_scopes
from bot.shell.settings import HOW_TO, Settings
from bot.shell.slack_client import make_client
from storage.db import StorageError, open_database
from storage.health import SchemaState, relied_on, schema_state


def diagnose(settings: Settings, manifest: Path) -> Findings:
    """Every check, in the order an operator fixes things: the database, the tokens and
    scopes, then the channels and people the programme relies on."""
    found = Findings()
    wanted: tuple[str, ...] | None = None
    try:
        wanted = bot_scopes(manifest)
    except ManifestError as error:
        found.problems.append(Problem(str(error), "give the app's manifest with --manifest PATH"))
    state: SchemaState | StorageError
    try:
        state = schema_state(settings.database_url)
    except StorageError as error:
        state = error
    database_ready = check_schema(state, found)
    try:
        _check_slack(settings, wanted, database_ready, found)
    except (SlackClientError, OSError) as error:
        found.problems.append(Problem(
            f"cannot reach Slack at {settings.slack_api_url} ({error.__class__.__name__})",
            "check SLACK_API_URL and the network, then run `lpbot doctor` again"))
    return found


def _check_slack(settings: Settings, wanted: tuple[str, ...] | None, database_ready: bool,
                 found: Findings) -> None:
    def client_for(token: str) -> WebClient:  # fewer retries: an operator is waiting
        return make_client(token, settings.slack_api_url, max_retries=2)

    client = _working_bot_client(settings, wanted, client_for, found)
    check_app_token(settings, client_for, found)
    if client is None:
        found.skipped.append("channels and people (no working bot token)")
        return
    if not database_ready:
        found.skipped.append("channels and people (the database is not ready)")
        return
    db = open_database(settings.database_url)
    try:
        relied = relied_on(db)
    finally:
        db.dispose()
    if not relied.programme:
        found.skipped.append("channels and people (no programme imported yet)")
        return
    check_channels(client, relied.channels, found)
    check_people(client, relied.people, found)


def _working_bot_client(settings: Settings, wanted: tuple[str, ...] | None,
                        client_for: Callable[[str], WebClient],
                        found: Findings) -> WebClient | None:
    """The bot's client once auth.test accepts its token (and its scopes checked)."""
    token = settings.bot_token
    if not token or not token.startswith("xoxb-"):
        found.problems.append(Problem(
            "SLACK_BOT_TOKEN does not start with 'xoxb-'" if token else
            "SLACK_BOT_TOKEN is not set", f"put {HOW_TO['SLACK_BOT_TOKEN']} in .env"))
        return None
    client = client_for(token)
    works, granted = check_bot_token(client, found)
    if not works:
        return None
    if wanted is not None:
        check_scopes(granted, wanted, found)
    return client
