"""`lpbot serve` keeps answering Slack while other clients stall mid-request."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from bot.entry.serve import DEADLINE
from bot.playground.standin import StandIn
from bot.playground.standin.driver import Reply, SlackDriver
from bot.playground.standin.seed import seed_workspace
from bot.playground.standin.server import BOT_TOKEN, SIGNING_SECRET
from storage.programme import load_programme
from tests.conftest import EXAMPLE
from tests.processes import free_port, lpbot_env, lpbot_process, wait_until_up

STALLED = 24  # the probe blocked the server with 8 to 24
ACK_WITHIN = 3.0  # Slack's own limit for an acknowledgement
DECLARED = 10_000  # the Content-Length the stalled clients announce and never finish
KINDS = ("partial headers", "headers only", "half a body")
TCP_TABLE = Path("/proc/net/tcp")
SPEC = load_programme(EXAMPLE)
MEMBER = SPEC.partnerships[0].members[0].slack_id


def stall(port: int, kind: str) -> socket.socket:
    """A client that starts a POST to /slack/events and stops part-way."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    head = ("POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {DECLARED}\r\n")
    if kind == "partial headers":
        sock.sendall(head.encode())
    elif kind == "headers only":
        sock.sendall(head.encode() + b"\r\n")
    else:
        sock.sendall(head.encode() + b"\r\n" + b"x" * (DECLARED // 2))
    return sock


def unread_bytes(port: int, clients: set[int]) -> dict[int, int] | None:
    """Per client port, the bytes it sent that the server has not read yet (Linux only)."""
    if not TCP_TABLE.exists():
        return None
    unread = {}
    for line in TCP_TABLE.read_text().splitlines()[1:]:
        fields = line.split()
        local, remote = int(fields[1].split(":")[1], 16), int(fields[2].split(":")[1], 16)
        if local == port and remote in clients:
            unread[remote] = int(fields[4].split(":")[1], 16)
    return unread


def wait_until_read(port: int, socks: list[socket.socket], timeout: float = 10.0) -> None:
    """Poll until the server has read everything the stalled clients sent, so the signed
    request really arrives behind them (no sleep stands in for this)."""
    clients = {s.getsockname()[1] for s in socks}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        unread = unread_bytes(port, clients)
        if unread is None or (len(unread) == len(clients) and not any(unread.values())):
            return
        time.sleep(0.02)
    raise AssertionError(f"the server never read the stalled requests: {unread}")


def still_waiting(sock: socket.socket) -> bool:
    """True while the server holds the connection open with nothing sent back."""
    sock.setblocking(False)
    try:
        sock.recv(1, socket.MSG_PEEK)
    except BlockingIOError:
        return True
    except OSError:
        return False
    return False  # an answer or a close


def read_until_closed(sock: socket.socket, timeout: float = 20.0) -> bytes:
    """Everything the server sends before it closes the connection (fails after timeout)."""
    sock.settimeout(timeout)
    received = b""
    while chunk := sock.recv(4096):
        received += chunk
    return received


@contextmanager
def serving(tmp_path: Path, sqlite_url: str, standin: StandIn) -> Iterator[str]:
    port = free_port()
    env = lpbot_env(SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET,
                    SLACK_API_URL=standin.api_url, DATABASE_URL=sqlite_url,
                    LPBOT_PROGRAMME=str(EXAMPLE))
    log = tmp_path / "serve.log"
    # The default worker count, as `lpbot serve` runs unless told otherwise.
    with lpbot_process(["serve", "--host", "127.0.0.1", "--port", str(port)], env,
                       log) as process:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base + "/healthz", process, log)
        yield base


def test_signed_command_is_acknowledged_while_clients_stall(tmp_path: Path,
                                                            sqlite_url: str) -> None:
    with StandIn() as standin:
        seed_workspace(standin, SPEC)
        with serving(tmp_path, sqlite_url, standin) as base, ExitStack() as stalled:
            port = int(base.rsplit(":", 1)[1])
            socks = [stalled.enter_context(stall(port, KINDS[i % len(KINDS)]))
                     for i in range(STALLED)]
            wait_until_read(port, socks)

            driver = SlackDriver(standin, app_url=base + "/slack/events")
            replies: list[Reply] = []

            def command() -> None:
                replies.append(driver.command(MEMBER, "help"))

            call = threading.Thread(target=command, daemon=True)
            call.start()
            call.join(ACK_WITHIN)
            assert replies, f"no ack within {ACK_WITHIN} s behind {STALLED} stalled clients"
            assert replies[0].status == 200
            # Answered beside the stalled clients, not by dropping them first.
            assert sum(still_waiting(s) for s in socks) == STALLED
            answer = standin.wait_for(lambda: driver.ephemerals(MEMBER), timeout=15)
            assert "/lp checkin" in json.dumps(answer[0])


def test_stalled_clients_are_let_go(tmp_path: Path, sqlite_url: str) -> None:
    with StandIn() as standin, serving(tmp_path, sqlite_url, standin) as base:
        port = int(base.rsplit(":", 1)[1])
        with ExitStack() as stalled:
            silent = stalled.enter_context(socket.create_connection(("127.0.0.1", port)))
            socks = [silent, *(stalled.enter_context(stall(port, kind)) for kind in KINDS)]
            answers = [read_until_closed(s) for s in socks]
        assert answers[:2] == [b"", b""]  # headers never finished: the connection is closed
        for answer in answers[2:]:  # a body never finished: refused, then closed
            assert answer.startswith(b"HTTP/1.1 408 "), answer
        log = (tmp_path / "serve.log").read_text()
        assert log.count("request headers not complete") == 2
        after = f"body not complete after {DEADLINE:.0f} s"
        assert f"{after} (0 of {DECLARED} bytes)" in log
        assert f"{after} ({DECLARED // 2} of {DECLARED} bytes)" in log
