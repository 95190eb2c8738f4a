"""The stand-in opens group DMs as Slack does: several users in conversations.open, the
same group resumed, Slack's errors, and what is posted there recorded."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.playground.standin import StandIn
from bot.playground.standin.mpim import group_dms
from bot.playground.standin.server import BOT_TOKEN


@pytest.fixture
def client() -> Iterator[tuple[StandIn, WebClient]]:
    with StandIn() as server:
        for n in range(1, 11):
            server.workspace.add_user(f"U{n}", f"Person {n}")
        server.workspace.add_user("UGONE", "Gone", deleted=True)
        yield server, WebClient(token=BOT_TOKEN, base_url=server.api_url)


def test_several_users_open_one_group_dm_and_posts_are_recorded(
        client: tuple[StandIn, WebClient]) -> None:
    standin, web = client
    first = web.conversations_open(users="U1,U2,U3")["channel"]["id"]
    again = web.conversations_open(users="U3,U1,U2")["channel"]["id"]
    assert first == again and first.startswith("G")
    assert web.conversations_open(users="U1")["channel"]["id"].startswith("D")  # one: a DM
    web.chat_postMessage(channel=first, text="Meet each other")
    [dm] = group_dms(standin.workspace)
    assert set(dm["members"]) >= {"U1", "U2", "U3"}
    assert [m.text for m in standin.workspace.messages_in(first)] == ["Meet each other"]
    history = web.conversations_history(channel=first)["messages"]
    assert history[0]["text"] == "Meet each other"


@pytest.mark.parametrize(("users", "error"), [
    ("U1,U2,U3,U4,U5,U6,U7,U8,U9", "too_many_users"),
    ("U1,UNOBODY", "user_not_found"),
    ("U1,UGONE", "user_disabled"),
])
def test_group_dm_errors_are_slacks(client: tuple[StandIn, WebClient], users: str,
                                    error: str) -> None:
    _, web = client
    with pytest.raises(SlackApiError) as refused:
        web.conversations_open(users=users)
    assert refused.value.response["error"] == error
