"""The local Slack stand-in answers like Slack: every method, every error, faults, limits."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.webhook import WebhookClient

from bot.playground.standin import StandIn
from bot.playground.standin.blockkit import check_message, check_view
from bot.playground.standin.server import APP_TOKEN, BOT_TOKEN


class Ticker:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def ticker() -> Ticker:
    return Ticker()


@pytest.fixture
def standin(ticker: Ticker) -> Iterator[StandIn]:
    with StandIn(monotonic=ticker) as server:
        ws = server.workspace
        ws.add_user("U1", "Sam Reid", tz="Europe/London")
        ws.add_user("U2", "Priya Shah", tz="America/New_York")
        ws.add_user("U3", "Gone Person", deleted=True)
        ws.add_channel("C1", "digest", ["U1"])
        ws.add_channel("C2", "elsewhere", ["U1"], bot_member=False)
        yield server


@pytest.fixture
def client(standin: StandIn) -> WebClient:
    return WebClient(token=BOT_TOKEN, base_url=standin.api_url)


def error_of(call: object) -> str:
    with pytest.raises(SlackApiError) as caught:
        call()  # type: ignore[operator]
    return str(caught.value.response["error"])


MODAL = {"type": "modal", "title": {"type": "plain_text", "text": "Check in"},
         "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "hi"}}]}


def test_auth_test_and_bad_tokens(standin: StandIn, client: WebClient) -> None:
    assert client.auth_test()["user_id"] == "U0LPBOT"
    assert error_of(lambda: WebClient(token="xoxb-wrong", base_url=standin.api_url)
                    .auth_test()) == "invalid_auth"
    assert error_of(lambda: WebClient(base_url=standin.api_url).auth_test()) == "not_authed"
    standin.revoked = True
    assert error_of(client.auth_test) == "token_revoked"


def test_post_message_to_user_opens_a_dm_with_metadata(standin: StandIn,
                                                      client: WebClient) -> None:
    sent = client.chat_postMessage(channel="U1", text="hello", metadata={
        "event_type": "lpbot_delivery", "event_payload": {"key": "prompt:1:1"}})
    assert sent["channel"] == "D1" and sent["ts"]
    history = client.conversations_history(channel="D1", include_all_metadata=True)
    assert history["messages"][0]["metadata"]["event_payload"] == {"key": "prompt:1:1"}
    plain = client.conversations_history(channel="D1")
    assert "metadata" not in plain["messages"][0]


@pytest.mark.filterwarnings("ignore:The top-level `text` argument is missing:UserWarning")
def test_post_message_errors(client: WebClient) -> None:
    assert error_of(lambda: client.chat_postMessage(channel="C404", text="x")) == \
        "channel_not_found"
    assert error_of(lambda: client.chat_postMessage(channel="C2", text="x")) == "not_in_channel"
    assert error_of(lambda: client.chat_postMessage(channel="U3", text="x")) == \
        "account_inactive"
    assert error_of(lambda: client.chat_postMessage(channel="", text="x")) == \
        "invalid_arguments"
    assert error_of(lambda: client.chat_postMessage(channel="C1")) == "no_text"
    too_many = [{"type": "divider"}] * 51
    assert error_of(lambda: client.chat_postMessage(channel="C1", text="x",
                                                    blocks=too_many)) == "invalid_blocks"


def test_ephemeral_and_update(standin: StandIn, client: WebClient) -> None:
    assert client.chat_postEphemeral(channel="C1", user="U1", text="psst")["message_ts"]
    assert error_of(lambda: client.chat_postEphemeral(channel="C1", user="U2", text="x")) == \
        "user_not_in_channel"
    sent = client.chat_postMessage(channel="C1", text="v1")
    client.chat_update(channel="C1", ts=sent["ts"], text="v2")
    assert standin.workspace.messages_in("C1")[-1].text == "v2"
    assert error_of(lambda: client.chat_update(channel="C1", ts="1.2", text="x")) == \
        "message_not_found"


def test_views_open_update_push_and_triggers(standin: StandIn, client: WebClient,
                                            ticker: Ticker) -> None:
    trigger = standin.new_trigger("U1")
    opened = client.views_open(trigger_id=trigger, view=MODAL)["view"]
    assert opened["id"].startswith("V") and opened["hash"]
    assert standin.workspace.views[opened["id"]].user == "U1"
    assert error_of(lambda: client.views_open(trigger_id=trigger, view=MODAL)) == \
        "expired_trigger_id"
    late = standin.new_trigger("U1")
    ticker.now += 3.5
    assert error_of(lambda: client.views_open(trigger_id=late, view=MODAL)) == \
        "expired_trigger_id"
    updated = client.views_update(view_id=opened["id"], hash=opened["hash"], view=MODAL)
    assert updated["view"]["hash"] != opened["hash"]
    assert error_of(lambda: client.views_update(view_id=opened["id"], hash=opened["hash"],
                                                view=MODAL)) == "hash_conflict"
    assert error_of(lambda: client.views_update(view_id="V404", view=MODAL)) == "not_found"
    pushed = client.views_push(trigger_id=standin.new_trigger("U1"), view=MODAL)["view"]
    assert pushed["previous_view_id"] == opened["id"]


def test_views_publish_home(standin: StandIn, client: WebClient) -> None:
    home = {"type": "home", "blocks": [{"type": "divider"}]}
    first = client.views_publish(user_id="U1", view=home)["view"]
    second = client.views_publish(user_id="U1", view=home, hash=first["hash"])["view"]
    assert second["id"] == first["id"]
    assert error_of(lambda: client.views_publish(user_id="U1", view=home,
                                                 hash=first["hash"])) == "hash_conflict"
    assert error_of(lambda: client.views_publish(user_id="U404", view=home)) == "user_not_found"


def test_users_and_conversations(client: WebClient) -> None:
    assert client.users_info(user="U2")["user"]["tz"] == "America/New_York"
    assert error_of(lambda: client.users_info(user="U404")) == "user_not_found"
    page = client.users_list(limit=2)
    assert len(page["members"]) == 2 and page["response_metadata"]["next_cursor"]
    rest = client.users_list(limit=2, cursor=page["response_metadata"]["next_cursor"])
    assert len(rest["members"]) == 1
    assert set(client.conversations_members(channel="C1")["members"]) == {"U1", "U0LPBOT"}
    assert client.conversations_info(channel="C1")["channel"]["name"] == "digest"
    assert error_of(lambda: client.conversations_info(channel="C404")) == "channel_not_found"
    assert error_of(lambda: client.users_info(user="")) == "invalid_arguments"


def test_injected_faults(standin: StandIn, client: WebClient) -> None:
    standin.fail("chat.postMessage", "ratelimited", times=1, retry_after=7)
    with pytest.raises(SlackApiError) as caught:
        client.chat_postMessage(channel="C1", text="x")
    assert caught.value.response.status_code == 429
    assert caught.value.response.headers["Retry-After"] == "7"
    standin.fail("chat.postMessage", "server_error", times=1, status=503)
    with pytest.raises(SlackApiError) as caught:
        client.chat_postMessage(channel="C1", text="x")
    assert caught.value.response.status_code == 503
    standin.fail("chat.postMessage", "error", times=1, error="fatal_error")
    assert error_of(lambda: client.chat_postMessage(channel="C1", text="x")) == "fatal_error"
    assert client.chat_postMessage(channel="C1", text="works again")["ok"]


def test_seeded_fraction_of_faults_is_repeatable(standin: StandIn, client: WebClient) -> None:
    def run() -> list[bool]:
        standin.clear_faults()
        standin.fail("auth.test", "server_error", rate=0.3, seed=42)
        outcome = []
        for _ in range(50):
            try:
                client.auth_test()
                outcome.append(True)
            except SlackApiError:
                outcome.append(False)
        return outcome
    first = run()
    assert first == run() and 5 < first.count(False) < 25


def test_retry_handler_honours_retry_after_from_429(standin: StandIn) -> None:
    standin.fail("chat.postMessage", "ratelimited", times=2, retry_after=0)
    client = WebClient(token=BOT_TOKEN, base_url=standin.api_url,
                       retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=3)])
    assert client.chat_postMessage(channel="C1", text="eventually")["ok"]
    assert [c.status for c in standin.calls_to("chat.postMessage", ok=None)] == [429, 429, 200]


def test_rate_limit_per_method(standin: StandIn, client: WebClient) -> None:
    standin.rate_limit("auth.test", 3)
    statuses = []
    for _ in range(5):
        try:
            client.auth_test()
            statuses.append(200)
        except SlackApiError as error:
            statuses.append(error.response.status_code)
    assert statuses == [200, 200, 200, 429, 429]


def test_socket_mode_url_needs_app_token(standin: StandIn) -> None:
    app_client = WebClient(token=APP_TOKEN, base_url=standin.api_url)
    assert app_client.apps_connections_open(app_token=APP_TOKEN)["url"].startswith("ws://")
    assert error_of(lambda: WebClient(base_url=standin.api_url).apps_connections_open(
        app_token="xapp-wrong")) == "invalid_auth"


def test_form_encoded_calls_are_understood(standin: StandIn, client: WebClient) -> None:
    answer = client.api_call("chat.postMessage", data={
        "channel": "C1", "text": "form", "blocks": json.dumps([{"type": "divider"}])})
    assert answer["ok"]
    assert standin.calls_to("chat.postMessage")[-1].args["blocks"] == [{"type": "divider"}]


@pytest.mark.parametrize(("view", "problem"), [
    ({**MODAL, "title": {"type": "plain_text", "text": "x" * 25}}, "view.title"),
    ({**MODAL, "blocks": [{"type": "divider"}] * 101}, "more than 100"),
    ({**MODAL, "private_metadata": "x" * 3001}, "private_metadata"),
    ({**MODAL, "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}]},
     "blocks[0].text"),
    ({**MODAL, "blocks": [{"type": "input", "label": {"type": "plain_text", "text": "l"},
                           "element": {"type": "plain_text_input", "action_id": "a",
                                       "max_length": 3001}}]}, "max_length"),
    ({**MODAL, "blocks": [{"type": "input", "label": {"type": "plain_text", "text": "l"},
                           "element": {"type": "static_select", "action_id": "a", "options": [
                               {"text": {"type": "plain_text", "text": str(i)},
                                "value": str(i)} for i in range(101)]}}]}, "more than 100"),
    ({**MODAL, "blocks": [{"type": "divider", "block_id": "b" * 256}]}, "block_id"),
    ({**MODAL, "blocks": [{"type": "actions", "elements": [
        {"type": "button", "text": {"type": "plain_text", "text": "go"},
         "action_id": "a" * 256}]}]}, "action_id"),
    ({**MODAL, "blocks": [{"type": "nonsense"}]}, "unknown block type"),
])
def test_block_kit_limits(view: dict[str, object], problem: str, standin: StandIn,
                          client: WebClient) -> None:
    assert any(problem in p for p in check_view(view))
    with pytest.raises(SlackApiError) as caught:
        client.views_open(trigger_id=standin.new_trigger("U1"), view=view)
    assert caught.value.response["error"] == "invalid_blocks"


def test_message_limits() -> None:
    assert check_message("x", [{"type": "divider"}] * 50) == []
    assert check_message("x", [{"type": "divider"}] * 51)
    assert check_message("x" * 40001, None)


def test_a_benchmarks_stand_in_answers_behind_the_server_it_measures() -> None:
    """``niceness`` lowers the threads that answer (Linux: a thread's own priority), so in
    bench.load the stand-in's work does not compete with lpbot's acks as Slack's never does."""
    seen: list[int] = []
    with StandIn(niceness=5) as standin:
        standin.on_response = lambda _: seen.append(
            os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
        WebhookClient(f"{standin.url}/respond/r1").send(text="hello")
    assert seen == [os.getpriority(os.PRIO_PROCESS, 0) + 5]
