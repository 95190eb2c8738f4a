"""The checks behind ``lpbot doctor``: each looks at one thing a real install depends on and
returns the problems it found, each with the fix, in the operator's words.

Slack is asked through a real ``WebClient`` (tests point it at the local stand-in); the
database through storage.health. Nothing here changes Slack or the database."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

from bot.shell.doctor_people import people_problems, shown
from bot.shell.settings import HOW_TO, Settings
from storage.db import StorageError
from storage.health import Channel, Participant, SchemaState

REINSTALL = "reinstall the app to the workspace from your Slack app's 'OAuth & Permissions' page"
UPGRADE = "run `lpbot db upgrade`"


@dataclass(frozen=True)
class Problem:
    """Something wrong, and what the operator does about it."""

    what: str
    fix: str

    @property
    def line(self) -> str:
        return f"✗ {self.what}: {self.fix}"


@dataclass
class Findings:
    """What the checks found: problems, what was fine (for the summary), what was skipped."""

    problems: list[Problem] = field(default_factory=list)
    fine: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        return not self.problems


def _error(call: Callable[[], SlackResponse]) -> tuple[SlackResponse | None, str]:
    """Slack's answer, or None and its error code (``missing_scope``, ``invalid_auth``…)."""
    try:
        return call(), ""
    except SlackApiError as refused:
        return None, str(refused.response.get("error") or "unknown_error")


def granted_scopes(headers: Mapping[str, Any]) -> frozenset[str] | None:
    """The scopes Slack says the token holds (``x-oauth-scopes``), None when not said."""
    for name, value in headers.items():
        if name.lower() == "x-oauth-scopes":
            raw = value[0] if isinstance(value, list) else value
            return frozenset(s.strip() for s in str(raw).split(",") if s.strip())
    return None


def check_bot_token(client: WebClient, found: Findings) -> tuple[bool, frozenset[str] | None]:
    """auth.test with the bot token: does it work, and which scopes it holds (None when
    Slack does not say)."""
    answer, error = _error(client.auth_test)
    if answer is None:
        found.problems.append(Problem(
            f"Slack refused SLACK_BOT_TOKEN ({error})",
            f"put {HOW_TO['SLACK_BOT_TOKEN']} in .env (reinstall the app if it was removed)"))
        return False, None
    found.fine.append(f"bot token valid (@{shown(str(answer.get('user')))} in "
                      f"{shown(str(answer.get('team')))})")
    return True, granted_scopes(answer.headers)


def check_scopes(granted: frozenset[str] | None, wanted: Sequence[str],
                 found: Findings) -> None:
    """Every bot scope manifest.yml asks for must have been granted."""
    if granted is None:
        found.skipped.append("scopes (Slack did not say which it granted)")
        return
    missing = [scope for scope in wanted if scope not in granted]
    if missing:
        it = "them" if len(missing) > 1 else "it"
        found.problems.append(Problem(
            f"the bot token was not granted {', '.join(missing)}, which manifest.yml asks for",
            f"add {it} under 'OAuth & Permissions' › 'Bot Token Scopes' (or update the app "
            f"from manifest.yml), then {REINSTALL}"))
    else:
        found.fine.append(f"{len(wanted)} scopes granted")


def check_app_token(settings: Settings, make_client: Callable[[str], WebClient],
                    found: Findings) -> None:
    """Socket Mode (`lpbot run`) needs a working app-level token; HTTP mode (a signing
    secret and no app token) does not."""
    if not settings.app_token:
        if settings.signing_secret:
            found.fine.append("HTTP mode (signing secret set, no app token)")
            return
        found.problems.append(Problem(
            "SLACK_APP_TOKEN is not set, and Socket Mode (`lpbot run`) needs it",
            f"put {HOW_TO['SLACK_APP_TOKEN']} in .env; or, for HTTP mode (`lpbot serve`), "
            f"set SLACK_SIGNING_SECRET to {HOW_TO['SLACK_SIGNING_SECRET']}"))
        return
    if not settings.app_token.startswith("xapp-"):
        found.problems.append(Problem("SLACK_APP_TOKEN does not start with 'xapp-'",
                                      f"put {HOW_TO['SLACK_APP_TOKEN']} in .env"))
        return
    client = make_client(settings.app_token)
    answer, error = _error(partial(client.apps_connections_open, app_token=settings.app_token))
    if answer is None:
        found.problems.append(Problem(f"Slack refused SLACK_APP_TOKEN ({error})",
                                      f"put {HOW_TO['SLACK_APP_TOKEN']} in .env"))
        return
    found.fine.append("Socket Mode app token valid")


def check_channels(client: WebClient, channels: Sequence[Channel], found: Findings) -> None:
    """lpbot must be in the digest channel and in every active partnership's channel."""
    purposes: dict[str, list[str]] = {}
    for channel in channels:
        purposes.setdefault(channel.channel_id, []).append(channel.purpose)
    member_of = 0
    for channel_id, uses in purposes.items():
        what = f"{' and '.join(uses)} ({channel_id})"
        answer, error = _error(partial(client.conversations_info, channel=channel_id))
        if error == "missing_scope":
            found.skipped.append("channel membership (scope missing, see above)")
            return
        if answer is None:
            found.problems.append(_unseen_channel(what, error))
            continue
        info = answer["channel"]
        what = f"{' and '.join(uses)} (#{shown(str(info.get('name') or channel_id))})"
        if info.get("is_archived"):
            found.problems.append(Problem(f"{what} is archived",
                                          "unarchive it, or give the programme another channel"))
        elif not info.get("is_member"):
            found.problems.append(_not_in(what, bool(info.get("is_private"))))
        else:
            member_of += 1
    if purposes and member_of == len(purposes):
        found.fine.append(f"lpbot is in all {member_of} channel(s)")


def _unseen_channel(what: str, error: str) -> Problem:
    if error == "channel_not_found":
        return Problem(f"lpbot cannot see {what}",
                       "it is private and lpbot was not invited, or the id is wrong: invite "
                       "lpbot (`/invite @lpbot` in the channel), or correct the channel id "
                       "in the programme")
    return Problem(f"Slack would not describe {what} ({error})",
                   "check the channel id in the programme")


def _not_in(what: str, private: bool) -> Problem:
    if private:
        return Problem(f"lpbot is not in {what}, a private channel",
                       "invite it: `/invite @lpbot` in the channel")
    return Problem(f"lpbot is not in {what}",
                   "the channel is public, so lpbot can join it: `/invite @lpbot` in the "
                   "channel, or let lpbot join by itself when it first posts there "
                   "(it needs the channels:join scope)")


def check_people(client: WebClient, people: Sequence[Participant], found: Findings) -> None:
    """Every active person must still be an active user of the workspace; they are named
    by name and partnership only (bot.shell.doctor_people: few calls, rate limits)."""
    problems, skipped, active = people_problems(client, people)
    found.problems.extend(Problem(what, fix) for what, fix in problems)
    found.skipped.extend(skipped)
    if people and active == len(people):
        found.fine.append(f"all {active} people active in Slack")


def check_schema(state: SchemaState | StorageError, found: Findings) -> bool:
    """The database reachable and at the latest migrations; True when it is."""
    if isinstance(state, StorageError):
        cause = getattr(state, "orig", None) or state
        found.problems.append(Problem(
            f"cannot reach the database ({cause.__class__.__name__})",
            "check DATABASE_URL and that the database server is running"))
        return False
    if not state.exists:
        found.problems.append(Problem("there is no database file at DATABASE_URL",
                                      f"check DATABASE_URL, or {UPGRADE} to create it"))
    elif state.unknown:
        found.problems.append(Problem(
            f"the database has migrations this lpbot does not know ({', '.join(state.unknown)})",
            "run the newer lpbot that migrated it, or check DATABASE_URL"))
    elif not state.current:
        found.problems.append(Problem("the database has no lpbot schema", UPGRADE))
    elif state.missing:
        found.problems.append(Problem(
            f"the database schema is behind: {len(state.missing)} migration(s) not applied "
            f"({', '.join(state.missing)})", UPGRADE))
    else:
        found.fine.append("database at the latest schema")
        return True
    return False
