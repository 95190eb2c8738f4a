"""`lpbot serve`: HTTP mode under gunicorn, each worker building its own app after fork.

Workers run gunicorn's asyncio worker: each request is read whole on the event loop, and
only then does a thread run the WSGI app, so a client that stalls mid-request holds a
coroutine, not one of the threads Slack's requests need.
"""

from __future__ import annotations

import asyncio
import atexit
import gc
import io
import logging
import sys
from collections.abc import Awaitable, Callable, MutableMapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.asgi.protocol import ASGIProtocol
from gunicorn.workers import gasgi

from bot.shell.settings import Settings
from bot.shell.web import MAX_BODY, WSGIApp, make_wsgi

logger = logging.getLogger("lpbot.serve")

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
THREADS = 8  # threads per worker running the app; Bolt acknowledges and goes on in its own
DEADLINE = 5.0  # seconds for a request's headers, then again for its body: Slack waits 3
ANSWER_START = 20.0  # seconds a worker waits for its answer process before serving
# Answers waiting or running per worker; beyond it, "try again". Room for a burst (the
# weekly prompts going out, everyone clicking at once): the acks come first, then these.
ANSWER_LIMIT = 256
SWITCH_INTERVAL = 0.0005  # seconds a thread may hold the GIL while others wait (see below)


class BufferedWsgi:
    """ASGI in front of the WSGI app: the body is read without a thread, the app runs on one."""

    def __init__(self, app: WSGIApp, threads: int = THREADS) -> None:
        self.app = app
        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="lpbot-http")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return  # no lifespan (turned off) and no WebSockets here
        body = await self._read_body(scope, receive)
        if body is None:
            return  # the client went away
        if isinstance(body, int):
            status, headers, content = body, [(b"content-length", b"0")], b""
        else:
            loop = asyncio.get_running_loop()
            status, headers, content = await loop.run_in_executor(
                self.pool, self._run, environ_for(scope, body))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": content})

    async def _read_body(self, scope: Scope, receive: Receive) -> bytes | int | None:
        """The whole body, or the status refusing it; None if the client left."""
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        if not declared.isdigit():
            return 400
        if int(declared) > MAX_BODY:
            return 413
        chunks, size = [], 0
        try:
            async with asyncio.timeout(DEADLINE):
                while True:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        return None
                    chunk = message.get("body", b"")
                    size += len(chunk)
                    if size > MAX_BODY:
                        return 413
                    chunks.append(chunk)
                    if not message.get("more_body"):
                        return b"".join(chunks)
        except TimeoutError:
            logger.info("request refused: body not complete after %.0f s (%d of %d bytes)",
                        DEADLINE, size, int(declared))
            return 408

    def _run(self, environ: dict[str, Any]) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        """The WSGI call, on a pool thread: status, headers and the whole response body."""
        started: list[Any] = []
        written: list[bytes] = []

        def start_response(status: str, headers: list[tuple[str, str]],
                           exc_info: Any = None) -> Callable[[bytes], None]:
            started[:] = [status, headers]
            return written.append

        result = self.app(environ, start_response)
        try:
            written.extend(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        status, headers = started
        return (int(status.split(" ", 1)[0]),
                [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers],
                b"".join(written))


def environ_for(scope: Scope, body: bytes) -> dict[str, Any]:
    """The PEP 3333 environ of a request whose body has been read in full."""
    server = scope.get("server") or ("localhost", 80)
    environ: dict[str, Any] = {
        "REQUEST_METHOD": scope["method"],
        "SCRIPT_NAME": "",
        "PATH_INFO": scope["path"].encode("utf-8").decode("latin-1"),
        "QUERY_STRING": scope.get("query_string", b"").decode("latin-1"),
        "SERVER_NAME": str(server[0]),
        "SERVER_PORT": str(server[1] or 80),
        "SERVER_PROTOCOL": f"HTTP/{scope.get('http_version', '1.1')}",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    if scope.get("client"):
        environ["REMOTE_ADDR"] = str(scope["client"][0])
    for raw_name, raw_value in scope["headers"]:
        name = raw_name.decode("latin-1").upper().replace("-", "_")
        value = raw_value.decode("latin-1")
        if name == "CONTENT_TYPE":
            environ[name] = value
        elif name not in ("CONTENT_LENGTH", "TRANSFER_ENCODING"):
            key = "HTTP_" + name
            environ[key] = f"{environ[key]},{value}" if key in environ else value
    return environ


class _HeadersInTime(ASGIProtocol):  # type: ignore[misc]
    """Closes a connection whose first request has not finished its headers in time
    (later ones are bounded by gunicorn's keep-alive timeout)."""

    _deadline: asyncio.TimerHandle | None = None
    _tail = b""

    def connection_made(self, transport: asyncio.Transport) -> None:
        super().connection_made(transport)
        self._deadline = asyncio.get_running_loop().call_later(DEADLINE, self._expire,
                                                               transport)

    def data_received(self, data: bytes) -> None:
        if self._deadline is not None:
            seen = self._tail + data
            if b"\r\n\r\n" in seen:
                self._deadline.cancel()
                self._deadline = None
            self._tail = seen[-3:]
        super().data_received(data)

    def connection_lost(self, exc: Exception | None) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        super().connection_lost(exc)

    def _expire(self, transport: asyncio.Transport) -> None:
        logger.info("connection closed: request headers not complete after %.0f s", DEADLINE)
        transport.close()


class LpbotWorker(gasgi.ASGIWorker):  # type: ignore[misc]
    """Gunicorn's asyncio worker, with a deadline on each new connection's headers."""

    def init_process(self) -> None:
        gasgi.ASGIProtocol = _HeadersInTime  # the worker builds connections by this name
        # A thread waiting for the GIL gets it after this long at most, not Python's 5 ms:
        # an ack needs the GIL a handful of times (read, verify, ack, write), and while
        # another request's listener computes (a check-in stored within its ack) each wait
        # was up to a full interval. Answers compute in the answer process.
        sys.setswitchinterval(SWITCH_INTERVAL)
        super().init_process()

    def load_wsgi(self) -> None:
        super().load_wsgi()
        # What start-up built (modules, Bolt, engines: ~220,000 objects) lives as long as
        # the worker. Left to the collector, every full collection walked all of it: a
        # 90-350 ms pause of every ack in the worker under load, most of its slowest acks.
        # Frozen, a collection walks only what requests made since.
        gc.freeze()


class LpbotServer(BaseApplication):  # type: ignore[misc]
    """Gunicorn with lpbot's app, configured in code rather than a config file."""

    def __init__(self, settings: Settings, *, host: str, port: int, workers: int) -> None:
        self.settings = settings
        # Not gthread: its threads read requests themselves, so 8 stalled clients per
        # worker left none for Slack (see BufferedWsgi).
        self.options = {"bind": f"{host}:{port}", "workers": workers, "worker_class": LpbotWorker,
                        "asgi_lifespan": "off", "timeout": 30, "accesslog": None,
                        "loglevel": "warning", "preload_app": False}
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        # Runs in each worker: engines, HTTP pools and threads must not cross a fork.
        from bot.compose import open_runtime
        from bot.entry.answer_process import answer_process
        from bot.shell.answer_process import ProcessAnswers

        answers = ProcessAnswers(answer_process, self.settings, limit=ANSWER_LIMIT)
        # A worker stopping (a deploy, a restart) lets its answer process finish what it
        # holds first; multiprocessing's own exit handler, which would kill it, runs after.
        atexit.register(answers.shutdown)
        runtime = open_runtime(self.settings, prepare=False,  # the master prepared it
                               signing_secret=self.settings.require("SLACK_SIGNING_SECRET"),
                               answers=answers)
        if not answers.wait_ready(ANSWER_START):
            logger.error("the answer process did not start in %.0f s: answers will wait "
                         "for it", ANSWER_START)
        return BufferedWsgi(make_wsgi(runtime.app, runtime.db))
