"""`lpbot doctor` on a big programme: who left Slack is learnt from a few `users.list`
pages rather than one `users.info` call per person, Slack's 429s are retried by the
client, a limit that holds is one line (never one per person), and what Slack or the
programme names is printed on one clean line."""

from __future__ import annotations

import math
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.playground.standin import StandIn
from bot.playground.standin.seed import seed_workspace
from storage.db import open_database
from storage.importer import import_programme
from storage.programme import ProgrammeSpec, parse_programme, programme_file
from tests.entry.test_doctor import SPEC, doctor

PER_PARTNERSHIP = 250
BIG_SPEC: ProgrammeSpec = parse_programme({
    **programme_file(SPEC),
    "partnerships": [{
        **programme_file(SPEC)["partnerships"][p], "leads": [f"U{p}L{0:04d}"],
        "members": [{"slack_id": f"U{p}L{i:04d}", "name": f"Person {p}-{i}"}
                    for i in range(PER_PARTNERSHIP)]} for p in range(4)]})
BIG = {m.slack_id for p in BIG_SPEC.partnerships for m in p.members} | {
    s.slack_id for s in BIG_SPEC.staff}


@pytest.fixture
def big(sqlite_url: str) -> Iterator[tuple[StandIn, str]]:
    """The stand-in and a database holding a programme of about 1,000 people, in a
    workspace with as many others besides."""
    db = open_database(sqlite_url)
    with db.begin() as session:
        import_programme(BIG_SPEC, session=session, now=datetime(2026, 5, 1, tzinfo=UTC))
    db.dispose()
    with StandIn() as server:
        seed_workspace(server, BIG_SPEC)
        for i in range(len(BIG)):
            server.workspace.add_user(f"W0THERS{i:04d}", f"Someone else {i}")
        yield server, sqlite_url


def people_lines(done: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in done.stdout.splitlines() if "ratelimited" in line
            or "rate limit" in line or "Slack would not describe" in line]


def test_many_people_take_a_few_pages_not_a_call_each(big: tuple[StandIn, str],
                                                      tmp_path: Path) -> None:
    standin, url = big
    standin.rate_limit("users.info", 20)  # per person, most of 1,000 calls would be 429s
    gone = BIG_SPEC.partnerships[2].members[7]
    standin.workspace.users[gone.slack_id]["deleted"] = True
    done = doctor(standin, url, tmp_path)
    assert [line for line in done.stdout.splitlines() if line.startswith("✗")] == [
        f"✗ {gone.name} ({BIG_SPEC.partnerships[2].slug}) has been deactivated in Slack: "
        "remove them from the programme (the programme file, then `lpbot import`), or ask "
        "a workspace admin to reactivate them"], done.stdout + done.stderr
    pages = standin.calls_to("users.list")
    assert len(pages) <= math.ceil(2 * len(BIG) / 200) and not standin.calls_to("users.info")
    assert {call.args.get("limit") for call in pages} == {"200"}
    assert people_lines(done) == [] and "Traceback" not in done.stderr


def test_a_429_is_retried_and_a_limit_that_holds_is_one_line(big: tuple[StandIn, str],
                                                              tmp_path: Path) -> None:
    standin, url = big
    standin.fail("users.list", "ratelimited", times=1, retry_after=0)
    done = doctor(standin, url, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"all {len(BIG)} people active in Slack" in done.stdout
    assert len(standin.calls_to("users.list", ok=False)) == 1  # retried by the client
    standin.calls.clear()
    standin.fail("users.list", "ratelimited", times=50, retry_after=0)
    held = doctor(standin, url, tmp_path)
    assert people_lines(held) == [
        f"  not checked: {len(BIG)} of {len(BIG)} people (Slack's rate limit held after "
        "retries: run `lpbot doctor` again in a minute)"]
    assert len(standin.calls_to("users.list", ok=None)) == 3  # the first try, 2 retries
    assert not standin.calls_to("users.info", ok=None)


def test_what_slack_and_the_programme_name_is_one_clean_line(big: tuple[StandIn, str],
                                                             tmp_path: Path) -> None:
    standin, url = big
    first = BIG_SPEC.partnerships[0]
    assert first.channel is not None
    channel = standin.workspace.channels[first.channel]
    channel["name"] = "hull\n✗ fake line \u202egnp.exe"
    channel["is_archived"] = True
    done = doctor(standin, url, tmp_path)
    assert f"✗ {first.slug}'s channel (#hull / ✗ fake line gnp.exe) is archived: " \
        "unarchive it, or give the programme another channel" in done.stdout.splitlines()
    assert "\u202e" not in done.stdout and "\n✗ fake" not in done.stdout
