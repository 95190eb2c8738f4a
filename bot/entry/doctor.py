"""``lpbot doctor``: check a real configuration (tokens, scopes, channels, people, database)
and print one line per problem with its fix; the exit status says whether any was found."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from bot.entry.common import friendly
from bot.shell.manifest import DEFAULT_MANIFEST
from bot.shell.settings import Settings


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
    from bot.shell.diagnose import diagnose  # Slack's client loads only when it is needed

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
