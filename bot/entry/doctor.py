"""``lpbot doctor``: check a real configuration (tokens, scopes, channels, people, database)
and print one line per problem with its fix; the exit status says whether any was found."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import click
from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from bot.entry.common import database, friendly
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
from bot.shell.manifest import DEFAULT_MANIFEST, ManifestError, bot_scopes
from bot.shell.settings import HOW_TO, Settings
from bot.shell.slack_client import make_client
from storage.db import StorageError
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
    with database(settings) as db:
        relied = relied_on(db)
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


@click.command("doctor", short_help="check tokens, scopes, channels, people and the database")
@click.option("--manifest", type=click.Path(dir_okay=False, path_type=Path),
              default=DEFAULT_MANIFEST, show_default="the manifest.yml lpbot ships with",
              help="the Slack app manifest whose bot scopes the token should hold")
@click.pass_obj
@friendly
def doctor(settings: Settings, manifest: Path) -> None:
    """Check this configuration against Slack and the database: the bot and app tokens,
    the scopes manifest.yml asks for, lpbot's place in the digest and partnership
    channels, every active person still in Slack, the database reachable and migrated.
    Prints one line per problem with its fix; exits 1 when there is any."""
    logging.getLogger("alembic").setLevel(logging.WARNING)  # its chatter is not a finding
    found = diagnose(settings, manifest)
    for problem in found.problems:
        click.echo(problem.line)
    for skipped in found.skipped:
        click.echo(f"  not checked: {skipped}")
    if found.healthy:
        click.echo("all good: " + "; ".join(found.fine))
        return
    click.echo(f"{len(found.problems)} problem(s) found")
    raise SystemExit(1)
