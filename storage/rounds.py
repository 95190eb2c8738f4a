"""What the scheduler's tick reads and writes: rounds, who is asked, who is staff.

Fixed numbers of statements whatever the number of partnerships; rounds are inserted
with ON CONFLICT DO NOTHING, so two schedulers opening the same round open it once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.cadence import prompt_moments, quiet_members
from storage.calendar import PlannedRound
from storage.models import Checkin, CheckinRound, Membership, Partnership, Person
from storage.outbox import insert_ignoring_duplicates
from storage.planning_inputs import Recipient


def active_partnership_names(session: Session) -> dict[int, str]:
    return dict(session.execute(select(Partnership.id, Partnership.name)
                                .where(Partnership.active)).all())


def open_rounds(session: Session, planned: PlannedRound, partnership_ids: list[int]
                ) -> tuple[dict[int, int], int]:
    """The round ``planned`` for each partnership, opened if need be: (partnership id ->
    round id, how many were opened now)."""
    opened = insert_ignoring_duplicates(session, CheckinRound, [
        {"partnership_id": pid, "kind": planned.kind, "opens_at": planned.opens_at,
         "due_at": planned.due_at} for pid in partnership_ids])
    round_ids = dict(session.execute(select(CheckinRound.partnership_id, CheckinRound.id).where(
        CheckinRound.opens_at == planned.opens_at,
        CheckinRound.partnership_id.in_(partnership_ids))).all())
    return round_ids, len(opened)


def round_recipients(session: Session, round_ids: dict[int, int], now: datetime,
                     back_off_after: int) -> dict[int, list[Recipient]]:
    """Every active member of these partnerships, with whether they answered the round,
    when their prompt went out and whether they have gone quiet: four queries whatever
    the number of partnerships."""
    answered = set(session.execute(
        select(Checkin.partnership_id, Checkin.person_id).where(
            Checkin.round_id.in_(list(round_ids.values())))))
    prompted = prompt_moments(session, list(round_ids.values()))
    quiet = quiet_members(session, list(round_ids), now, back_off_after)
    out: dict[int, list[Recipient]] = {}
    for partnership_id, p in session.execute(
            select(Membership.partnership_id, Person)
            .join(Person, Person.id == Membership.person_id)
            .where(Membership.partnership_id.in_(list(round_ids)), Membership.active,
                   Person.active).order_by(Membership.partnership_id, Person.id)):
        out.setdefault(partnership_id, []).append(Recipient(
            p.id, p.slack_user_id, partnership_id, p.tz, p.paused_until, p.snoozed_until,
            p.reminders_enabled, (partnership_id, p.id) in answered,
            prompted.get((round_ids[partnership_id], p.id)), (partnership_id, p.id) in quiet))
    return out


def active_staff(session: Session) -> list[tuple[int, str, str | None]]:
    """(person id, Slack id, time zone) of every active member of the programme team."""
    return list(session.execute(select(Person.id, Person.slack_user_id, Person.tz).where(
        Person.is_staff, Person.active).order_by(Person.id)))
