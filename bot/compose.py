"""Wiring a running process: database, Slack client and Bolt app from the settings."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from slack_bolt import App
from slack_bolt.error import BoltError
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine, select

from bot.shell.app import create_app
from bot.shell.settings import Settings, SettingsError
from bot.shell.slack_client import make_client
from storage.clock import Clock, system_clock
from storage.db import SessionFactory, make_engine, make_session_factory, upgrade
from storage.importer import import_programme
from storage.models import Programme
from storage.programme import ProgrammeSpec, load_programme

logger = logging.getLogger("lpbot.runtime")


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    session_factory: SessionFactory
    clock: Clock
    client: WebClient

    def close(self) -> None:
        self.engine.dispose()


def prepare_database(settings: Settings, *, clock: Clock = system_clock,
                     spec: ProgrammeSpec | None = None) -> None:
    """Upgrade the schema and, into an empty database, import the programme.

    The programme is ``spec`` or else the file ``LPBOT_PROGRAMME`` names, read only when
    the database is empty. Done once, by the process that starts the others, so workers
    booting side by side never race to migrate or import.
    """
    upgrade(settings.database_url)
    if spec is None and not settings.programme_path:
        return
    engine = make_engine(settings.database_url)
    try:
        with make_session_factory(engine).begin() as session:
            if session.scalar(select(Programme.id)) is None:
                spec = spec or load_programme(settings.programme_path or "")
                import_programme(spec, session=session, now=clock())
                logger.info("imported the programme into the empty database")
    finally:
        engine.dispose()


def open_runtime(settings: Settings, *, clock: Clock = system_clock,
                 bot_token: str | None = None, prepare: bool = True) -> Runtime:
    """Database, session factory and Slack client; ``prepare`` first unless done already."""
    if prepare:
        prepare_database(settings, clock=clock)
    engine = make_engine(settings.database_url)
    session_factory = make_session_factory(engine)
    token = bot_token or settings.require("SLACK_BOT_TOKEN")
    client = make_client(token, settings.slack_api_url)
    return Runtime(settings, engine, session_factory, clock, client)


def build_app(runtime: Runtime, *, signing_secret: str | None) -> App:
    """The Bolt app; an invalid token stops here with a clear message."""
    try:
        runtime.client.auth_test()
    except SlackApiError as error:
        raise SettingsError(
            f"Slack refused SLACK_BOT_TOKEN ({error.response.get('error')}): copy the Bot "
            "User OAuth Token again from your app's 'OAuth & Permissions' page") from None
    except OSError as error:
        raise SettingsError(f"cannot reach Slack at {runtime.settings.slack_api_url} "
                            f"({type(error).__name__}): check SLACK_API_URL and the network"
                            ) from None
    try:
        return create_app(client=runtime.client, session_factory=runtime.session_factory,
                          clock=runtime.clock, signing_secret=signing_secret,
                          verify_token=False)
    except BoltError as error:
        raise SettingsError(f"could not start the Slack app: {error}") from None
