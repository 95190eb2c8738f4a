from __future__ import annotations

from pathlib import Path

import pytest

from bot.shell.settings import DEFAULT_DATABASE_URL, SettingsError, load_settings


def test_defaults_need_nothing() -> None:
    settings = load_settings({}, dotenv_path=None)
    assert settings.database_url == DEFAULT_DATABASE_URL
    assert settings.slack_api_url == "https://slack.com/api/"
    assert not settings.has_any_slack_token


def test_dotenv_is_read_and_environment_wins(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text("SLACK_BOT_TOKEN=xoxb-from-file\nDATABASE_URL=sqlite:///x.db\n")
    settings = load_settings({"DATABASE_URL": "postgres://u@h/db"}, dotenv_path=env)
    assert settings.bot_token == "xoxb-from-file"
    assert settings.database_url == "postgresql+psycopg://u@h/db"


def test_missing_token_names_variable_and_how_to_get_it() -> None:
    settings = load_settings({}, dotenv_path=None)
    with pytest.raises(SettingsError, match=r"SLACK_BOT_TOKEN is not set.*OAuth"):
        settings.require("SLACK_BOT_TOKEN")


def test_malformed_token_is_named() -> None:
    settings = load_settings({"SLACK_APP_TOKEN": "xoxb-wrong-kind"}, dotenv_path=None)
    with pytest.raises(SettingsError, match="SLACK_APP_TOKEN should start with 'xapp-'"):
        settings.require("SLACK_APP_TOKEN")


@pytest.mark.parametrize(("key", "value", "message"), [
    ("LPBOT_LOG_LEVEL", "LOUD", "LPBOT_LOG_LEVEL"),
    ("SLACK_API_URL", "ftp://x", "SLACK_API_URL"),
    ("DATABASE_URL", "lpbot.db", "DATABASE_URL"),
    ("PORT", "eighty", "PORT"),
])
def test_malformed_values_are_named(key: str, value: str, message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        load_settings({key: value}, dotenv_path=None)


def test_repr_never_shows_secrets() -> None:
    settings = load_settings({"SLACK_BOT_TOKEN": "xoxb-secret-123",
                              "SLACK_SIGNING_SECRET": "sign-secret",
                              "DATABASE_URL": "postgresql://u:pw@h/db"}, dotenv_path=None)
    shown = repr(settings)
    assert "secret" not in shown and "pw" not in shown
