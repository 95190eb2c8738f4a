"""The ``lpbot`` command line: the only place that reads settings and starts things."""

from __future__ import annotations

import sys
from typing import Any

import click

from bot.entry.common import database, friendly
from bot.entry.doctor import doctor
from bot.entry.processes import playground, run, scheduler_command, serve
from bot.entry.programme_commands import audit, programme
from bot.shell.settings import Settings, SettingsError, configure_logging, load_settings
from storage.audit import file_actor
from storage.clock import system_clock
from storage.db import upgrade
from storage.importer import import_into
from storage.programme import load_programme


@click.group()
@click.pass_context
def main(ctx: click.Context) -> None:
    """lpbot: check-ins, status and digests that keep place-based partnerships moving."""
    try:
        settings = load_settings()
    except SettingsError as error:
        raise click.ClickException(str(error)) from None
    configure_logging(settings.log_level)
    ctx.obj = settings


@main.group(short_help="database schema commands")
def db() -> None:
    """Database schema commands."""


@db.command("upgrade", short_help="create or upgrade the database schema")
@click.pass_obj
@friendly
def db_upgrade(settings: Settings) -> None:
    """Create or upgrade the database schema (Alembic)."""
    upgrade(settings.database_url)
    click.echo("database schema is up to date")


@main.command("import", short_help="import or update a programme file")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--recreate-erased", is_flag=True,
              help="re-create people the file lists who were erased, without asking")
@click.pass_obj
@friendly
def import_file(settings: Settings, path: str, recreate_erased: bool) -> None:
    """Import or update the programme, partnerships and people from a YAML file.

    Someone the file lists who was erased is not re-created silently: you are asked."""
    from storage.erasure import ErasedListed

    spec = load_programme(path)
    upgrade(settings.database_url)
    with database(settings) as db:
        try:
            report = import_into(db, spec, system_clock(), actor=file_actor(path))
        except ErasedListed as listed:
            _confirm_recreation(listed, recreate_erased)
            report = import_into(db, spec, system_clock(), recreate_erased=frozenset(
                slack_id for slack_id, _, _ in listed.listed), actor=file_actor(path))
    if report.changed:
        click.echo(f"imported {len(spec.partnerships)} partnerships: {report.created} created, "
                   f"{report.updated} updated, {report.deactivated} deactivated")
    else:
        click.echo(f"imported {len(spec.partnerships)} partnerships: no changes")



def _confirm_recreation(listed: Any, yes: bool) -> None:
    click.echo(f"The file lists {len(listed.listed)} person(s) whose data was erased:")
    for slack_id, name, at in listed.listed:
        click.echo(f"  - {slack_id} ({name}), erased {at:%Y-%m-%d}")
    if not yes and not click.confirm("Re-create them as new people?", default=False):
        raise click.ClickException("nothing was imported; remove them from the file, or "
                                   "confirm (--recreate-erased)")


@main.command("forget", short_help="erase one person's personal data")
@click.argument("slack_id")
@click.option("--yes", is_flag=True, help="do not ask for confirmation")
@click.pass_obj
@friendly
def forget(settings: Settings, slack_id: str, yes: bool) -> None:
    """Erase a person: their name, Slack id and free text go; their scores stay,
    unattributed; queued messages to them are dropped. Logged in the audit log."""
    from storage.erasure import AlreadyErased, UnknownPerson, erase_person, erasure_target

    with database(settings) as db:
        target = erasure_target(db, slack_id)
        if target is not None and not yes:
            click.echo(f"{target.name}: {', '.join(target.partnerships) or 'no partnership'}"
                       f", {target.checkins} check-in(s)")
            click.confirm("Erase this person's data? This cannot be undone", abort=True)
        try:
            result = erase_person(db, slack_id, actor="cli", now=system_clock())
        except AlreadyErased:
            raise click.ClickException(f"{slack_id} was erased already") from None
        except UnknownPerson:
            raise click.ClickException(f"lpbot holds nothing about {slack_id}") from None
    click.echo(f"erased: {result.checkins} check-in(s) lost their text ({result.texts} "
               f"answers), {result.deliveries_dropped} queued message(s) dropped, "
               f"{result.payloads_cleared} message copies cleared. Messages already posted "
               "in Slack follow the workspace's own retention.")


@main.command("retention", short_help="remove free text past the retention period")
@click.option("--dry-run", is_flag=True, help="show what would go, change nothing")
@click.pass_obj
@friendly
def retention(settings: Settings, dry_run: bool) -> None:
    """Remove free text kept longer than the programme's retention setting (the scheduler
    does this once a day); --dry-run shows what would go."""
    from storage.retention import apply_retention, retention_plan

    now = system_clock()
    with database(settings) as db:
        plan = retention_plan(db, now) if dry_run else apply_retention(db, now, actor="cli")
    if plan.starts_at is None:
        raise click.ClickException("no programme has been imported yet")
    if plan.cutoff is None:
        click.echo(f"nothing to remove: free text is kept {plan.days} days after the "
                   f"report-back ({plan.report_back}); removal starts {plan.starts_at:%Y-%m-%d}")
        return
    verb = "would remove" if dry_run else "removed"
    click.echo(f"{verb} the free text of {plan.checkins} check-in(s) ({plan.texts} answers) "
               f"written before {plan.cutoff:%Y-%m-%d}, and {plan.payloads} old message copies")


@main.command("status", short_help="momentum of all or one partnership")
@click.argument("key", default="all")
@click.pass_obj
@friendly
def status(settings: Settings, key: str) -> None:
    """Show momentum: `all` partnerships worst first, or one by slug or name."""
    from bot.blocks.terminal import overview_text, status_text
    from storage.status import operator_overview, operator_status

    now = system_clock()
    with database(settings) as db:
        if key == "all":
            overview = operator_overview(db, now)
            click.echo(overview_text(overview.summaries, overview.today))
            return
        found = operator_status(db, key, now)
    if found is None:
        raise click.ClickException(f"no partnership called {key!r}; try `lpbot status`")
    click.echo(status_text(found.detail, found.today, now))


@main.command("digest", short_help="preview this week's staff digest")
@click.option("--preview", is_flag=True, help="print it as Markdown instead of posting it")
@click.pass_obj
@friendly
def digest(settings: Settings, preview: bool) -> None:
    """Preview this week's staff digest (the scheduler posts it on the configured day)."""
    from bot.blocks.digest import digest_markdown
    from storage.digest import digest_now

    if not preview:
        raise click.ClickException("the scheduler posts the digest; use --preview to see it")
    with database(settings) as db:
        click.echo(digest_markdown(digest_now(db, system_clock())), nl=False)


@main.command("export", short_help="export check-ins as CSV")
@click.option("--format", "fmt", type=click.Choice(["csv"]), default="csv", show_default=True)
@click.option("--partnership", default=None, help="only this partnership (slug)")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default="-",
              help="file to write (default: standard output)")
@click.pass_obj
@friendly
def export(settings: Settings, fmt: str, partnership: str | None, output: str) -> None:
    """Export check-ins and objective updates, one row each, for a spreadsheet."""
    from storage.export import write_csv

    with database(settings) as db:
        if output == "-":
            count = write_csv(db, sys.stdout, partnership)
        else:
            with open(output, "w", encoding="utf-8", newline="") as out:
                count = write_csv(db, out, partnership)
    if output != "-":
        click.echo(f"wrote {count} rows to {output}")


@main.command("report", short_help="a report-back summary, or the whole pack as HTML")
@click.argument("slug", required=False)
@click.option("--pack", "pack", type=click.Path(file_okay=False, writable=True),
              help="write the report-back pack (HTML pages with charts) into this folder")
@click.pass_obj
@friendly
def report(settings: Settings, slug: str | None, pack: str | None) -> None:
    """A report-back summary of one partnership in Markdown, ready to edit; or, with
    --pack DIR, a page per partnership (its own copy and staff's) and an overview."""
    from bot.blocks.terminal import report_markdown
    from storage.report import report_for

    if pack is not None:
        _write_pack(settings, pack)
        return
    if not slug:
        raise click.UsageError("name a partnership (its slug), or give --pack DIR")
    with database(settings) as db:
        data = report_for(db, slug)
    if data is None:
        raise click.ClickException(f"no partnership with slug {slug!r}")
    click.echo(report_markdown(data))


def _write_pack(settings: Settings, folder: str) -> None:
    from pathlib import Path

    from bot.report.pack import build_pack, to_folder
    from storage.pack import pack_partnerships, pack_programme

    now = system_clock()
    with database(settings) as db:
        programme = pack_programme(db, now)
        result = build_pack(programme, pack_partnerships(db, programme, now),
                            to_folder(Path(folder)))
    click.echo(f"wrote {result.pages} pages for {result.partnerships} partnerships to "
               f"{folder} (open index.html)")


main.add_command(run)
main.add_command(serve)
main.add_command(scheduler_command)
main.add_command(playground)
main.add_command(doctor)
main.add_command(programme)
main.add_command(audit)

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
