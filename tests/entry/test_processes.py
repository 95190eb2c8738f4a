"""`lpbot run` (Socket Mode) and `lpbot serve` (gunicorn) as real processes."""

from __future__ import annotations

import subprocess
import urllib.request
from pathlib import Path

from bot.playground.standin import StandIn
from bot.playground.standin.driver import SlackDriver
from bot.playground.standin.seed import seed_workspace
from bot.playground.standin.server import APP_TOKEN, BOT_TOKEN, SIGNING_SECRET
from bot.shell.answer_process import NICENESS
from tests.conftest import EXAMPLE
from tests.harness import HULL_LEAD, HULL_MEMBER, SPEC, text_of
from tests.processes import (
    LPBOT,
    free_port,
    lpbot_env,
    lpbot_process,
    wait_until,
    wait_until_up,
)


def test_run_over_socket_mode(tmp_path: Path, sqlite_url: str) -> None:
    with StandIn() as standin:
        seed_workspace(standin, SPEC)
        env = lpbot_env(SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_APP_TOKEN=APP_TOKEN,
                        SLACK_API_URL=standin.api_url, DATABASE_URL=sqlite_url,
                        LPBOT_PROGRAMME=str(EXAMPLE))
        log = tmp_path / "run.log"
        with lpbot_process(["run"], env, log):
            assert standin.socket.connected.wait(30), log.read_text()
            driver = SlackDriver(standin)  # no app_url: envelopes over the WebSocket
            driver.command(HULL_MEMBER, "checkin")
            standin.wait_for(lambda: standin.calls_to("views.open"), timeout=15)
            view = driver.last_view(HULL_MEMBER)
            driver.submit(HULL_MEMBER, view, {"momentum": "5", "highlights": "Socket works"})
            standin.wait_for(lambda: driver.dms(HULL_MEMBER), timeout=15)
            before = len(driver.ephemerals(HULL_LEAD))
            driver.command(HULL_LEAD, "status")
            answer = standin.wait_for(lambda: driver.ephemerals(HULL_LEAD)[before:], 15)
            assert "1 of" in text_of(answer[0])


def test_serve_answers_signed_command_and_healthz(tmp_path: Path, sqlite_url: str) -> None:
    port = free_port()
    with StandIn() as standin:
        seed_workspace(standin, SPEC)
        env = lpbot_env(SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET,
                        SLACK_API_URL=standin.api_url, DATABASE_URL=sqlite_url,
                        LPBOT_PROGRAMME=str(EXAMPLE))
        log = tmp_path / "serve.log"
        # Three workers boot side by side on one SQLite file: the master has migrated and
        # imported before forking, so none of them writes (or races to) at start.
        with lpbot_process(["serve", "--host", "127.0.0.1", "--port", str(port),
                            "--workers", "3"], env, log) as process:
            base = f"http://127.0.0.1:{port}"
            wait_until_up(base + "/healthz", process, log)
            assert log.read_text().count("imported the programme") == 1
            with urllib.request.urlopen(base + "/healthz") as response:
                assert response.status == 200
            driver = SlackDriver(standin, app_url=base + "/slack/events")
            assert driver.command(HULL_MEMBER, "help").status == 200
            answer = standin.wait_for(lambda: driver.ephemerals(HULL_MEMBER), timeout=15)
            assert "/lp checkin" in text_of(answer[0])
            forged = driver.post_raw(b"command=%2Flp", "application/x-www-form-urlencoded",
                                     sign_with="wrong")
            assert forged.status == 401
            # Each worker answered through an answer process of its own, below the acks.
            wait_until(  # workers come up one by one
                lambda: sorted(answer_processes(process.pid).values()) == [NICENESS] * 3, 30)
        assert "can't travel" not in log.read_text()


def answer_processes(master: int) -> dict[int, int]:
    """The answer processes below gunicorn's ``master``: pid -> niceness, from /proc."""
    stats = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            line = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except (OSError, NotADirectoryError):
            continue  # not a process, or gone meanwhile
        fields = line[line.rindex(")") + 2:].split()  # fields[0] is field 3, the state
        stats[int(entry.name)] = (int(fields[1]), int(fields[16]), command)
    workers = {pid for pid, (parent, _, _) in stats.items() if parent == master}
    return {pid: nice for pid, (parent, nice, command) in stats.items()
            if parent in workers and b"spawn_main" in command}


def test_invalid_token_at_start_is_one_clear_line(tmp_path: Path, sqlite_url: str) -> None:
    with StandIn() as standin:
        env = lpbot_env(SLACK_BOT_TOKEN="xoxb-revoked", SLACK_APP_TOKEN=APP_TOKEN,
                        SLACK_API_URL=standin.api_url, DATABASE_URL=sqlite_url)
        done = subprocess.run([*LPBOT, "run"], env=env, cwd=tmp_path, capture_output=True,
                              text=True, timeout=60)
    assert done.returncode != 0
    assert "Slack refused SLACK_BOT_TOKEN (invalid_auth)" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert "xoxb-revoked" not in done.stderr + done.stdout


def test_missing_tokens_say_how_to_get_them(tmp_path: Path) -> None:
    done = subprocess.run([*LPBOT, "serve"], env=lpbot_env(), cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "SLACK_BOT_TOKEN is not set" in done.stderr and "Traceback" not in done.stderr
