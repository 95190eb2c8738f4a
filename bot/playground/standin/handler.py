"""The stand-in's HTTP side: reads a request (query, form or JSON body, bearer token),
hands Web API calls to ``StandIn.dispatch``, records response_url answers and takes file
uploads, and writes the answer back."""

from __future__ import annotations

import json
import logging
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlparse

from bot.playground.standin import files

if TYPE_CHECKING:
    from bot.playground.standin.server import StandIn

logger = logging.getLogger(__name__)


class StandInHandler(BaseHTTPRequestHandler):
    """One HTTP request to the stand-in: a Web API call, a response_url answer, or an
    upload; the server subclasses it with ``standin`` set."""

    standin: StandIn
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet by default
        logger.debug("standin %s", format % args)

    def _read_args(self) -> dict[str, Any]:
        parsed = urlparse(self.path)
        args: dict[str, Any] = dict(parse_qsl(parsed.query))
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if raw:
            kind = self.headers.get("Content-Type", "")
            if "json" in kind:
                body = json.loads(raw)
                if not isinstance(body, dict):
                    raise ValueError("body must be an object")
                args.update(body)
            else:
                args.update(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
        return args

    def _send(self, status: int, body: dict[str, Any] | str,
              headers: dict[str, str] | None = None) -> None:
        data = (body if isinstance(body, str) else json.dumps(body)).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            logger.debug("standin: the client hung up before the answer")

    def _upload(self, file_id: str) -> None:
        """The upload service behind files.getUploadURLExternal's URL: raw bytes in."""
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with self.standin.lock:
            status, answer = files.receive_upload(self.standin.workspace, file_id, body)
            self.standin.changed.notify_all()
        data = answer.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        self.do_POST()

    def do_POST(self) -> None:
        path = urlparse(self.path).path
        if path.startswith("/upload/v1/"):
            self._upload(path.rsplit("/", 1)[-1])
            return
        try:
            args = self._read_args()
        except (ValueError, UnicodeDecodeError):
            self._send(200, {"ok": False, "error": "invalid_json"})
            return
        if path.startswith("/respond/"):
            response_id = path.rsplit("/", 1)[-1]
            if self.standin.on_response is not None:
                self.standin.on_response(response_id)
            with self.standin.lock:
                user = self.standin._response_users.get(response_id, "")
                self.standin.responses.append(
                    {"user": user, "ts": self.standin.workspace.next_ts(), **args})
                self.standin.changed.notify_all()
            self._send(200, "ok")
            return
        if not path.startswith("/api/"):
            self._send(404, {"ok": False, "error": "unknown_method"})
            return
        auth = self.headers.get("Authorization", "")
        token = auth[7:] if auth.startswith("Bearer ") else args.pop("token", None)
        status, body, headers = self.standin.dispatch(path[5:], args, token)
        self._send(status, body, headers)
