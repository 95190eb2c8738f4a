"""Socket Mode in the stand-in: a WebSocket server that delivers envelopes and awaits acks."""

from __future__ import annotations

import json
import logging
import queue
import threading
import uuid
from typing import TYPE_CHECKING, Any

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import Server, ServerConnection, serve

if TYPE_CHECKING:
    from bot.playground.standin.server import StandIn

logger = logging.getLogger(__name__)


class SocketModeServer:
    """Hands ``apps.connections.open`` a ws:// URL and pushes envelopes to whoever connects."""

    def __init__(self, standin: StandIn) -> None:
        self.standin = standin
        self._server: Server | None = None
        self._connections: list[ServerConnection] = []
        self._acks: dict[str, queue.Queue[dict[str, Any]]] = {}
        self._lock = threading.Lock()
        self.connected = threading.Event()

    def start(self) -> None:
        self._server = serve(self._handle, "127.0.0.1", 0)
        threading.Thread(target=self._server.serve_forever, name="standin-socket",
                         daemon=True).start()

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()

    def new_url(self) -> str:
        assert self._server
        port = self._server.socket.getsockname()[1]
        return f"ws://127.0.0.1:{port}/link/?ticket={uuid.uuid4()}"

    def _handle(self, connection: ServerConnection) -> None:
        with self._lock:
            self._connections.append(connection)
        connection.send(json.dumps({"type": "hello", "num_connections": 1,
                                    "connection_info": {"app_id": "A0LPBOT"},
                                    "debug_info": {"host": "standin"}}))
        self.connected.set()
        try:
            for raw in connection:
                try:
                    message = json.loads(raw)
                except ValueError:
                    continue
                waiter = self._acks.get(str(message.get("envelope_id")))
                if waiter is not None:
                    waiter.put(message)
        except ConnectionClosed:
            pass
        finally:
            with self._lock:
                self._connections.remove(connection)
                if not self._connections:
                    self.connected.clear()

    def deliver(self, kind: str, payload: dict[str, Any], *, timeout: float = 10.0
                ) -> dict[str, Any]:
        """Send one envelope (slash_commands, interactive, events_api) and return the ack."""
        if not self.connected.wait(timeout):
            raise TimeoutError("no Socket Mode client is connected")
        envelope_id = str(uuid.uuid4())
        waiter: queue.Queue[dict[str, Any]] = queue.Queue()
        self._acks[envelope_id] = waiter
        try:
            with self._lock:
                connection = self._connections[-1]
            connection.send(json.dumps({"envelope_id": envelope_id, "type": kind,
                                        "payload": payload, "accepts_response_payload":
                                        kind != "events_api", "retry_attempt": 0,
                                        "retry_reason": ""}))
            try:
                return waiter.get(timeout=timeout)
            except queue.Empty:
                raise TimeoutError(f"envelope {envelope_id} was not acknowledged") from None
        finally:
            self._acks.pop(envelope_id, None)
