"""HTTP mode: the WSGI application gunicorn serves (``/slack/events`` and ``/healthz``)."""

from __future__ import annotations

import io
import logging
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import parse_qsl
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App, BoltContext, BoltRequest, BoltResponse
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.request.internals import build_context

from storage.db import SessionFactory

logger = logging.getLogger("lpbot.web")

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
MAX_BODY = 1_000_000  # Slack's payloads are far smaller
FORM = "application/x-www-form-urlencoded"


class FormSafeHandler(SlackRequestHandler):
    """Bolt's WSGI handler, but a form that mentions "payload" anywhere is still read.

    Bolt takes any form body containing the word "payload" for an interactive payload; when
    it has none (a slash command such as `/lp payload`, or any text with the word in it),
    Bolt reads an empty body and the command is silently lost. Such a form is read here as
    the form it is (the signature is still checked on the raw body, by Bolt)."""

    def dispatch(self, request: WsgiHttpRequest) -> BoltResponse:
        raw = request.get_body()
        bolt_request = BoltRequest(body=raw, query=request.query_string,
                                   headers=request.get_headers())
        if not bolt_request.body and bolt_request.content_type == FORM and "payload" in raw:
            form = dict(parse_qsl(raw, keep_blank_values=True))
            if "payload" not in form:
                bolt_request.body = form
                bolt_request.context = build_context(BoltContext(), form)
        return self.app.dispatch(bolt_request)


def _plain(start_response: Callable[..., Any], status: str) -> list[bytes]:
    start_response(status, [("Content-Length", "0")])
    return [b""]


def make_wsgi(app: App, db: SessionFactory) -> WSGIApp:
    """Slack's requests to Bolt (signature verified there); a health check that really asks
    the database; 404 for anything else."""
    slack = FormSafeHandler(app, path="/slack/events")

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == "/healthz":
            if db.ping():
                status, body = "200 OK", b'{"ok": true}'
            else:
                logger.warning("health check: database unreachable")
                status, body = "503 Service Unavailable", b'{"ok": false}'
            start_response(status, [("Content-Type", "application/json"),
                                    ("Content-Length", str(len(body)))])
            return [body]
        if path == "/slack/events":
            if environ.get("REQUEST_METHOD") != "POST":
                return _plain(start_response, "405 Method Not Allowed")
            try:
                length = int(environ.get("CONTENT_LENGTH") or 0)
            except ValueError:
                return _plain(start_response, "400 Bad Request")
            if length > MAX_BODY:
                return _plain(start_response, "413 Content Too Large")
            body = environ["wsgi.input"].read(length) if length else b""
            try:
                body.decode("utf-8")
            except UnicodeDecodeError:  # Slack sends UTF-8; anything else is not Slack
                return _plain(start_response, "400 Bad Request")
            stamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP")
            if stamp is not None and not re.fullmatch(r"[0-9]{1,12}", stamp):
                # Bolt's signature check would raise on it (a 500): refuse it as it refuses
                # any other unverifiable request, in one line.
                logger.info("request refused: malformed timestamp, %d-byte body", len(body))
                return _plain(start_response, "401 Unauthorized")
            environ["wsgi.input"] = io.BytesIO(body)
            try:
                return slack(environ, start_response)
            except (ValueError, TypeError, KeyError, AttributeError) as error:
                # Bolt parses the body before anything else and raises on bodies Slack
                # never sends (broken JSON, wrong shapes): that is a bad request, not a 500.
                logger.info("unparseable request refused: %s", type(error).__name__)
                return _plain(start_response, "400 Bad Request")
        start_response("404 Not Found", [("Content-Length", "0")])
        return [b""]

    return wsgi


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    request_queue_size = 128  # a burst of simultaneous clicks, not 5 then resets


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("http %s", format % args)


@contextmanager
def serve_in_thread(app: WSGIApp, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve a WSGI app from a thread (tests and the playground); yields its base URL."""
    server = make_server(host, port, app, server_class=_ThreadingWSGIServer,
                         handler_class=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
