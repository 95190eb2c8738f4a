"""What the gentler cadence reads: when each prompt went out, and who has gone quiet.

Both in one statement whatever the number of partnerships or members. "Quiet" means a
member let the last ``rounds`` rounds they were prompted for close unanswered; rounds
they were not prompted for (paused, not yet a member) neither count nor break the run.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from sqlalchemy import Select, and_, bindparam, func, select
from sqlalchemy.orm import Session

from storage.id_lists import arity, ids_in, ids_params
from storage.models import Checkin, CheckinRound, Delivery

LIVE = ("pending", "in_flight", "sent")


def prompt_moments(session: Session, round_ids: list[int]) -> dict[tuple[int, int], datetime]:
    """(round id, person id) -> when that prompt was sent, or is due to be (one query)."""
    if not round_ids:
        return {}
    return {(round_id, person_id): moment for round_id, person_id, moment in session.execute(
        select(Delivery.round_id, Delivery.person_id,
               func.coalesce(Delivery.sent_at, Delivery.next_attempt_at))
        .where(Delivery.kind == "prompt", Delivery.round_id.in_(round_ids),
               Delivery.status.in_(LIVE)))
        if round_id is not None and person_id is not None}


def quiet_members(session: Session, partnership_ids: list[int], now: datetime, rounds: int
                  ) -> set[tuple[int, int]]:
    """(partnership id, person id) of members who let their last ``rounds`` prompted
    rounds close unanswered (one query; none when ``rounds`` is 0)."""
    if rounds <= 0 or not partnership_ids:
        return set()
    rows = session.connection().execute(_quiet_statement(arity(partnership_ids)), {
        **ids_params("ids", partnership_ids), "now": now, "rounds": rounds}).all()
    return {(pid, person_id) for pid, person_id, asked, answered in rows
            if asked >= rounds and not answered}


@lru_cache(maxsize=8)
def _quiet_statement(shape: int) -> Select:  # type: ignore[type-arg]
    """Built once, with the partnerships, ``now`` and ``rounds`` bound at run time: a
    lead's `/lp status` asks it on every call, and building it cost more than running it."""
    prompted = select(
        Delivery.person_id, CheckinRound.partnership_id, Delivery.round_id,
        func.row_number().over(partition_by=(Delivery.person_id, CheckinRound.partnership_id),
                               order_by=CheckinRound.opens_at.desc()).label("rn"),
    ).join(CheckinRound, CheckinRound.id == Delivery.round_id).where(
        Delivery.kind == "prompt", Delivery.status == "sent",
        CheckinRound.due_at <= bindparam("now"),
        ids_in(CheckinRound.partnership_id, "ids", shape)).subquery()
    return (select(prompted.c.partnership_id, prompted.c.person_id, func.count(),
                   func.count(Checkin.id))
            .select_from(prompted)
            .outerjoin(Checkin, and_(Checkin.round_id == prompted.c.round_id,
                                     Checkin.person_id == prompted.c.person_id))
            .where(prompted.c.rn <= bindparam("rounds"))
            .group_by(prompted.c.partnership_id, prompted.c.person_id))
