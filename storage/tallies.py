"""Each round's tally (answers, momentum, last answer, institutions), kept up to date as
check-ins arrive, so status, App Home and the digest read a few thousand tally rows
instead of every check-in of the programme.

A tally is recomputed from the round's own check-ins (a handful of rows) after the
round's row is locked, so two check-ins arriving together can't both write a count that
misses the other: on PostgreSQL the lock waits for the first to commit and the count that
follows sees it; on SQLite writers are serialised anyway.
"""

from __future__ import annotations

from sqlalchemy import func, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.models import Checkin, CheckinRound, Person, RoundInstitution


def retally_round(session: Session, round_id: int) -> None:
    """Bring one round's tally up to date with its check-ins (in the caller's transaction)."""
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
        dialect = session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        session.execute(insert(RoundInstitution).values(
            [{"round_id": round_id, "institution": name} for name in institutions])
            .on_conflict_do_nothing())


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
    """Recompute every tally: after a bulk load that bypassed ``record_checkin``."""
    for statement in RETALLY_ALL:
        session.execute(text(statement))
