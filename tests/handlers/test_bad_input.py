"""Bad input, property-based: every kind of garbage gets a clear answer, never a 5xx."""

from __future__ import annotations

import copy
import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from storage.clock import SteppingClock
from storage.db import make_engine, make_session_factory
from storage.importer import import_programme
from storage.models import Checkin
from storage.programme import ProgrammeError, parse_programme
from tests.conftest import EXAMPLE
from tests.harness import HULL_MEMBER, SPEC, Harness, running_bot, text_of

NASTY = ["<!channel>", "<!here|here>", "<@U0INV0001>", "*bold* _it_ `code` ~x~", "'; DROP TABLE "
         "checkin; --", "\x00\x07\x1b[31m", "x" * 10_000, "ü" * 3_000, "\u202e\u200b", "{{7*7}}",
         "status all", "pause -3 weeks", "objectives ../../etc"]
command_text = st.one_of(st.sampled_from(NASTY), st.text(max_size=300),
                         st.builds(lambda a, b: f"{a} {b}", st.sampled_from(
                             ["status", "pause", "checkin", "objectives", "digest",
                              "reminders", "resume", "help"]), st.text(max_size=60)))


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[Harness]:
    path = tmp_path_factory.mktemp("bad-input") / "lpbot.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    factory = make_session_factory(engine)
    from datetime import UTC, datetime

    clock = SteppingClock(datetime(2026, 11, 24, 9, tzinfo=UTC))
    with factory.begin() as session:
        import_programme(SPEC, session=session, now=clock())
    with running_bot(factory, clock) as harness:
        yield harness
    engine.dispose()


@given(text=command_text)
def test_any_command_text_gets_a_clear_answer(bot: Harness, text: str) -> None:
    before = len(bot.driver.ephemerals(HULL_MEMBER))
    reply = bot.driver.command(HULL_MEMBER, text)
    assert reply.status == 200
    if text.split(" ", 1)[0].strip().lower() == "checkin":
        return  # answered with a modal, not a message
    answer = text_of(bot.reply_to(HULL_MEMBER, before))
    assert answer.strip() and "Traceback" not in answer
    assert "<!channel>" not in answer and "<!here" not in answer and "<@U0INV" not in answer


@pytest.mark.parametrize("text", ["payload", "help payload=1", "status payload"])
def test_a_command_that_says_payload_is_still_answered(bot: Harness, text: str) -> None:
    """Bolt reads any form mentioning "payload" as an interactive payload and loses it;
    lpbot reads it as the command it is (bot.shell.web.FormSafeHandler)."""
    before = len(bot.driver.ephemerals(HULL_MEMBER))
    assert bot.driver.command(HULL_MEMBER, text).status == 200
    assert text_of(bot.reply_to(HULL_MEMBER, before)).strip()


@pytest.fixture(scope="module")
def checkin_view(bot: Harness) -> Any:
    return bot.open_modal(HULL_MEMBER)


field_value = st.one_of(st.none(), st.text(max_size=50), st.sampled_from(
    ["1", "5", "0", "6", "-1", "3.5", "on_track", "stalled", "nonsense", "x" * 4000]))


@given(values=st.dictionaries(
    st.sampled_from(["momentum", "highlights", "blockers", "help_wanted", "help_text",
                     "next_steps", "obj_status:1", "obj_status:999999", "obj_status:abc",
                     "obj_note:1", "obj_notes"]), field_value, max_size=8),
       metadata=st.one_of(st.none(), st.text(max_size=40), st.sampled_from(
           ['{"p": 1}', '{"p": "4"}', '{"p": 4.0}', '{"p": true}', "[]", '{"p": 9999}'])))
def test_any_modal_values_get_inline_errors_or_store_once(bot: Harness, checkin_view: Any,
                                                          values: dict[str, Any],
                                                          metadata: str | None) -> None:
    view = copy.copy(checkin_view)
    view.view = dict(checkin_view.view)
    view.view["blocks"] = [*checkin_view.view["blocks"], *[
        {"type": "input", "block_id": key, "label": {"type": "plain_text", "text": "x"},
         "element": {"type": "plain_text_input", "action_id": "value"}}
        for key in values if key not in {b.get("block_id") for b in checkin_view.view[
            "blocks"]}]]
    if metadata is not None:
        view.view["private_metadata"] = metadata
    reply = bot.driver.submit(HULL_MEMBER, view, {k: v for k, v in values.items()
                                                  if v is not None})
    assert reply.status == 200, reply.body
    assert reply.body == "" or reply.json["response_action"] == "errors"
    with bot.session_factory() as session:
        per_round = session.execute(select(Checkin.round_id, func.count()).group_by(
            Checkin.person_id, Checkin.round_id)).all()
    assert all(count == 1 for _, count in per_round)


payload_bodies = st.one_of(
    st.binary(max_size=300),
    st.builds(lambda p: urlencode({"payload": p}).encode(), st.text(max_size=200)),
    st.builds(lambda obj: urlencode({"payload": json.dumps(obj)}).encode(),
              st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.text(
                  max_size=20)), lambda inner: st.one_of(st.lists(inner, max_size=4),
                  st.dictionaries(st.sampled_from(["type", "user", "view", "actions", "id",
                                                   "state", "private_metadata", "trigger_id",
                                                   "container"]), inner, max_size=5)),
                           max_leaves=12)),
    st.builds(lambda obj: json.dumps(obj).encode(), st.dictionaries(
        st.sampled_from(["type", "event", "challenge", "token"]), st.one_of(
            st.text(max_size=20), st.dictionaries(st.text(max_size=5), st.text(max_size=5),
                                                  max_size=3)), max_size=4)),
)


@given(body=payload_bodies, kind=st.sampled_from(["application/x-www-form-urlencoded",
                                                  "application/json", "text/plain"]))
def test_malformed_payloads_never_get_a_5xx(bot: Harness, body: bytes, kind: str) -> None:
    reply = bot.driver.post_raw(body, kind)
    assert reply.status < 500, (reply.status, reply.body)
    assert "Traceback" not in reply.body


@given(skew=st.integers(min_value=301, max_value=10**9), sign=st.booleans(),
       secret=st.text(min_size=1, max_size=30))
def test_unsigned_stale_and_forged_requests_are_refused(bot: Harness, skew: int, sign: bool,
                                                         secret: str) -> None:
    body = urlencode({"command": "/lp", "text": "status", "user_id": HULL_MEMBER}).encode()
    stale = str(int(time.time()) - skew)
    assert bot.driver.post_raw(body, "application/x-www-form-urlencoded",
                               timestamp=stale).status == 401
    if secret != "standin-signing-secret":
        assert bot.driver.post_raw(body, "application/x-www-form-urlencoded",
                                   sign_with=secret).status == 401
    unsigned = bot.driver.post_raw(body, "application/x-www-form-urlencoded",
                                   headers={"X-Slack-Signature": "" if sign else "v0=00"})
    assert unsigned.status == 401


def test_a_replayed_submission_stores_once(bot: Harness) -> None:
    view = bot.open_modal(HULL_MEMBER)
    state = {"momentum": "2", "highlights": "replayed"}
    from bot.playground.standin.driver import state_values

    slack_view = view.as_slack()
    slack_view["state"] = {"values": state_values(view.view, state)}
    payload = {"type": "view_submission", "user": {"id": HULL_MEMBER}, "view": slack_view,
               "team": {"id": "T0LOCAL"}, "api_app_id": "A0LPBOT"}
    body = urlencode({"payload": json.dumps(payload)}).encode()
    stamp = str(int(time.time()))
    first = bot.driver.post_raw(body, "application/x-www-form-urlencoded", timestamp=stamp)
    again = bot.driver.post_raw(body, "application/x-www-form-urlencoded", timestamp=stamp)
    assert first.status == again.status == 200
    bot.settle()
    with bot.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Checkin).where(
            Checkin.view_id == view.id)) == 1


RAW = yaml.safe_load(EXAMPLE.read_text())
yaml_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
              st.text(max_size=30), st.dates()),
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.text(max_size=12), inner, max_size=4)),
    max_leaves=20)


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(data, dict):
        for key, value in data.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data[:3]):
            out += _paths(value, (*prefix, index))
    return out


PATHS = _paths(RAW)


@given(changes=st.lists(st.tuples(st.sampled_from(PATHS), st.one_of(
    st.just("DELETE"), yaml_values)), min_size=1, max_size=4))
def test_broken_programme_files_get_problems_not_tracebacks(changes: list[Any]) -> None:
    raw = copy.deepcopy(RAW)
    for path, value in changes:
        target = raw
        try:
            for key in path[:-1]:
                target = target[key]
            if value == "DELETE":
                del target[path[-1]]
            else:
                target[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    try:
        parse_programme(raw)
    except ProgrammeError as error:
        assert error.problems and all(isinstance(p, str) and ":" in p for p in error.problems)


@given(raw=yaml_values)
def test_any_yaml_shape_is_a_programme_error(raw: Any) -> None:
    with pytest.raises(ProgrammeError):
        parse_programme(raw)
