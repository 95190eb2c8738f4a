"""Helpers every listener shares: who is asking, reading payloads safely, telling people."""

from __future__ import annotations

import inspect
import logging
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import wraps
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks import messages as msg
from bot.shell.deps import Deps

logger = logging.getLogger("lpbot.handlers")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
KNOWN_ID = re.compile(r"[A-Za-z0-9_.:-]{1,64}")
DEPS = "lpbot_deps"


def deps_of(context: Mapping[str, Any]) -> Deps:
    """The dependencies ``handlers.register`` put in every request's context."""
    deps = context[DEPS]
    assert isinstance(deps, Deps)
    return deps


def log_id(value: Any) -> str:
    """An id from a payload, fit for the log: as it is when it looks like one (Slack ids,
    error codes), else escaped onto one line, so a forged id can't forge a log line."""
    text = str(value)
    return text if KNOWN_ID.fullmatch(text) else ascii(text[:64])


def clean_text(value: Any, limit: int) -> str:
    """Text from a payload: a string, without control characters, at most ``limit`` long."""
    if not isinstance(value, str):
        return ""
    return CONTROL.sub("", value).strip()[:limit]


def int_value(value: Any) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


def from_home(body: dict[str, Any]) -> bool:
    """The click came from the App Home tab, which stays on screen (or is returned to when
    a modal closes) with no app_home_opened: what changes it must publish it again."""
    view = body.get("view")
    return isinstance(view, dict) and view.get("type") == "home"


def user_id(body: dict[str, Any]) -> str:
    user = body.get("user")
    if isinstance(user, dict):
        return str(user.get("id", ""))
    return str(body.get("user_id", ""))


@contextmanager
def best_effort(what: str, **ids: str) -> Iterator[None]:
    """A Slack call whose failure must not undo what the person already did: Slack's
    refusal, or Slack out of reach after the client's retries, is logged (ids only)."""
    try:
        yield
    except (SlackApiError, OSError) as error:
        reason = error.response.get("error") if isinstance(error, SlackApiError) \
            else type(error).__name__
        where = " ".join(f"{key}={log_id(value)}" for key, value in ids.items())
        logger.warning("%s failed %s error=%s", what, where, log_id(reason))


def dm(client: WebClient, user: str, text: str, blocks: list[Any] | None = None) -> None:
    """Send a DM; the person's action already succeeded, so a failure is only logged."""
    with best_effort("dm", user=user):
        client.chat_postMessage(channel=user, text=text, blocks=blocks)


def safely(what: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Run a listener body; on an unexpected error, log the traceback and tell the person
    kindly instead of leaving them with silence."""
    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return func(*args, **kwargs)
            except Exception:
                logger.exception("listener failed: %s", what)
                respond = kwargs.get("respond")
                if respond is not None:
                    try:
                        respond(text=msg.ERROR_GENERIC, response_type="ephemeral")
                    except Exception:
                        logger.exception("could not tell the user about the failure")
                return None

        return wrapper

    return decorate


@dataclass(frozen=True)
class Guarded:
    """``work`` run as ``safely(what)`` runs it; unlike that closure, it can be sent by
    name to `lpbot serve`'s answer process (with arguments that can be sent too).
    ``again``: the work may run twice with the same effect, so an answer process that died
    holding it may hand it to the next."""

    what: str
    work: Callable[..., Any]
    again: bool = False

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return safely(self.what)(self.work)(*args, **kwargs)


def after_ack(deps: Deps, what: str, work: Callable[..., Any], /, **kwargs: Any) -> None:
    """Run ``work(**kwargs)`` on the answer pool, after the ack and off Bolt's threads (in
    `lpbot serve`, in another process), so no answer however slow delays anyone's ack; a
    full pool is said kindly, not queued. ``work`` is a module's function and ``kwargs``
    payloads, ``deps``, ``client`` or ``respond``, so that it can travel."""
    if deps.answers.submit(Guarded(what, work), **kwargs):
        return
    respond = kwargs.get("respond")
    if respond is not None:
        def busy() -> None:
            with suppress(Exception):
                respond(text=msg.BUSY, response_type="ephemeral", replace_original=False)

        deps.answers.notify(busy)  # off this thread: the ack leaves when the listener returns


def acked(what: str, work: Callable[..., Any]) -> Callable[..., None]:
    """A Bolt listener for a button: ack at once, then ``work`` on the answer pool with the
    arguments it names among ``deps``, ``body``, ``client`` and ``respond``."""
    wanted = set(inspect.signature(work).parameters)

    def listener(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond,
                 context: BoltContext) -> None:
        ack()
        deps = deps_of(context)
        given = {"deps": deps, "body": body, "client": client, "respond": respond}
        after_ack(deps, what, work, **{k: v for k, v in given.items() if k in wanted})

    listener.__name__ = listener.__qualname__ = f"ack_then_{work.__name__}"
    return listener
