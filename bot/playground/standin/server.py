"""The stand-in's server: Web API dispatch, auth, faults, rate limits and call records (the
HTTP side, requests in and answers out, is ``standin.handler``)."""

from __future__ import annotations

import json
import logging
import os
import random
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from typing import Any

from bot.playground.standin.handler import StandInHandler
from bot.playground.standin.methods import METHODS, REQUIRED
from bot.playground.standin.socket_mode import SocketModeServer
from bot.playground.standin.workspace import SlackError, Workspace
from bot.shell.manifest import ManifestError, bot_scopes

logger = logging.getLogger(__name__)

BOT_TOKEN = "xoxb-standin-bot-token"
APP_TOKEN = "xapp-standin-app-token"
SIGNING_SECRET = "standin-signing-secret"


@dataclass
class Call:
    """One Web API call as the stand-in saw it, with its answer."""

    method: str
    args: dict[str, Any]
    status: int
    response: dict[str, Any]
    at: float

    @property
    def ok(self) -> bool:
        return bool(self.response.get("ok"))


@dataclass
class Fault:
    """An injected misbehaviour for one method (or ``*`` for all)."""

    kind: str  # ratelimited | server_error | slow | error
    times: int | None = None
    rate: float | None = None
    error: str = "internal_error"
    retry_after: int = 1
    delay: float = 0.0
    status: int = 500
    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def fires(self) -> bool:
        if self.times is not None:
            if self.times <= 0:
                return False
            self.times -= 1
            return True
        return self.rate is not None and self.rng.random() < self.rate


class _Server(ThreadingHTTPServer):
    # Slack takes every connection; with socketserver's backlog of 5, a burst (every thread
    # of a server calling at once) had connections dropped and sent again a second later.
    request_queue_size = 128
    daemon_threads = True


class StandIn:
    """A local Slack: start it, point ``WebClient(base_url=stand_in.api_url)`` at it."""

    def __init__(self, *, bot_token: str = BOT_TOKEN, app_token: str = APP_TOKEN,
                 monotonic: Callable[[], float] = time.monotonic, niceness: int = 0) -> None:
        self.bot_token = bot_token
        self.app_token = app_token
        self.workspace = Workspace(monotonic=monotonic)
        self.calls: list[Call] = []
        self.responses: list[dict[str, Any]] = []
        self.faults: dict[str, list[Fault]] = {}
        self.rate_limits: dict[str, float] = {}
        self.revoked = False
        # Sent as ``x-oauth-scopes`` on every answer to the bot token, as Slack does; the
        # manifest's scopes unless a test grants fewer (None: no header at all).
        self.granted_scopes: tuple[str, ...] | None = _manifest_scopes()
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        self._recent: dict[str, deque[float]] = {}
        self._response_users: dict[str, str] = {}
        self.on_response: Callable[[str], None] | None = None  # told each response_url id
        self._httpd: ThreadingHTTPServer | None = None
        # A benchmark's stand-in shares the CPU with the server it measures, which Slack's
        # own servers never do: ``niceness`` puts its HTTP threads behind the server's.
        self.niceness = niceness
        self.socket = SocketModeServer(self)

    # --- life cycle --------------------------------------------------------------

    def start(self, port: int = 0) -> StandIn:
        handler = type("Handler", (StandInHandler,), {"standin": self})
        self._httpd = _Server(("127.0.0.1", port), handler)
        self.workspace.upload_base = self.url
        threading.Thread(target=self._serve, args=(self._httpd,), name="standin-http",
                         daemon=True).start()
        self.socket.start()
        return self

    def _serve(self, httpd: ThreadingHTTPServer) -> None:
        if self.niceness:  # Linux: this thread's own priority, which its handlers inherit
            me = threading.get_native_id()
            os.setpriority(os.PRIO_PROCESS, me, os.getpriority(os.PRIO_PROCESS, me)
                           + self.niceness)
        httpd.serve_forever(0.05)

    def stop(self) -> None:
        if self._httpd:
            self._httpd.shutdown()
            self._httpd.server_close()
        self.socket.stop()

    def __enter__(self) -> StandIn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._httpd, "start() the stand-in first"
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    @property
    def api_url(self) -> str:
        return self.url + "/api/"

    # --- what tests and the playground ask of it ----------------------------------

    def fail(self, method: str, kind: str, *, times: int | None = None,
             rate: float | None = None, seed: int = 0, **options: Any) -> None:
        """Make calls to ``method`` misbehave: the next ``times`` calls, or a seeded fraction."""
        if (times is None) == (rate is None):
            raise ValueError("give exactly one of times or rate")
        with self.lock:
            self.faults.setdefault(method, []).append(
                Fault(kind=kind, times=times, rate=rate, rng=random.Random(seed), **options))

    def clear_faults(self) -> None:
        with self.lock:
            self.faults.clear()
            self.rate_limits.clear()

    def rate_limit(self, method: str, per_second: float) -> None:
        """Answer 429 when ``method`` is called more than ``per_second`` times a second."""
        with self.lock:
            self.rate_limits[method] = per_second

    def new_trigger(self, user: str) -> str:
        with self.lock:
            return self.workspace.new_trigger(user)

    def new_response_url(self, user: str, response_id: str | None = None) -> str:
        """A response_url whose answers are recorded as seen by ``user``."""
        with self.lock:
            response_id = response_id or self.workspace.next_id("R")
            self._response_users[response_id] = user
        return f"{self.url}/respond/{response_id}"

    def command_acked(self, user: str, body: dict[str, Any]) -> None:
        """A slash command's ack carried a message: Slack shows it to ``user`` alone, as
        it shows an answer at the response_url."""
        with self.lock:
            self.responses.append({"user": user, "ts": self.workspace.next_ts(), **body})
            self.changed.notify_all()

    def wait_for(self, predicate: Callable[[], Any], timeout: float = 10.0) -> Any:
        """Block until ``predicate()`` is truthy (checked on every call the stand-in sees);
        the bot answers Slack first and acts after, so tests wait for the effect."""
        with self.changed:
            result = self.changed.wait_for(predicate, timeout)
        if not result:
            raise AssertionError("the stand-in never saw what was expected")
        return result

    def calls_to(self, method: str, *, ok: bool | None = True) -> list[Call]:
        with self.lock:
            return [c for c in self.calls if c.method == method and (ok is None or c.ok == ok)]

    # --- the dispatcher ------------------------------------------------------------

    def _fault_for(self, method: str) -> Fault | None:
        for key in (method, "*"):
            for fault in self.faults.get(key, []):
                if fault.fires():
                    return fault
        return None

    def _over_rate(self, method: str) -> bool:
        limit = self.rate_limits.get(method) or self.rate_limits.get("*")
        if not limit:
            return False
        now = time.monotonic()
        recent = self._recent.setdefault(method, deque())
        while recent and now - recent[0] >= 1.0:
            recent.popleft()
        if len(recent) >= limit:
            return True
        recent.append(now)
        return False

    def dispatch(self, method: str, args: dict[str, Any], token: str | None
                 ) -> tuple[int, dict[str, Any], dict[str, str]]:
        """Answer one Web API call: (HTTP status, body, extra headers)."""
        delay = 0.0
        with self.lock:
            fault = self._fault_for(method)
            status, body, headers = self._answer(method, args, token, fault)
            if token == self.bot_token and not self.revoked and self.granted_scopes is not None:
                headers = {**headers, "x-oauth-scopes": ",".join(self.granted_scopes)}
            if fault and fault.kind == "slow":
                delay = fault.delay
            self.calls.append(Call(method, _loggable(args), status, body, time.monotonic()))
            self.changed.notify_all()
        if delay:
            time.sleep(delay)  # the stand-in is a server: a slow answer really is slow
        return status, body, headers

    def _answer(self, method: str, args: dict[str, Any], token: str | None,
                fault: Fault | None) -> tuple[int, dict[str, Any], dict[str, str]]:
        if (fault and fault.kind == "ratelimited") or self._over_rate(method):
            retry = str(fault.retry_after if fault else 1)
            return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": retry}
        if fault and fault.kind == "server_error":
            return fault.status, {"ok": False, "error": "internal_error"}, {}
        if fault and fault.kind == "error":
            return 200, {"ok": False, "error": fault.error}, {}
        if method == "apps.connections.open":
            if token != self.app_token:
                return 200, {"ok": False, "error": "invalid_auth"}, {}
            return 200, {"ok": True, "url": self.socket.new_url()}, {}
        if not token:
            return 200, {"ok": False, "error": "not_authed"}, {}
        if token != self.bot_token:
            return 200, {"ok": False, "error": "invalid_auth"}, {}
        if self.revoked:
            return 200, {"ok": False, "error": "token_revoked"}, {}
        handler = METHODS.get(method)
        if handler is None:
            return 200, {"ok": False, "error": "unknown_method"}, {}
        required = REQUIRED.get(method, ())
        missing = [k for k in required if args.get(k) in (None, "")]
        if missing:
            return 200, {"ok": False, "error": "invalid_arguments",
                         "response_metadata": {"messages": [f"missing {k}" for k in missing]}}, {}
        try:
            return 200, {"ok": True, **handler(self.workspace, args)}, {}
        except SlackError as error:
            body: dict[str, Any] = {"ok": False, "error": error.error}
            if error.messages:
                body["response_metadata"] = {"messages": error.messages}
            return 200, body, {}
        except (KeyError, TypeError, ValueError):
            return 200, {"ok": False, "error": "invalid_arguments"}, {}


def _manifest_scopes() -> tuple[str, ...] | None:
    try:
        return bot_scopes()
    except ManifestError:  # an installed lpbot without its manifest.yml beside it
        return None


def _loggable(args: dict[str, Any]) -> dict[str, Any]:
    """The call's arguments with JSON strings decoded, so tests read what was sent."""
    out = {}
    for key, value in args.items():
        if key in ("blocks", "view", "metadata") and isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                pass
        out[key] = value
    return out
