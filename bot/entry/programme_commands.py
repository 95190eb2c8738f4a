"""`lpbot programme schema|export` and `lpbot audit`: the programme file kept in step
with what staff change in Slack, and who changed what."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime

import click

from bot.blocks.changes import audit_line
from bot.entry.common import database, friendly
from bot.entry.files import write_whole
from bot.shell.settings import Settings
from storage.audit import changes
from storage.programme_store import current_programme, programme_schema, programme_yaml


@click.group("programme", short_help="the programme file: its schema, an export")
def programme() -> None:
    """The programme file: its JSON Schema, and the programme in force written as one."""


@programme.command("schema", short_help="print the programme file's JSON Schema")
def schema() -> None:
    """Print the JSON Schema of programme.yaml, for an editor to check a file as you type
    (a copy is in examples/programme.schema.json)."""
    click.echo(schema_text(), nl=False)


def schema_text() -> str:
    return json.dumps(programme_schema(), indent=2, ensure_ascii=False) + "\n"


@programme.command("export", short_help="write the programme in force as YAML")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default="-",
              help="file to write (default: standard output)")
@click.pass_obj
@friendly
def export(settings: Settings, output: str) -> None:
    """Write the programme as the database holds it now (with every change made in
    Slack) as a file `lpbot import` accepts; importing it changes nothing."""
    with database(settings) as db:
        spec = current_programme(db)
    if spec is None:
        raise click.ClickException("no programme has been set up yet: nothing to export")
    text = programme_yaml(spec)
    if output == "-":
        sys.stdout.write(text)
        return
    try:
        write_whole(output, text)
    except OSError as error:
        raise click.ClickException(
            f"cannot write {output} ({error.strerror or error.__class__.__name__}): check "
            "that its folder exists and that you may write there") from None
    people = {p.slack_id for p in spec.staff} | {
        m.slack_id for p in spec.partnerships for m in p.members}
    click.echo(f"wrote the programme ({len(spec.partnerships)} partnerships, "
               f"{len(people)} people) to {output}")


@click.command("audit", short_help="who changed what, newest first")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="only changes on or after this day (YYYY-MM-DD, UTC)")
@click.option("--limit", type=click.IntRange(1, 100_000), default=500, show_default=True,
              help="at most this many entries")
@click.pass_obj
@friendly
def audit(settings: Settings, since: datetime | None, limit: int) -> None:
    """List the audit log, newest first, one entry a line: changes to the programme from
    a file or from Slack (who, what, before → after), erasures, exports and retention."""
    start = since.replace(tzinfo=UTC) if since else None
    with database(settings) as db:
        found = changes(db, since=start, limit=limit)
    if not found:
        click.echo("no entries" + (f" since {start:%Y-%m-%d}" if start else ""))
    for change in found:
        click.echo(audit_line(change))
