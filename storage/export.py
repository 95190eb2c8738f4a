"""Exports for spreadsheets: one CSV row per check-in and per objective update."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.db import SessionFactory
from storage.models import (
    Checkin,
    CheckinRound,
    Objective,
    ObjectiveUpdate,
    Partnership,
    Person,
)

COLUMNS = ["row_type", "checkin_id", "partnership", "round_id", "round_kind",
           "round_opens_at", "person_slack_id", "person", "institution", "submitted_at",
           "source", "momentum", "highlights", "blockers", "help_wanted", "help_text",
           "next_steps", "objective_id", "objective", "status", "note"]


def export_rows(session: Session, partnership_slug: str | None = None
                ) -> Iterator[dict[str, Any]]:
    """Check-ins then their objective updates, oldest first, streamed (two queries)."""
    base = (select(Checkin, Partnership.slug, CheckinRound.kind, CheckinRound.opens_at,
                   Person.slack_user_id, Person.name, Person.institution)
            .join(Partnership, Partnership.id == Checkin.partnership_id)
            .join(CheckinRound, CheckinRound.id == Checkin.round_id)
            .join(Person, Person.id == Checkin.person_id)
            .order_by(Checkin.submitted_at, Checkin.id))
    if partnership_slug:
        base = base.where(Partnership.slug == partnership_slug)
    for checkin, slug, kind, opens, slack_id, name, institution in session.execute(
            base.execution_options(yield_per=2000)):
        yield {"row_type": "checkin", "checkin_id": checkin.id, "partnership": slug,
               "round_id": checkin.round_id, "round_kind": kind,
               "round_opens_at": opens.isoformat(), "person_slack_id": slack_id,
               "person": name, "institution": institution or "",
               "submitted_at": checkin.submitted_at.isoformat(), "source": checkin.source,
               "momentum": checkin.momentum, "highlights": checkin.highlights,
               "blockers": checkin.blockers, "help_wanted": checkin.help_wanted,
               "help_text": checkin.help_text, "next_steps": checkin.next_steps}
    updates = (select(ObjectiveUpdate, Objective.title, Partnership.slug)
               .join(Objective, Objective.id == ObjectiveUpdate.objective_id)
               .join(Checkin, Checkin.id == ObjectiveUpdate.checkin_id)
               .join(Partnership, Partnership.id == Checkin.partnership_id)
               .order_by(Checkin.submitted_at, ObjectiveUpdate.id))
    if partnership_slug:
        updates = updates.where(Partnership.slug == partnership_slug)
    for update, title, slug in session.execute(updates.execution_options(yield_per=2000)):
        yield {"row_type": "objective_update", "checkin_id": update.checkin_id,
               "partnership": slug, "objective_id": update.objective_id, "objective": title,
               "status": update.status, "note": update.note}


def write_csv(db: SessionFactory, out: IO[str], partnership_slug: str | None = None) -> int:
    """Write the export as CSV; returns the number of data rows."""
    writer = csv.DictWriter(out, fieldnames=COLUMNS, restval="")
    writer.writeheader()
    count = 0
    with db() as session:
        for row in export_rows(session, partnership_slug):
            writer.writerow(row)
            count += 1
    return count
