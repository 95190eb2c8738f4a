"""The commands that start a long-running process: Socket Mode (``run``), HTTP mode
(``serve``), the scheduler alone, and the playground against the local Slack stand-in."""

from __future__ import annotations

import click

from bot.entry.common import friendly
from bot.shell.settings import Settings


@click.command("run", short_help="run in Socket Mode with the scheduler")
@click.pass_obj
@friendly
def run(settings: Settings) -> None:
    """Run everything in one process: Socket Mode listener, scheduler, delivery worker."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.compose import open_runtime, run_scheduler

    if not settings.has_any_slack_token:
        click.echo("No Slack tokens are configured (see .env.example), so here is the "
                   "playground instead: lpbot against a local Slack stand-in.")
        _playground(settings, "127.0.0.1", settings.port)
        return
    settings.require("SLACK_BOT_TOKEN")
    app_token = settings.require("SLACK_APP_TOKEN")
    runtime = open_runtime(settings)
    scheduler = run_scheduler(runtime, settings)
    click.echo("lpbot is running in Socket Mode; press Ctrl-C to stop")
    try:
        SocketModeHandler(runtime.app, app_token).start()  # type: ignore[no-untyped-call]
    finally:
        scheduler.shutdown(wait=False)
        runtime.close()


@click.command("serve", short_help="serve HTTP mode with gunicorn")
@click.option("--host", default="0.0.0.0", show_default=True, help="address to listen on")
@click.option("--port", type=int, default=None, help="port (default: PORT or 3000)")
@click.option("--workers", type=int, default=2, show_default=True, help="gunicorn workers")
@click.pass_obj
@friendly
def serve(settings: Settings, host: str, port: int | None, workers: int) -> None:
    """Serve HTTP mode (/slack/events, /healthz) with gunicorn; signatures are enforced."""
    from bot.compose import prepare_database
    from bot.entry.serve import LpbotServer

    settings.require("SLACK_BOT_TOKEN")
    settings.require("SLACK_SIGNING_SECRET")
    prepare_database(settings)
    click.echo(f"lpbot is serving on http://{host}:{port or settings.port}/slack/events")
    LpbotServer(settings, host=host, port=port or settings.port, workers=workers).run()


@click.command("scheduler", short_help="run only the scheduler and delivery")
@click.pass_obj
@friendly
def scheduler_command(settings: Settings) -> None:
    """Run only the scheduler and delivery worker (safe to run twice: the outbox dedupes)."""
    import signal
    import threading

    from bot.compose import open_runtime, run_scheduler

    runtime = open_runtime(settings)  # checks the token, clearly, before starting
    scheduler = run_scheduler(runtime, settings)
    click.echo("lpbot scheduler is running; press Ctrl-C to stop")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        scheduler.shutdown(wait=False)
        runtime.close()


@click.command("playground", short_help="try lpbot with no Slack workspace")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=None, help="port (default: PORT or 3000)")
@click.pass_obj
@friendly
def playground(settings: Settings, host: str, port: int | None) -> None:
    """Run lpbot against a local Slack stand-in, with a web page that plays Slack's client
    and a clock you can fast-forward. Imports the example programme into an empty database."""
    _playground(settings, host, port or settings.port)


def _playground(settings: Settings, host: str, port: int) -> None:
    from bot.playground.server import serve_playground

    try:
        serve_playground(settings, host, port)
    except KeyboardInterrupt:
        pass
    except OSError as error:
        raise click.ClickException(f"cannot listen on {host}:{port} ({error.strerror}): "
                                   "set PORT or use --port") from None
