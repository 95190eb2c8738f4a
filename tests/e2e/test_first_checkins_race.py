"""Everyone's first check-in at once, before any round has opened: one round per
partnership, one check-in per person, through the real app over signed HTTP."""

from __future__ import annotations

import threading
from typing import Any

from slack_sdk import WebClient
from sqlalchemy import func, select

from bot.blocks.checkin import prompt_blocks
from bot.playground.standin.server import BOT_TOKEN
from storage.models import Checkin, CheckinRound
from tests.harness import SPEC, Harness


def test_simultaneous_first_checkins_open_one_round_per_partnership(bot: Harness) -> None:
    with bot.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(CheckinRound)) == 0
    poster = WebClient(token=BOT_TOKEN, base_url=bot.standin.api_url)
    people: list[tuple[str, Any]] = []
    for partnership in SPEC.partnerships:
        blocks = [b.to_dict() for b in prompt_blocks(
            partnership_id=bot.partnership_id(partnership.slug),
            partnership_name=partnership.name)]
        for member in partnership.members:
            poster.chat_postMessage(channel=member.slack_id, text="Time to check in",
                                    blocks=blocks)
            people.append((member.slack_id, bot.driver.dms(member.slack_id)[-1]))
    start = threading.Barrier(len(people))
    statuses: list[int] = []

    def first_checkin(user: str, message: Any) -> None:
        start.wait()
        statuses.append(bot.driver.click(user, "pulse_3", message=message).status)

    threads = [threading.Thread(target=first_checkin, args=person) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * len(people)

    def stored() -> int:
        with bot.session_factory() as session:
            return session.scalar(select(func.count()).select_from(Checkin)) or 0

    bot.wait(lambda: stored() == len(people), timeout=60)
    with bot.session_factory() as session:
        rounds = dict(session.execute(select(CheckinRound.partnership_id, func.count())
                                      .group_by(CheckinRound.partnership_id)).all())
        per_person = session.execute(select(func.count()).select_from(Checkin)
                                     .group_by(Checkin.person_id)).scalars().all()
    assert sorted(rounds.values()) == [1] * len(SPEC.partnerships), rounds
    assert per_person == [1] * len(people)
