"""The floor of the load benchmark: a Bolt app that acknowledges `/lp` and check-in
submissions and does nothing else, served exactly as `lpbot serve` serves lpbot (the
same gunicorn server class, worker, options and WSGI adapter), so any difference in the
figures is lpbot's own work.

    python -m bench.floor --port 3999 --workers 2    # settings from the environment
"""

from __future__ import annotations

import argparse
from typing import Any

from slack_bolt import Ack, App

from bot.blocks import ids
from bot.entry.serve import BufferedWsgi, LpbotServer
from bot.shell.app import create_bolt_app
from bot.shell.settings import Settings, load_settings
from bot.shell.slack_client import make_client
from bot.shell.web import make_wsgi
from storage.db import open_database


def acknowledge(ack: Ack) -> None:
    """Ack and nothing else: the least a Bolt listener can do."""
    ack()


def noop_app(settings: Settings) -> App:
    """lpbot's bare Bolt app (verification, middleware, error handler) with one no-op
    listener for `/lp` and one for the check-in modal."""
    client = make_client(settings.require("SLACK_BOT_TOKEN"), settings.slack_api_url)
    app = create_bolt_app(client=client,
                          signing_secret=settings.require("SLACK_SIGNING_SECRET"),
                          verify_token=True)  # as lpbot's: auth.test at start, not in an ack
    app.command("/lp")(acknowledge)
    app.view(ids.CHECKIN_VIEW)(acknowledge)
    return app


class FloorServer(LpbotServer):
    """`lpbot serve`'s server with the no-op app in each worker instead of lpbot."""

    def load(self) -> Any:
        # As LpbotServer.load: built in each worker, after the fork.
        db = open_database(self.settings.database_url)  # /healthz asks it, as lpbot's does
        return BufferedWsgi(make_wsgi(noop_app(self.settings), db))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    FloorServer(load_settings(), host=args.host, port=args.port, workers=args.workers).run()


if __name__ == "__main__":
    main()
