"""The stand-in tells the bot what Slack tells it about itself: the scopes its token holds
(``x-oauth-scopes``) and whether it is in a channel (``conversations.info``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.playground.standin import StandIn
from bot.playground.standin.server import BOT_TOKEN
from bot.shell.doctor import granted_scopes
from bot.shell.manifest import bot_scopes


@pytest.fixture
def standin() -> Iterator[StandIn]:
    with StandIn() as server:
        ws = server.workspace
        ws.add_user("U1", "Sam Reid")
        ws.add_channel("C1", "digest", ["U1"])
        ws.add_channel("C2", "elsewhere", ["U1"], bot_member=False)
        ws.add_channel("G1", "closed", ["U1"], bot_member=False, is_private=True)
        ws.add_channel("G2", "invited", ["U1"], is_private=True)
        yield server


@pytest.fixture
def client(standin: StandIn) -> WebClient:
    return WebClient(token=BOT_TOKEN, base_url=standin.api_url)


def test_every_answer_to_the_bot_says_its_scopes(standin: StandIn, client: WebClient) -> None:
    assert granted_scopes(client.auth_test().headers) == frozenset(bot_scopes())
    assert granted_scopes(client.users_info(user="U1").headers) == frozenset(bot_scopes())
    standin.granted_scopes = ("chat:write", "commands")
    assert granted_scopes(client.auth_test().headers) == {"chat:write", "commands"}
    standin.granted_scopes = None
    assert granted_scopes(client.auth_test().headers) is None
    standin.granted_scopes = ("chat:write",)
    with pytest.raises(SlackApiError) as refused:
        WebClient(token="xoxb-wrong", base_url=standin.api_url).auth_test()
    assert granted_scopes(refused.value.response.headers) is None  # no token, no scopes


def test_conversations_info_says_if_the_bot_is_in(client: WebClient) -> None:
    assert client.conversations_info(channel="C1")["channel"]["is_member"] is True
    outside = client.conversations_info(channel="C2")["channel"]
    assert outside["is_member"] is False and outside["is_private"] is False
    assert client.conversations_info(channel="G2")["channel"]["is_member"] is True
    with pytest.raises(SlackApiError) as hidden:  # Slack hides it from a bot outside it
        client.conversations_info(channel="G1")
    assert hidden.value.response["error"] == "channel_not_found"
