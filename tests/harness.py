"""The end-to-end harness: the stand-in, the real Bolt app served over HTTP, a signed driver."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from bot.compose import Runtime, build_runtime
from bot.playground.standin import StandIn
from bot.playground.standin.driver import Reply, SlackDriver
from bot.playground.standin.seed import seed_workspace
from bot.playground.standin.server import BOT_TOKEN, SIGNING_SECRET
from bot.playground.standin.workspace import Message
from bot.shell.answer_process import CANNOT_TRAVEL, packed
from bot.shell.answers import AnswerPool
from bot.shell.slack_client import make_client
from bot.shell.web import make_wsgi, serve_in_thread
from handlers.common import Guarded
from storage.clock import SteppingClock
from storage.db import SessionFactory
from storage.models import Partnership, Person
from storage.programme import load_programme
from tests.conftest import EXAMPLE

SPEC = load_programme(EXAMPLE)
HULL = next(p for p in SPEC.partnerships if p.slug == "hull-inclusive-growth")
BRIGHTON = next(p for p in SPEC.partnerships if p.slug == "brighton-festivals")
HULL_LEAD = HULL.leads[0]
HULL_MEMBER = next(m.slack_id for m in HULL.members if m.slack_id not in HULL.leads)
BRIGHTON_LEAD = BRIGHTON.leads[0]
BRIGHTON_MEMBER = next(m.slack_id for m in BRIGHTON.members if m.slack_id not in BRIGHTON.leads)
STAFF = SPEC.staff[0].slack_id
OUTSIDER = "U0OUTSIDER"


@dataclass
class Harness:
    standin: StandIn
    driver: SlackDriver
    session_factory: SessionFactory
    clock: SteppingClock
    base_url: str
    runtime: Runtime

    def settle(self) -> None:
        """Wait until what the app handed over after its acks is done (a check-in is
        stored on the answer pool)."""
        assert self.runtime.answers.wait_idle(), "answers still running"

    def wait(self, predicate: Any, timeout: float = 10.0) -> Any:
        return self.standin.wait_for(predicate, timeout)

    def reply_to(self, user: str, count_before: int) -> dict[str, Any]:
        """The next private answer ``user`` sees after ``count_before`` earlier ones."""
        found = self.wait(lambda: len(self.driver.ephemerals(user)) > count_before and
                          self.driver.ephemerals(user))
        return found[count_before]

    def command(self, user: str, text: str = "") -> dict[str, Any]:
        """Run `/lp text` and return what the user privately sees in answer."""
        before = len(self.driver.ephemerals(user))
        reply = self.driver.command(user, text)
        assert reply.status == 200, reply.body
        return self.reply_to(user, before)

    def open_modal(self, user: str, text: str = "checkin") -> Any:
        views_before = len(self.standin.calls_to("views.open"))
        assert self.driver.command(user, text).status == 200
        self.wait(lambda: len(self.standin.calls_to("views.open")) > views_before)
        return self.driver.last_view(user)

    def dms_after(self, user: str, count: int) -> list[Message]:
        return self.wait(lambda: len(self.driver.dms(user)) >= count and self.driver.dms(user))

    def partnership_id(self, slug: str) -> int:
        with self.session_factory() as session:
            return session.scalar(select(Partnership.id).where(Partnership.slug == slug))

    def person(self, slack_id: str) -> Person:
        with self.session_factory() as session:
            person = session.scalar(select(Person).where(Person.slack_user_id == slack_id))
            assert person is not None
            return person


class SettlingDriver(SlackDriver):
    """The stand-in's driver, waiting after each modal submission until the app has done
    what it handed over after the ack (a check-in is stored on the answer pool), so the
    next step of a test sees it."""

    settle: Callable[[], object] = staticmethod(lambda: None)

    def submit(self, user: str, view: Any, values: dict[str, Any] | None = None,
               **options: Any) -> Reply:
        reply = super().submit(user, view, values, **options)
        self.settle()
        return reply


def text_of(answer: dict[str, Any]) -> str:
    """All the text in an answer (its text and every block's text), for assertions."""
    parts = [str(answer.get("text") or "")]
    for block in answer.get("blocks") or []:
        parts.append(_block_text(block))
    return "\n".join(parts)


def _block_text(block: Any) -> str:
    if isinstance(block, dict):
        return " ".join(_block_text(v) for k, v in block.items() if k not in ("type",))
    if isinstance(block, list):
        return " ".join(_block_text(v) for v in block)
    return str(block) if isinstance(block, str) else ""


class TravelCheckedAnswers(AnswerPool):
    """The answer pool of the tests: threads, as `lpbot run` has, but every piece of work is
    first sent through pickle as `lpbot serve` sends it to its answer process, so a
    listener's work that could not travel there fails the test that submitted it (a
    test's own work, holding the pool, is let through)."""

    def __init__(self) -> None:
        super().__init__()
        self.cannot_travel: list[str] = []

    def submit(self, work: Callable[..., Any], *args: Any, **kwargs: Any) -> bool:
        try:
            if isinstance(work, Guarded):
                packed(work, args, kwargs)
        except CANNOT_TRAVEL as error:
            self.cannot_travel.append(f"{work!r}: {error}")
        return super().submit(work, *args, **kwargs)


@contextmanager
def running_bot(session_factory: SessionFactory, clock: SteppingClock,
                time_zones: dict[str, str] | None = None, *, bot_token: str = BOT_TOKEN,
                signing_secret: str = SIGNING_SECRET) -> Iterator[Harness]:
    """The whole path: stand-in, the composed app over signed HTTP, database, clock."""
    with StandIn(bot_token=bot_token) as standin:
        seed_workspace(standin, SPEC, time_zones)
        standin.workspace.add_user(OUTSIDER, "Olu Outsider")
        runtime = build_runtime(db=session_factory, clock=clock,
                                client=make_client(bot_token, standin.api_url),
                                signing_secret=signing_secret, send_rate=0,
                                answers=(answers := TravelCheckedAnswers()))
        with serve_in_thread(make_wsgi(runtime.app, session_factory)) as base_url:
            driver = SettlingDriver(standin, app_url=base_url + "/slack/events",
                                    signing_secret=signing_secret)
            driver.settle = answers.wait_idle
            yield Harness(standin, driver, session_factory, clock, base_url, runtime)
        assert not answers.cannot_travel, answers.cannot_travel
