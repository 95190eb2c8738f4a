"""Leads edit their challenge and objectives; every wording is kept as a revision, and each
save is in the audit log (who, when, before and after) like any other programme change."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage import audit
from storage.db import SessionFactory
from storage.models import Objective, ObjectiveRevision, Partnership


@dataclass(frozen=True)
class ObjectiveEdit:
    challenge: str
    titles: dict[int, str]  # objective id -> new title ("" retires it)
    new: list[str]


@dataclass(frozen=True)
class EditResult:
    added: int
    reworded: int
    retired: int


def edit_objectives(session: Session, *, partnership_id: int, edit: ObjectiveEdit,
                    by: str, now: datetime) -> EditResult:
    """Apply a lead's edit; objectives named that are not the partnership's are refused."""
    partnership = session.get_one(Partnership, partnership_id)
    objectives = {o.id: o for o in session.scalars(select(Objective).where(
        Objective.partnership_id == partnership_id, Objective.active))}
    unknown = set(edit.titles) - set(objectives)
    if unknown:
        raise ValueError("the edit names objectives this partnership does not have")
    before = _titles(objectives.values())
    if edit.challenge.strip() and edit.challenge.strip() != partnership.challenge:
        audit.record(session, action=audit.PROGRAMME, actor=by, now=now, detail={
            "what": f"partnership {partnership.slug}",
            "before": {"challenge": partnership.challenge},
            "after": {"challenge": edit.challenge.strip()}})
        partnership.challenge = edit.challenge.strip()
    added = reworded = retired = 0
    for objective_id, title in edit.titles.items():
        objective = objectives[objective_id]
        title = title.strip()
        if not title:
            objective.active, objective.retired_at = False, now
            session.add(ObjectiveRevision(objective_id=objective_id, title=objective.title,
                                          action="retire", changed_at=now, changed_by=by))
            retired += 1
        elif title != objective.title:
            objective.title = title
            session.add(ObjectiveRevision(objective_id=objective_id, title=title,
                                          action="reword", changed_at=now, changed_by=by))
            reworded += 1
    position = (session.scalar(select(func.max(Objective.position)).where(
        Objective.partnership_id == partnership_id)) or 0) + 1
    for title in (t.strip() for t in edit.new):
        if not title:
            continue
        objective = Objective(partnership_id=partnership_id, title=title, position=position,
                              active=True, created_at=now)
        session.add(objective)
        session.flush()
        session.add(ObjectiveRevision(objective_id=objective.id, title=title, action="add",
                                      changed_at=now, changed_by=by))
        position += 1
        added += 1
    session.flush()
    after = _titles(session.scalars(select(Objective).where(
        Objective.partnership_id == partnership_id, Objective.active)))
    if after != before:  # the importer's shape, so App Home and `lpbot audit` show it
        audit.record(session, action=audit.PROGRAMME, actor=by, now=now, detail={
            "what": f"objectives of {partnership.slug}", "before": {"objectives": before},
            "after": {"objectives": after}})
    return EditResult(added, reworded, retired)


def _titles(objectives: Iterable[Objective]) -> list[str]:
    return [o.title for o in sorted(objectives, key=lambda o: (o.position, o.id))]


def save_objectives(db: SessionFactory, *, partnership_id: int, edit: ObjectiveEdit, by: str,
                    now: datetime) -> EditResult:
    """``edit_objectives`` in a transaction of its own (a lead's modal submission)."""
    with db.begin() as session:
        return edit_objectives(session, partnership_id=partnership_id, edit=edit, by=by,
                               now=now)
