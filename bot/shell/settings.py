"""Settings: one frozen object, read from the environment and ``.env`` once at start-up."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from dotenv import dotenv_values

from bot.shell import log_hygiene

DEFAULT_DATABASE_URL = "sqlite:///lpbot.db"
DEFAULT_SLACK_API_URL = "https://slack.com/api/"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
USER_ID = re.compile(r"[UW][A-Z0-9]{2,31}")


class SettingsError(Exception):
    """A missing or malformed setting; the message names the variable and how to fix it."""


HOW_TO = {
    "SLACK_BOT_TOKEN": "the Bot User OAuth Token (xoxb-…) from your Slack app's "
    "'OAuth & Permissions' page",
    "SLACK_APP_TOKEN": "an app-level token (xapp-…) with the connections:write scope, from "
    "'Basic Information' > 'App-Level Tokens'",
    "SLACK_SIGNING_SECRET": "the Signing Secret from your Slack app's 'Basic Information' page",
    "LPBOT_PROGRAMME": "the path of your programme file, e.g. examples/leading-places.yaml",
}
PREFIXES = {"SLACK_BOT_TOKEN": "xoxb-", "SLACK_APP_TOKEN": "xapp-"}


@dataclass(frozen=True)
class Settings:
    bot_token: str | None = None
    app_token: str | None = None
    signing_secret: str | None = None
    database_url: str = DEFAULT_DATABASE_URL
    slack_api_url: str = DEFAULT_SLACK_API_URL
    programme_path: str | None = None
    log_level: str = "INFO"
    port: int = 3000
    send_rate: float = 20.0
    tick_seconds: int = 60
    lease_seconds: int = 120
    # Slack ids who are programme staff before (or besides) the programme's staff list:
    # whoever installs lpbot can create the programme from Slack (LPBOT_STAFF).
    staff_ids: frozenset[str] = frozenset()

    @property
    def delivery_lease(self) -> timedelta:
        """How long a message may be in flight before recovery assumes its sender died."""
        return timedelta(seconds=self.lease_seconds)

    def require(self, variable: str) -> str:
        """The value of ``variable``, or a SettingsError that says how to get it."""
        value = {
            "SLACK_BOT_TOKEN": self.bot_token,
            "SLACK_APP_TOKEN": self.app_token,
            "SLACK_SIGNING_SECRET": self.signing_secret,
            "LPBOT_PROGRAMME": self.programme_path,
        }[variable]
        if not value:
            raise SettingsError(f"{variable} is not set: put {HOW_TO[variable]} in .env "
                                "or the environment (see .env.example)")
        prefix = PREFIXES.get(variable)
        if prefix and not value.startswith(prefix):
            raise SettingsError(f"{variable} should start with {prefix!r}: use {HOW_TO[variable]}")
        return value

    @property
    def has_any_slack_token(self) -> bool:
        """False means "try lpbot without Slack": `lpbot run` starts the playground."""
        return bool(self.bot_token or self.app_token)

    def __repr__(self) -> str:  # never print a secret, even by accident
        return (f"Settings(database_url={_redact_url(self.database_url)!r}, "
                f"slack_api_url={self.slack_api_url!r}, programme_path={self.programme_path!r}, "
                f"log_level={self.log_level!r}, port={self.port})")


def _redact_url(url: str) -> str:
    scheme, sep, rest = url.partition("://")
    if "@" in rest:
        rest = "***@" + rest.split("@", 1)[1]
    return scheme + sep + rest


def load_settings(environ: Mapping[str, str] | None = None,
                  dotenv_path: str | Path | None = ".env") -> Settings:
    """Settings from ``.env`` overlaid by the environment; malformed values raise SettingsError."""
    values: dict[str, str | None] = {}
    if dotenv_path is not None and Path(dotenv_path).is_file():
        values.update(dotenv_values(dotenv_path))
    values.update(os.environ if environ is None else environ)

    def get(key: str) -> str | None:
        value = values.get(key)
        return value.strip() if value and value.strip() else None

    level = (get("LPBOT_LOG_LEVEL") or "INFO").upper()
    if level not in LOG_LEVELS:
        raise SettingsError(f"LPBOT_LOG_LEVEL should be one of {', '.join(LOG_LEVELS)}, "
                            f"not {level!r}")
    api_url = get("SLACK_API_URL") or DEFAULT_SLACK_API_URL
    if not api_url.startswith(("http://", "https://")):
        raise SettingsError(f"SLACK_API_URL should be an http(s) address, not {api_url!r}")
    if not api_url.endswith("/"):
        api_url += "/"
    database_url = get("DATABASE_URL") or DEFAULT_DATABASE_URL
    if "://" not in database_url:
        raise SettingsError("DATABASE_URL should be a SQLAlchemy URL such as "
                            "sqlite:///lpbot.db or postgresql+psycopg://user@host/db")
    if database_url.startswith(("postgres://", "postgresql://")):
        database_url = "postgresql+psycopg://" + database_url.split("://", 1)[1]
    return Settings(
        bot_token=get("SLACK_BOT_TOKEN"),
        app_token=get("SLACK_APP_TOKEN"),
        signing_secret=get("SLACK_SIGNING_SECRET"),
        database_url=database_url,
        slack_api_url=api_url,
        programme_path=get("LPBOT_PROGRAMME"),
        log_level=level,
        port=_number(get("PORT"), "PORT", 3000, int),
        send_rate=_number(get("LPBOT_SEND_RATE"), "LPBOT_SEND_RATE", 20.0, float),
        tick_seconds=_number(get("LPBOT_TICK_SECONDS"), "LPBOT_TICK_SECONDS", 60, int),
        lease_seconds=_number(get("LPBOT_LEASE_SECONDS"), "LPBOT_LEASE_SECONDS", 120, int),
        staff_ids=_slack_ids(get("LPBOT_STAFF"), "LPBOT_STAFF"),
    )


def _slack_ids(raw: str | None, name: str) -> frozenset[str]:
    """Comma-separated Slack user ids (U… or W…); anything else stops start-up."""
    ids = [part.strip() for part in (raw or "").split(",") if part.strip()]
    wrong = [i for i in ids if not USER_ID.fullmatch(i)]
    if wrong:
        raise SettingsError(f"{name} should list Slack user ids (U… or W…) separated by "
                            f"commas; {wrong[0][:40]!r} is not one")
    return frozenset(ids)


def _number(raw: str | None, name: str, default: float, kind: type) -> Any:
    if raw is None:
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise SettingsError(f"{name} should be a number, not {raw!r}") from None
    if value <= 0:
        raise SettingsError(f"{name} should be above zero")
    return value


def configure_logging(level: str) -> None:
    """One line per event, ids not payloads; slack_sdk's DEBUG would log tokens and bodies,
    and Bolt logs the body of every request it refuses (see log_hygiene)."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    for noisy in ("slack_sdk", "slack_bolt", "urllib3", "websockets"):
        logging.getLogger(noisy).setLevel(max(logging.INFO, logging.getLevelName(level)))
    log_hygiene.install()
