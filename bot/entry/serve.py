"""`lpbot serve`: HTTP mode under gunicorn, each worker building its own app after fork."""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication

from bot.shell.settings import Settings
from bot.shell.web import make_wsgi


class LpbotServer(BaseApplication):  # type: ignore[misc]
    """Gunicorn with lpbot's WSGI app, configured in code rather than a config file."""

    def __init__(self, settings: Settings, *, host: str, port: int, workers: int) -> None:
        self.settings = settings
        # Threaded workers: Bolt acknowledges at once and finishes the listener on its own
        # threads, so a worker must keep accepting requests meanwhile.
        self.options = {"bind": f"{host}:{port}", "workers": workers, "worker_class": "gthread",
                        "threads": 8, "timeout": 30, "accesslog": None, "loglevel": "warning",
                        "preload_app": False}
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        # Runs in each worker: engines and HTTP pools must not cross a fork.
        from bot.compose import build_app, open_runtime

        runtime = open_runtime(self.settings, prepare=False)  # the master prepared it
        app = build_app(runtime, signing_secret=self.settings.require("SLACK_SIGNING_SECRET"))
        return make_wsgi(app, runtime.engine)
