"""Each round's tally (answers, momentum, last answer, institutions), kept up to date as
check-ins arrive, so status, App Home and the digest read a few thousand tally rows
instead of every check-in of the programme.

A check-in moves its round's tally by what it changed, in one UPDATE that adds to the
row as it stands (``answered + 1``, ``momentum_total + change``): on PostgreSQL two
check-ins arriving together queue on the row's lock and the second adds to what the
first wrote (READ COMMITTED re-reads the row it waited for), so neither is lost; on
SQLite writers are serialised anyway. ``retally_all`` recounts everything, after a bulk
load that bypassed ``storage.checkins``.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Integer, Update, bindparam, cast, func, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.models import Checkin, CheckinRound, Person, RoundInstitution
from storage.standing import note_change, note_recount, refresh_all
from storage.tally_move import tally_move


def note_new_answer(session: Session, round_id: int, person_id: int, momentum: int,
                    now: datetime) -> None:
    """A first answer in the round (in the caller's transaction): one more answer, its
    momentum, and the person's institution among those answering."""
    conn = session.connection()
    conn.execute(_tally_statement(), {"round": round_id, "answers": 1, "change": momentum,
                                      "now": now})
    conn.execute(_institution_statement(session.get_bind().dialect.name),
                 {"round": round_id, "person": person_id})
    note_change(session, round_id, 1, momentum, now)


def note_amendment(session: Session, round_id: int, change: int, now: datetime) -> None:
    """An answer amended: the momentum moves by ``change``; the last answer is now."""
    session.connection().execute(_tally_statement(), {"round": round_id, "answers": 0,
                                                      "change": change, "now": now})
    note_change(session, round_id, 0, change, now)


def retally_round(session: Session, round_id: int) -> None:
    """Recount one round's tally from its check-ins (in the caller's transaction), after
    a change made without ``note_new_answer``/``note_amendment``. The round's row is
    locked first, so a check-in arriving meanwhile is counted after this, not lost."""
    session.execute(select(CheckinRound.id).where(CheckinRound.id == round_id)
                    .with_for_update(key_share=True))
    answered, total, last = session.execute(
        select(func.count(Checkin.id), func.coalesce(func.sum(Checkin.momentum), 0),
               func.max(Checkin.submitted_at)).where(Checkin.round_id == round_id)).one()
    session.execute(update(CheckinRound).where(CheckinRound.id == round_id).values(
        answered=answered, momentum_total=total, last_checkin_at=last))
    institutions = [name for name in session.scalars(
        select(Person.institution).distinct().join(Checkin, Checkin.person_id == Person.id)
        .where(Checkin.round_id == round_id, Person.institution.is_not(None))) if name]
    if institutions:
        insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" \
            else sqlite.insert
        session.execute(insert(RoundInstitution).values(
            [{"round_id": round_id, "institution": name} for name in institutions])
            .on_conflict_do_nothing())
    note_recount(session, round_id)


@lru_cache(maxsize=1)
def _tally_statement() -> Update:
    return tally_move(CheckinRound, CheckinRound.id)


@lru_cache(maxsize=2)
def _institution_statement(dialect: str) -> Any:
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    institution = (select(cast(bindparam("round"), Integer), Person.institution)
                   .where(Person.id == bindparam("person"), Person.institution.is_not(None),
                          Person.institution != ""))
    return insert(RoundInstitution).from_select(["round_id", "institution"], institution) \
        .on_conflict_do_nothing()


RETALLY_ALL = [
    """UPDATE checkin_round SET
         answered = (SELECT count(*) FROM checkin c WHERE c.round_id = checkin_round.id),
         momentum_total = (SELECT coalesce(sum(c.momentum), 0) FROM checkin c
                           WHERE c.round_id = checkin_round.id),
         last_checkin_at = (SELECT max(c.submitted_at) FROM checkin c
                            WHERE c.round_id = checkin_round.id)""",
    """INSERT INTO round_institution (round_id, institution)
       SELECT DISTINCT c.round_id, p.institution FROM checkin c
       JOIN person p ON p.id = c.person_id
       WHERE p.institution IS NOT NULL AND p.institution <> ''
       AND NOT EXISTS (SELECT 1 FROM round_institution r
                       WHERE r.round_id = c.round_id AND r.institution = p.institution)""",
]
"""Every tally recomputed from the check-ins, set-based (the migration runs the same)."""


def retally_all(session: Session) -> None:
    """Recompute every tally, and every partnership's standing from them: after a bulk
    load that bypassed ``record_checkin``."""
    for statement in RETALLY_ALL:
        session.execute(text(statement))
    refresh_all(session)
