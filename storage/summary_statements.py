"""The summaries' statements (storage/summaries.py), each built once per shape with its
values bound at run time: building one cost more than running it for one partnership.
A list of partnerships or rounds is bound by its length (storage/id_lists.py)."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import (
    BindParameter,
    Select,
    and_,
    bindparam,
    case,
    func,
    or_,
    select,
    true,
)
from sqlalchemy.orm import aliased

from storage.id_lists import ids_in
from storage.models import (
    CheckinRound,
    Membership,
    Objective,
    Partnership,
    Person,
    RoundInstitution,
)

ROUND_COLUMNS = (CheckinRound.id, CheckinRound.partnership_id, CheckinRound.opens_at,
                 CheckinRound.due_at, CheckinRound.kind, CheckinRound.answered,
                 CheckinRound.momentum_total, CheckinRound.last_checkin_at)


class SummaryStatements(NamedTuple):
    partnerships: Select  # type: ignore[type-arg]
    members: Select  # type: ignore[type-arg]
    objectives: Select  # type: ignore[type-arg]


@lru_cache(maxsize=8)
def summary_statements(shape: int | None) -> SummaryStatements:
    """For every partnership (``shape`` None) or for the ``ids`` bound in that shape."""
    now: BindParameter[datetime] = bindparam("now")

    def only(query: Select, column: Any) -> Select:  # type: ignore[type-arg]
        return query if shape is None else query.where(ids_in(column, "ids", shape))

    paused = and_(Person.paused_until.is_not(None), Person.paused_until > now)
    return SummaryStatements(
        only(select(Partnership.id, Partnership.slug, Partnership.name, Partnership.place,
                    Partnership.challenge, Partnership.channel_id)
             .where(Partnership.active).order_by(Partnership.name), Partnership.id),
        only(select(Membership.partnership_id, Person.institution,
                    func.sum(case((paused, 0), else_=1)),
                    func.sum(case((paused, 1), else_=0)))
             .join(Person, Person.id == Membership.person_id)
             # An erased member still counts until the programme file drops their seat,
             # so an erasure never moves the partnership's figures.
             .where(Membership.active, or_(Person.active, Person.erased_at.is_not(None)))
             .group_by(Membership.partnership_id, Person.institution),
             Membership.partnership_id),
        only(select(Objective.id, Objective.partnership_id, Objective.title,
                    Objective.status, Objective.status_since, Objective.status_note)
             .where(Objective.active).order_by(Objective.position), Objective.partnership_id))


@lru_cache(maxsize=8)
def latest_rounds_statement(dialect: str, limit: int) -> Select:  # type: ignore[type-arg]
    """Several partnerships' last ``limit`` rounds, ``now`` and ``ids`` bound at run time."""
    now: BindParameter[datetime] = bindparam("now")
    ids: BindParameter[list[int]] = bindparam("ids", expanding=True)
    if dialect == "postgresql":
        lateral = (select(*ROUND_COLUMNS)
                   .where(CheckinRound.partnership_id == Partnership.id,
                          CheckinRound.opens_at <= now)
                   .order_by(CheckinRound.opens_at.desc()).limit(limit).lateral())
        return (select(*lateral.c).select_from(Partnership).join(lateral, true())
                .where(Partnership.id.in_(ids)).order_by(lateral.c.opens_at))
    # SQLite has no LATERAL; a correlated "id IN (… LIMIT n)" per partnership is as cheap.
    inner = aliased(CheckinRound)
    latest = (select(inner.id).where(inner.partnership_id == Partnership.id,
                                     inner.opens_at <= now)
              .order_by(inner.opens_at.desc()).limit(limit).correlate(Partnership))
    return (select(*ROUND_COLUMNS).select_from(Partnership)
            .join(CheckinRound, CheckinRound.id.in_(latest.scalar_subquery()))
            .where(Partnership.id.in_(ids)).order_by(CheckinRound.opens_at))


@lru_cache(maxsize=8)
def one_partnership_rounds_statement(limit: int) -> Select:  # type: ignore[type-arg]
    """One partnership's (bound ``ids``) last ``limit`` rounds, newest first: a lead's
    `/lp status` and a member's Home, straight down the (partnership, opens_at) index."""
    return (select(*ROUND_COLUMNS)
            .where(CheckinRound.partnership_id == bindparam("ids"),
                   CheckinRound.opens_at <= bindparam("now"))
            .order_by(CheckinRound.opens_at.desc()).limit(limit))


@lru_cache(maxsize=8)
def answering_statement(shape: int) -> Select:  # type: ignore[type-arg]
    """The institutions that answered in the rounds bound as ``ids``."""
    return (select(RoundInstitution.round_id, RoundInstitution.institution)
            .where(ids_in(RoundInstitution.round_id, "ids", shape)))
