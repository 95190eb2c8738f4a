"""The Slack requests the load benchmark replays: slash commands and check-in modal
submissions, as form-encoded bodies shaped as the stand-in's driver sends them (signed
later, by bench.loadgen.write_requests)."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from bot.blocks import ids
from bot.blocks.checkin import checkin_modal
from bot.playground.standin.driver import state_values
from bot.playground.standin.workspace import TEAM_ID, View
from bot.shell.view_seal import ViewClaim, ViewSeal
from storage.forms import ObjectiveChoice


def command_body(user: str, text: str, response_url: str, trigger_id: str) -> bytes:
    """`/lp <text>` from ``user`` in their DM with the bot."""
    return urlencode({
        "token": "verification-token-unused", "team_id": TEAM_ID, "team_domain": "local",
        "channel_id": "D" + user[1:], "channel_name": "directmessage", "user_id": user,
        "user_name": user.lower(), "command": "/lp", "text": text, "api_app_id": "A0LPBOT",
        "is_enterprise_install": "false", "response_url": response_url,
        "trigger_id": trigger_id}).encode()


def checkin_body(seal: ViewSeal, user: str, partnership_id: int, objective_id: int,
                 base: str, momentum: int, view_id: str, *, home: bool = False) -> bytes:
    """A check-in modal as lpbot would have opened it for ``user`` (sealed for them, on the
    version ``base`` of their check-in in the round, from a DM prompt or from the App Home
    tab), submitted filled in."""
    claim = ViewClaim("checkin", user, partnership_id, base, home)
    modal = checkin_modal(metadata=seal.seal(claim), partnership_name="P", challenge="c",
                          objectives=[ObjectiveChoice(objective_id, "Objective 1")])
    view = View(id=view_id, user=user, hash="h", root_view_id=view_id,
                view=json.loads(json.dumps(modal.to_dict())))
    slack_view = view.as_slack()
    slack_view["state"] = {"values": state_values(view.view, {
        ids.B_MOMENTUM: str(momentum), ids.B_HIGHLIGHTS: "Load test",
        f"{ids.B_OBJECTIVE}{objective_id}": "on_track"})}
    payload = {"type": "view_submission", "team": {"id": TEAM_ID, "domain": "local"},
               "user": {"id": user, "username": user.lower(), "name": user.lower(),
                        "team_id": TEAM_ID},
               "api_app_id": "A0LPBOT", "token": "verification-token-unused",
               "trigger_id": f"T{view_id}", "is_enterprise_install": False,
               "view": slack_view, "response_urls": []}
    return urlencode({"payload": json.dumps(payload, separators=(",", ":"))}).encode()
