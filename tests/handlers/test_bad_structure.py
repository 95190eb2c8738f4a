"""Bad input, property-based: every payload type with its structure mutated (keys dropped,
types changed, values nested wrongly), signed. Never a 5xx, never a traceback in the log,
and nothing stored that a valid submission would not have stored."""

from __future__ import annotations

import copy
import json
import logging
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.blocks import admin_forms as f
from bot.blocks import ids
from bot.playground.standin.driver import state_values
from storage.clock import SteppingClock
from storage.db import make_engine, make_session_factory
from storage.importer import import_programme
from storage.models import Checkin, Membership
from tests.handlers.test_surface import prompt_message
from tests.harness import HULL, HULL_LEAD, HULL_MEMBER, SPEC, STAFF, Harness, running_bot

FORM = "application/x-www-form-urlencoded"


class Records(logging.Handler):
    """Every record the app logs while the module runs (Hypothesis forbids caplog here)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def tracebacks(self) -> list[str]:
        return [r.getMessage() for r in self.records if r.exc_info or "Traceback" in
                r.getMessage()]


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path
          ) -> Iterator[tuple[Harness, Records, dict[str, tuple[str, Any]]]]:
    path = tmp_path_factory.mktemp("bad-structure") / "lpbot.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    factory = make_session_factory(engine)
    clock = SteppingClock(datetime(2026, 11, 24, 9, tzinfo=UTC))
    with factory.begin() as session:
        import_programme(SPEC, session=session, now=clock())
    records = Records()
    root = logging.getLogger()
    root.addHandler(records)
    level = root.level
    root.setLevel(logging.INFO)
    try:
        with running_bot(factory, clock) as bot:
            yield bot, records, valid_payloads(bot)
    finally:
        root.removeHandler(records)
        root.setLevel(level)
        engine.dispose()


def _interactive(user: str, **extra: Any) -> dict[str, Any]:
    return {"team": {"id": "T0LOCAL", "domain": "local"}, "api_app_id": "A0LPBOT",
            "user": {"id": user, "name": user, "team_id": "T0LOCAL"}, "trigger_id": "1.2.t",
            "token": "verification-token-unused", **extra}


def valid_payloads(bot: Harness) -> dict[str, tuple[str, Any]]:
    """One genuine payload of every type lpbot handles, built on views it really opened."""
    checkin = bot.open_modal(HULL_MEMBER).as_slack()
    checkin["state"] = {"values": state_values(checkin, {"momentum": "3", "highlights": "ok"})}
    editor = bot.open_modal(HULL_LEAD, "objectives").as_slack()
    editor["state"] = {"values": state_values(editor, {})}
    prompt = prompt_message(bot, HULL_MEMBER)
    partnership = str(bot.partnership_id(HULL.slug))
    admin = bot.open_modal(STAFF, "admin")
    pushed = len(bot.standin.calls_to("views.push"))
    bot.driver.click(STAFF, ids.ADMIN_ADD_PARTNERSHIP, view=admin)
    bot.wait(lambda: len(bot.standin.calls_to("views.push")) > pushed)
    staff_editor = bot.driver.last_view(STAFF).as_slack()
    staff_editor["state"] = {"values": state_values(staff_editor, {
        f.B_P_NAME: "Fuzz", f.B_P_PLACE: "Here", f.B_P_CHALLENGE: "x",
        f.B_P_MEMBERS: [HULL_MEMBER], f.B_P_LEADS: [HULL_MEMBER]})}
    container = {"type": "message", "message_ts": prompt.ts,  # type: ignore[attr-defined]
                 "channel_id": prompt.channel, "is_ephemeral": False}  # type: ignore[attr-defined]

    def button(action_id: str) -> dict[str, Any]:
        return _interactive(HULL_MEMBER, type="block_actions", container=container,
                            actions=[{"action_id": action_id, "block_id": "prompt",
                                      "type": "button", "value": partnership}])

    return {
        "command": ("form", {"command": "/lp", "text": "status", "user_id": HULL_LEAD,
                             "team_id": "T0LOCAL", "trigger_id": "1.2.t",
                             "response_url": bot.standin.new_response_url(HULL_LEAD)}),
        "open_checkin": ("interactive", button("open_checkin")),
        "pulse": ("interactive", button("pulse_4")),
        "snooze": ("interactive", button("snooze")),
        "checkin_submission": ("interactive", _interactive(
            HULL_MEMBER, type="view_submission", view=checkin)),
        "objectives_submission": ("interactive", _interactive(
            HULL_LEAD, type="view_submission", view=editor)),
        "admin_submission": ("interactive", _interactive(
            STAFF, type="view_submission", view=staff_editor)),
        "admin_button": ("interactive", _interactive(
            STAFF, type="block_actions", container={"type": "view", "view_id": admin.id},
            view=admin.as_slack(), actions=[{
                "action_id": ids.ADMIN_EDIT_PARTNERSHIP, "block_id": "admin_partnership",
                "type": "button", "value": partnership}])),
        "view_closed": ("interactive", _interactive(HULL_MEMBER, type="view_closed",
                                                    view=checkin)),
        "home_opened": ("json", {"type": "event_callback", "team_id": "T0LOCAL",
                                 "api_app_id": "A0LPBOT", "event_id": "Ev1", "event": {
                                     "type": "app_home_opened", "user": HULL_MEMBER,
                                     "tab": "home"}}),
    }


def paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(data, dict):
        for key, value in data.items():
            out += paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data[:3]):
            out += paths(value, (*prefix, index))
    return out


wrong_types = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                        st.text(max_size=20), st.lists(st.integers(), max_size=2),
                        st.dictionaries(st.text(max_size=5), st.integers(), max_size=2))
mutation = st.tuples(st.sampled_from(["drop", "type", "nest_list", "nest_dict"]),
                     st.integers(min_value=0, max_value=10**6), wrong_types)


def mutate(payload: Any, changes: list[tuple[str, int, Any]]) -> Any:
    data = copy.deepcopy(payload)
    for kind, pick, value in changes:
        found = paths(data)
        if not found:
            break
        path = found[pick % len(found)]
        parent = data
        for key in path[:-1]:
            parent = parent[key]
        last = path[-1]
        if kind == "drop":
            del parent[last]
        elif kind == "type":
            parent[last] = value
        elif kind == "nest_list":
            parent[last] = [parent[last]]
        else:
            parent[last] = {"value": parent[last]}
    return data


def encode(transport: str, data: Any) -> tuple[bytes, str]:
    if transport == "form":  # a form carries strings only: change what they say
        flat = {str(k): v if isinstance(v, str) else json.dumps(v) for k, v in data.items()}
        return urlencode(flat).encode(), FORM
    if transport == "interactive":
        return urlencode({"payload": json.dumps(data)}).encode(), FORM
    return json.dumps(data).encode(), "application/json"


def stored_only_valid(bot: Harness) -> None:
    with bot.session_factory() as session:
        per_round = session.execute(select(func.count()).select_from(Checkin)
                                    .group_by(Checkin.person_id, Checkin.round_id)).scalars()
        assert all(count == 1 for count in per_round)
        strangers = session.scalar(select(func.count()).select_from(Checkin).outerjoin(
            Membership, (Membership.person_id == Checkin.person_id)
            & (Membership.partnership_id == Checkin.partnership_id)).where(
            Membership.id.is_(None)))
        assert strangers == 0
        assert session.scalar(select(func.count()).select_from(Checkin).where(
            ~Checkin.momentum.between(1, 5))) == 0


KINDS = ["command", "open_checkin", "pulse", "snooze", "checkin_submission",
         "objectives_submission", "view_closed", "home_opened", "admin_submission",
         "admin_button"]


@pytest.mark.parametrize("kind", KINDS)
def test_mutated_structure_is_never_a_5xx_or_a_traceback(
        setup: tuple[Harness, Records, dict[str, tuple[str, Any]]], kind: str) -> None:
    bot, records, valid = setup
    transport, payload = valid[kind]
    records.records.clear()

    @given(changes=st.lists(mutation, min_size=1, max_size=3))
    def check(changes: list[tuple[str, int, Any]]) -> None:
        body, content_type = encode(transport, mutate(payload, changes))
        reply = bot.driver.post_raw(body, content_type)
        assert reply.status < 500, (reply.status, changes)
        assert "Traceback" not in reply.body
        assert records.tracebacks() == [], changes

    check()
    stored_only_valid(bot)
    assert records.tracebacks() == []
