"""``lpbot doctor``'s check that every active person is still an active Slack user, in as
few calls as Slack allows.

Asking ``users.info`` person by person (Tier 4, about 100 a minute) takes 1,000 calls for a
big programme and runs into Slack's rate limit; ``users.list`` (Tier 2, about 20 a minute)
answers up to 200 people a page. A page costs about five ``users.info`` calls' worth of
the rate limit, so lpbot pages while that is cheaper (at most one page for every five
people), stops once everyone was seen, and asks ``users.info`` only about the few it did
not see (someone not in the workspace, or from another workspace of an Enterprise Grid).
The client retries 429s itself (bot.shell.slack_client); a limit that outlasts the
retries is one line for everyone left, never a line per person.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.sanitise import typed
from storage.health import Participant

PAGE_SIZE = 200  # Slack's advice for users.list
PEOPLE_PER_PAGE = 5  # a Tier 2 page costs about five Tier 4 calls of the rate limit
NAME_LENGTH = 80
DEACTIVATED = ("remove them from the programme (the programme file, then `lpbot import`), "
               "or ask a workspace admin to reactivate them")
UNKNOWN = "correct their Slack member id in the programme, or remove them from it"


def shown(text: str) -> str:
    """Text from Slack or a programme file, safe for one terminal line."""
    return typed(text, NAME_LENGTH, markup="plain")


def listed_users(client: WebClient, wanted: set[str], max_pages: int
                 ) -> Iterator[dict[str, Any]]:
    """Users from ``users.list``, page by page, until everyone ``wanted`` was seen, the
    list ends or ``max_pages`` were read. Raises SlackApiError."""
    cursor, unseen = "", set(wanted)
    for _ in range(max_pages):
        answer = client.users_list(limit=PAGE_SIZE, cursor=cursor or None)
        for user in answer.get("members") or []:
            unseen.discard(str(user.get("id")))
            yield user
        cursor = str((answer.get("response_metadata") or {}).get("next_cursor") or "")
        if not cursor or not unseen:
            return


def user_states(client: WebClient, people: Sequence[Participant]
                ) -> tuple[dict[str, dict[str, Any] | str], list[str]]:
    """Each person's Slack user (a dict) or the error Slack gave (``user_not_found``…),
    and the Slack ids not checked because of the rate limit. Raises SlackApiError for
    ``missing_scope``."""
    wanted = {p.slack_id for p in people}
    states: dict[str, dict[str, Any] | str] = {}
    max_pages = len(wanted) // PEOPLE_PER_PAGE
    if max_pages:
        try:
            for user in listed_users(client, wanted, max_pages):
                if user.get("id") in wanted:
                    states[str(user["id"])] = user
        except SlackApiError as refused:
            if _error(refused) == "missing_scope":
                raise
            if _error(refused) == "ratelimited":
                return states, sorted(wanted - set(states))
    left = [p.slack_id for p in people if p.slack_id not in states]
    for index, slack_id in enumerate(left):
        try:
            states[slack_id] = client.users_info(user=slack_id)["user"]
        except SlackApiError as refused:
            if _error(refused) == "ratelimited":
                return states, left[index:]
            if _error(refused) == "missing_scope":
                raise
            states[slack_id] = _error(refused)
    return states, []


def _error(refused: SlackApiError) -> str:
    return str(refused.response.get("error") or "unknown_error")


def people_problems(client: WebClient, people: Sequence[Participant]
                    ) -> tuple[list[tuple[str, str]], list[str], int]:
    """(what, fix) for each person who is not an active user, what could not be checked,
    and how many are active. Names are the programme's, made safe for a terminal."""
    try:
        states, not_checked = user_states(client, people)
    except SlackApiError:  # missing_scope: the scope check already said which
        return [], ["people (scope missing, see above)"], 0
    problems: list[tuple[str, str]] = []
    active = 0
    for person in people:
        state = states.get(person.slack_id)
        if state is None:
            continue
        who = f"{shown(person.name)} ({', '.join(shown(b) for b in person.belongs)})"
        if state == "user_not_found":
            problems.append((f"{who} is not a user of this workspace", UNKNOWN))
        elif isinstance(state, str):
            problems.append((f"Slack would not describe {who} ({shown(state)})",
                             "check their Slack member id in the programme"))
        elif state.get("deleted"):
            problems.append((f"{who} has been deactivated in Slack", DEACTIVATED))
        else:
            active += 1
    skipped = [f"{len(not_checked)} of {len(people)} people (Slack's rate limit held after "
               "retries: run `lpbot doctor` again in a minute)"] if not_checked else []
    return problems, skipped, active
