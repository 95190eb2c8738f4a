"""`lpbot playground`: try lpbot with no Slack workspace.

One process runs the stand-in, the bot in HTTP mode against it, the scheduler on a clock
the page can move forward, and a small page that shows what the bot sent and sends
back, as signed requests, what a person does.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

from bot.compose import Runtime, build_runtime, prepare_database
from bot.playground.standin import StandIn
from bot.playground.standin.driver import SlackDriver
from bot.playground.standin.seed import seed_workspace
from bot.playground.standin.server import BOT_TOKEN, SIGNING_SECRET
from bot.shell.settings import Settings, SettingsError
from bot.shell.slack_client import make_client
from bot.shell.web import make_wsgi, serve_in_thread
from scheduler.jobs import run_cycle
from storage.access import everyone
from storage.calendar_store import programme_calendar
from storage.clock import OffsetClock
from storage.db import open_database
from storage.programme import ProgrammeSpec, load_programme

logger = logging.getLogger("lpbot.playground")
STATIC = Path(__file__).parent / "static"
DEFAULT_PROGRAMME = Path("examples/leading-places.yaml")
MAX_FORWARD = timedelta(days=62)
STEP = timedelta(hours=1)
ADMIN, ADMIN_NAME = "U0WSADMIN", "Wren Admin"


@dataclass
class World:
    """Everything the page talks to: the stand-in, the driver and the bot's runtime."""

    standin: StandIn
    driver: SlackDriver
    runtime: Runtime
    clock: OffsetClock
    spec: ProgrammeSpec
    lock: threading.Lock

    def cycle(self) -> None:
        with self.lock:
            run_cycle(self.runtime.wiring)

    def forward(self, amount: str) -> str:
        """Move the clock on hour by hour, running the scheduler at every step. Clicks
        that arrive while a move runs each move on from where the last one ended."""
        if amount not in ("day", "week", "lull"):
            raise ValueError(amount)
        with self.lock:
            return self._forward(amount)

    def _forward(self, amount: str) -> str:
        now = self.clock()
        if amount == "day":
            target = now + timedelta(days=1)
        elif amount == "week":
            target = now + timedelta(weeks=1)
        else:  # the next lull
            cal = programme_calendar(self.runtime.db)
            upcoming = [w.starts for w in cal.lulls if w.starts > cal.local_day(now)]
            if not upcoming:
                return "No lull is left in this programme."
            target = cal.local_moment(upcoming[0], cal.hour) + timedelta(hours=1)
        target = min(target, now + MAX_FORWARD)
        while self.clock() < target:
            self.clock.advance(min(STEP, target - self.clock()))
            run_cycle(self.runtime.wiring)
        return f"The clock is now {self.clock():%a %d %b %Y %H:%M} UTC."

    def people(self) -> list[dict[str, Any]]:
        listed = [{"id": p.slack_id, "name": p.name, "role": p.role,
                   "partnership": p.partnership} for p in everyone(self.runtime.db)]
        known = {p["id"] for p in listed}
        # The workspace's admin, staff by Slack's word though in no list: try the
        # programme's set-up as whoever installs lpbot would.
        return listed + [{"id": ADMIN, "name": ADMIN_NAME, "role": "workspace admin",
                          "partnership": "not in the programme"}] * (ADMIN not in known)

    def state(self, user: str) -> dict[str, Any]:
        ws = self.standin.workspace
        with self.standin.lock:
            dm = ws.dm_channel(user) if user in ws.users else None
            dms = [m.as_slack() for m in ws.messages_in(dm)] if dm else []
            digest = [m.as_slack() for m in ws.messages_in(self.spec.digest_channel)] \
                if self.spec.digest_channel and self.spec.digest_channel in ws.channels else []
            home = ws.home.get(user)
            modal = next((v for v in reversed(ws.views.values()) if v.open and v.user == user),
                         None)
            private = [{"text": r.get("text"), "blocks": r.get("blocks"), "ts": r["ts"]}
                       for r in self.standin.responses if r.get("user") == user]
            directory = {  # what Slack's people and channel pickers offer
                "users": [{"id": u["id"], "name": u["real_name"]} for u in ws.users.values()
                          if not u.get("deleted")],
                "channels": [{"id": c["id"], "name": c["name"]} for c in ws.channels.values()
                             if not c.get("is_im")]}
        return {
            "clock": self.clock().isoformat(), "dms": dms, "digest": digest,
            "directory": directory,
            "home": home.view if home else None, "private": private[-10:],
            "modal": {"id": modal.id, "view": modal.view, "errors": modal.errors}
            if modal else None,
        }


def load_playground_programme(settings: Settings) -> ProgrammeSpec:
    """The programme the playground plays: LPBOT_PROGRAMME, else the example."""
    path = Path(settings.programme_path) if settings.programme_path else DEFAULT_PROGRAMME
    if not path.is_file():
        raise SettingsError(f"the playground needs a programme file; {path} was not found "
                            "(set LPBOT_PROGRAMME)")
    return load_programme(path)


@contextmanager
def running_world(settings: Settings) -> Iterator[World]:
    """Stand-in, bot over signed HTTP, scheduler wiring: everything but the page."""
    clock = OffsetClock()
    spec = load_playground_programme(settings)
    prepare_database(settings, clock=clock, spec=spec)
    with ExitStack() as stack:
        standin = stack.enter_context(StandIn())
        seed_workspace(standin, spec)
        with standin.lock:
            standin.workspace.add_user(ADMIN, ADMIN_NAME, is_admin=True)
        runtime = build_runtime(db=open_database(settings.database_url), clock=clock,
                                client=make_client(BOT_TOKEN, standin.api_url),
                                signing_secret=SIGNING_SECRET, verify_token=False,
                                send_rate=0, staff_ids=settings.staff_ids)
        stack.callback(runtime.close)
        bot_url = stack.enter_context(serve_in_thread(make_wsgi(runtime.app, runtime.db)))
        driver = SlackDriver(standin, app_url=bot_url + "/slack/events")
        yield World(standin, driver, runtime, clock, spec, threading.Lock())


class _PageHandler(BaseHTTPRequestHandler):
    world: World
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("page %s", format % args)

    def _send(self, status: int, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, data: Any) -> None:
        self._send(status, json.dumps(data).encode(), "application/json")

    def do_GET(self) -> None:
        url = urlparse(self.path)
        if url.path == "/api/people":
            self._json(200, self.world.people())
        elif url.path == "/api/state":
            user = parse_qs(url.query).get("user", [""])[0]
            self._json(200, self.world.state(user))
        else:
            name = "index.html" if url.path in ("", "/") else url.path.lstrip("/")
            file = (STATIC / name).resolve()
            if STATIC.resolve() not in file.parents or not file.is_file():
                self._send(404, b"not found", "text/plain")
                return
            kinds = {".html": "text/html; charset=utf-8", ".js": "text/javascript",
                     ".css": "text/css"}
            self._send(200, file.read_bytes(), kinds.get(file.suffix, "text/plain"))

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        try:
            data = json.loads(self.rfile.read(length) or b"{}")
            answer = self._act(urlparse(self.path).path, data)
        except (ValueError, KeyError, LookupError) as error:
            self._json(400, {"error": str(error)})
            return
        self._json(200, answer)

    def _act(self, path: str, data: dict[str, Any]) -> dict[str, Any]:
        world, driver, user = self.world, self.world.driver, str(data.get("user", ""))
        if path == "/api/command":
            text = str(data.get("text", "")).strip()
            command, _, rest = text.partition(" ")
            reply = driver.command(user, rest if command == "/lp" else text)
            return {"status": reply.status}
        if path == "/api/click":
            source = data.get("source") or {}
            ws = world.standin.workspace
            with world.standin.lock:
                if source.get("type") == "message":
                    message = next(m for m in ws.messages if m.channel == source["channel"]
                                   and m.ts == source["ts"])
                    view = None
                else:
                    message = None
                    view = ws.home[user] if source.get("type") == "home" else \
                        ws.views[source["view_id"]]
            reply = driver.click(user, str(data["action_id"]), message=message, view=view,
                                 value=data.get("value"), selected=data.get("selected"))
            return {"status": reply.status}
        if path == "/api/submit":
            view = world.standin.workspace.views[str(data["view_id"])]
            reply = driver.submit(user, view, data.get("values") or {})
            return {"status": reply.status, "answer": reply.json}
        if path == "/api/close":
            view = world.standin.workspace.views[str(data["view_id"])]
            view.open = False
            return {"status": 200}
        if path == "/api/home":
            return {"status": driver.open_home(user).status}
        if path == "/api/forward":
            return {"message": world.forward(str(data.get("amount", "day")))}
        raise LookupError(f"unknown action {path}")


def serve_playground(settings: Settings, host: str, port: int) -> None:
    """Run the playground until interrupted."""
    stop = threading.Event()
    with running_world(settings) as world:
        world.cycle()
        handler = type("PageHandler", (_PageHandler,), {"world": world})
        page = ThreadingHTTPServer((host, port), handler)
        page.daemon_threads = True
        print(f"lpbot playground: open http://{host}:{page.server_address[1]}/ "
              "(Ctrl-C to stop)", flush=True)
        threading.Thread(target=page.serve_forever, args=(0.1,), daemon=True).start()
        try:
            while not stop.wait(5):
                world.cycle()  # the scheduler keeps running in real time too
        finally:
            page.shutdown()
            page.server_close()
