"""Run lpbot as a real process for tests, with its output kept for when a test fails."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import ROOT

LPBOT = [sys.executable, "-m", "bot.entry.cli"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def lpbot_env(**values: str) -> dict[str, str]:
    """A clean environment for an lpbot process: no .env, no inherited Slack settings."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SLACK_", "LPBOT_", "DATABASE_URL"))}
    env.update(values)
    env["PYTHONPATH"] = str(ROOT)
    return env


@contextmanager
def lpbot_process(args: list[str], env: dict[str, str],
                  log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """Start ``lpbot args`` in ``log``'s folder (so no .env is read) and stop it after."""
    with log.open("wb") as out:
        process = subprocess.Popen([*LPBOT, *args], env=env, stdout=out,
                                   stderr=subprocess.STDOUT, cwd=log.parent,
                                   start_new_session=True)
        try:
            yield process
        finally:
            if process.poll() is None:
                os.killpg(process.pid, 15)
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, 9)
                    process.wait()


def wait_until(condition: Callable[[], bool], timeout: float = 15) -> None:
    """Poll for an effect another process brings about (a commit, a process started)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path,
                  timeout: float = 30.0) -> None:
    """Poll ``url`` until the server answers (the process is starting, not the clock)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"lpbot exited early:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"lpbot did not come up:\n{log.read_text()}")
