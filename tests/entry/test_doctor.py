"""`lpbot doctor` as an operator runs it: a real process, the local Slack stand-in over
HTTP, the example programme in a real database; one fault at a time, each named in one
line with its fix and a non-zero exit, and a healthy install exiting 0."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from bot.playground.standin import StandIn
from bot.playground.standin.seed import seed_workspace
from bot.playground.standin.server import APP_TOKEN, BOT_TOKEN
from bot.playground.standin.workspace import BOT_USER_ID
from bot.shell.manifest import bot_scopes
from storage.db import SessionFactory, alembic_config, open_database, upgrade
from storage.importer import import_programme
from storage.programme import load_programme
from tests.conftest import EXAMPLE, POSTGRES_URL, drop_pg_database, recreate_pg_database
from tests.processes import LPBOT, lpbot_env

SPEC = load_programme(EXAMPLE)
PEOPLE = {m.slack_id for p in SPEC.partnerships for m in p.members} | {
    s.slack_id for s in SPEC.staff}
HEADS = sorted(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads())
READ_ONLY = {"auth.test", "apps.connections.open", "conversations.info", "users.info",
             "users.list"}
FIRST = SPEC.partnerships[0]
UPGRADE = "run `lpbot db upgrade`"


@pytest.fixture
def standin() -> Iterator[StandIn]:
    with StandIn() as server:
        seed_workspace(server, SPEC)
        yield server


@pytest.fixture
def programme_url(sqlite_url: str) -> str:
    """A migrated SQLite database holding the example programme."""
    db = open_database(sqlite_url)
    with db.begin() as session:
        import_programme(SPEC, session=session, now=datetime(2026, 5, 1, tzinfo=UTC))
    db.dispose()
    return sqlite_url


def doctor(standin: StandIn, database_url: str, cwd: Path, *args: str,
           **settings: str | None) -> subprocess.CompletedProcess[str]:
    values: dict[str, str | None] = {
        "SLACK_API_URL": standin.api_url, "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_APP_TOKEN": APP_TOKEN, "DATABASE_URL": database_url, **settings}
    env = lpbot_env(**{k: v for k, v in values.items() if v is not None})
    return subprocess.run([*LPBOT, "doctor", *args], env=env, cwd=cwd, capture_output=True,
                          text=True, timeout=120)


def found(done: subprocess.CompletedProcess[str], *lines: str) -> None:
    """Exactly these problem lines, a non-zero exit, and no traceback."""
    problems = [line for line in done.stdout.splitlines() if line.startswith("✗ ")]
    assert problems == list(lines), done.stdout + done.stderr
    assert done.returncode == 1 and f"{len(lines)} problem(s) found" in done.stdout
    assert "Traceback" not in done.stderr


def test_a_healthy_install_is_all_good(standin: StandIn, example_programme: SessionFactory,
                                      database_url: str, tmp_path: Path) -> None:
    done = doctor(standin, database_url, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("all good: database at the latest schema; bot token valid")
    assert f"{len(bot_scopes())} scopes granted" in done.stdout
    assert f"lpbot is in all {1 + len(SPEC.partnerships)} channel(s)" in done.stdout
    assert f"all {len(PEOPLE)} people active in Slack" in done.stdout
    assert done.stderr == ""
    assert {call.method for call in standin.calls} <= READ_ONLY  # it changed nothing
    # One users.list page answers for all 67 people: no users.info call at all.
    assert len(standin.calls_to("users.list")) == 1 and not standin.calls_to("users.info")


def test_no_programme_yet_is_not_a_problem(standin: StandIn, sqlite_url: str,
                                           tmp_path: Path) -> None:
    done = doctor(standin, sqlite_url, tmp_path)
    assert done.returncode == 0 and done.stdout.splitlines() == [
        "  not checked: channels and people (no programme imported yet)",
        f"all good: database at the latest schema; bot token valid (@lpbot in Local); "
        f"{len(bot_scopes())} scopes granted; Socket Mode app token valid"]


def test_a_refused_bot_token(standin: StandIn, programme_url: str, tmp_path: Path) -> None:
    done = doctor(standin, programme_url, tmp_path, SLACK_BOT_TOKEN="xoxb-revoked-long-ago")
    found(done, "✗ Slack refused SLACK_BOT_TOKEN (invalid_auth): put the Bot User OAuth "
          "Token (xoxb-…) from your Slack app's 'OAuth & Permissions' page in .env "
          "(reinstall the app if it was removed)")
    assert "not checked: channels and people (no working bot token)" in done.stdout
    assert "xoxb-revoked" not in done.stdout + done.stderr


def test_no_bot_token_and_no_manifest(standin: StandIn, programme_url: str,
                                      tmp_path: Path) -> None:
    done = doctor(standin, programme_url, tmp_path, "--manifest", str(tmp_path / "none.yml"),
                  SLACK_BOT_TOKEN=None)
    found(done, f"✗ cannot read {tmp_path / 'none.yml'} (No such file or directory): give "
          "the app's manifest with --manifest PATH",
          "✗ SLACK_BOT_TOKEN is not set: put the Bot User OAuth Token (xoxb-…) from your "
          "Slack app's 'OAuth & Permissions' page in .env")
    assert not standin.calls_to("auth.test", ok=None)


def test_app_token_refused_or_missing(standin: StandIn, programme_url: str,
                                      tmp_path: Path) -> None:
    found(doctor(standin, programme_url, tmp_path, SLACK_APP_TOKEN="xapp-not-this-one"),
          "✗ Slack refused SLACK_APP_TOKEN (invalid_auth): put an app-level token "
          "(xapp-…) with the connections:write scope, from 'Basic Information' > "
          "'App-Level Tokens' in .env")
    found(doctor(standin, programme_url, tmp_path, SLACK_APP_TOKEN=None),
          "✗ SLACK_APP_TOKEN is not set, and Socket Mode (`lpbot run`) needs it: put an "
          "app-level token (xapp-…) with the connections:write scope, from 'Basic "
          "Information' > 'App-Level Tokens' in .env; or, for HTTP mode (`lpbot serve`), set "
          "SLACK_SIGNING_SECRET to the Signing Secret from your Slack app's 'Basic "
          "Information' page")
    http_mode = doctor(standin, programme_url, tmp_path, SLACK_APP_TOKEN=None,
                       SLACK_SIGNING_SECRET="a-signing-secret")
    assert http_mode.returncode == 0 and "HTTP mode" in http_mode.stdout


def test_scopes_not_granted(standin: StandIn, programme_url: str, tmp_path: Path) -> None:
    standin.granted_scopes = tuple(s for s in bot_scopes() if s not in ("users:read",
                                                                        "channels:read"))
    found(doctor(standin, programme_url, tmp_path),
          "✗ the bot token was not granted channels:read, users:read, which manifest.yml "
          "asks for: add them under 'OAuth & Permissions' › 'Bot Token Scopes' (or update "
          "the app from manifest.yml), then reinstall the app to the workspace from your "
          "Slack app's 'OAuth & Permissions' page")


def test_lpbot_not_in_a_public_channel(standin: StandIn, programme_url: str,
                                       tmp_path: Path) -> None:
    standin.workspace.channels[FIRST.channel]["members"].remove(BOT_USER_ID)
    found(doctor(standin, programme_url, tmp_path),
          f"✗ lpbot is not in {FIRST.slug}'s channel (#{FIRST.slug}): the channel is public, "
          "so lpbot can join it: `/invite @lpbot` in the channel, or let lpbot join by "
          "itself when it first posts there (it needs the channels:join scope)")


def test_a_private_channel_lpbot_was_not_invited_to(standin: StandIn, programme_url: str,
                                                    tmp_path: Path) -> None:
    digest = standin.workspace.channels[str(SPEC.digest_channel)]
    digest["members"].remove(BOT_USER_ID)
    digest["is_private"] = True
    found(doctor(standin, programme_url, tmp_path),
          f"✗ lpbot cannot see the digest channel ({SPEC.digest_channel}): it is private and "
          "lpbot was not invited, or the id is wrong: invite lpbot (`/invite @lpbot` in the "
          "channel), or correct the channel id in the programme")


def test_an_archived_channel(standin: StandIn, programme_url: str, tmp_path: Path) -> None:
    standin.workspace.channels[FIRST.channel]["is_archived"] = True
    found(doctor(standin, programme_url, tmp_path),
          f"✗ {FIRST.slug}'s channel (#{FIRST.slug}) is archived: unarchive it, or give the "
          "programme another channel")


def test_people_deactivated_or_unknown_are_named(standin: StandIn, programme_url: str,
                                                 tmp_path: Path) -> None:
    gone, stranger = FIRST.members[2], SPEC.partnerships[1].members[0]
    standin.workspace.users[gone.slack_id]["deleted"] = True
    del standin.workspace.users[stranger.slack_id]
    done = doctor(standin, programme_url, tmp_path)
    lines = {
        gone.name: f"✗ {gone.name} ({FIRST.slug}) has been deactivated in Slack: remove "
        "them from the programme (the programme file, then `lpbot import`), or ask a "
        "workspace admin to reactivate them",
        stranger.name: f"✗ {stranger.name} ({SPEC.partnerships[1].slug}) is not a user of "
        "this workspace: correct their Slack member id in the programme, or remove them "
        "from it"}
    found(done, *(lines[name] for name in sorted(lines)))
    assert gone.slack_id not in done.stdout and stranger.slack_id not in done.stdout


def test_slack_unreachable(programme_url: str, tmp_path: Path, standin: StandIn) -> None:
    found(doctor(standin, programme_url, tmp_path, SLACK_API_URL="http://127.0.0.1:1/api/"),
          "✗ cannot reach Slack at http://127.0.0.1:1/api/ (URLError): check SLACK_API_URL "
          "and the network, then run `lpbot doctor` again")


def test_database_unreachable(standin: StandIn, tmp_path: Path) -> None:
    done = doctor(standin, "postgresql+psycopg://nobody@127.0.0.1:1/none", tmp_path)
    found(done, "✗ cannot reach the database (OperationalError): check DATABASE_URL and "
          "that the database server is running")
    assert "not checked: channels and people (the database is not ready)" in done.stdout
    assert "nobody" not in done.stdout + done.stderr


@pytest.fixture(params=["sqlite", "postgresql"])
def behind_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database migrated only to the cadence head (0002)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'behind.db'}"
    elif not POSTGRES_URL:
        pytest.skip("LPBOT_TEST_POSTGRES_URL is not set")
    else:
        url = recreate_pg_database(name := f"lpbot_doctor_{os.getpid()}")
        request.addfinalizer(lambda: drop_pg_database(name))
    upgrade(url, "0002")
    yield url


def test_database_not_migrated(standin: StandIn, behind_url: str, tmp_path: Path) -> None:
    missing = [head for head in HEADS if head != "0002"]
    found(doctor(standin, behind_url, tmp_path),
          f"✗ the database schema is behind: {len(missing)} migration(s) not applied "
          f"({', '.join(missing)}): {UPGRADE}")


def test_database_empty_or_absent(standin: StandIn, tmp_path: Path) -> None:
    sqlite3.connect(tmp_path / "empty.db").close()
    found(doctor(standin, f"sqlite:///{tmp_path / 'empty.db'}", tmp_path),
          f"✗ the database has no lpbot schema: {UPGRADE}")
    found(doctor(standin, f"sqlite:///{tmp_path / 'absent.db'}", tmp_path),
          f"✗ there is no database file at DATABASE_URL: check DATABASE_URL, or {UPGRADE} "
          "to create it")
    assert not (tmp_path / "absent.db").exists()
