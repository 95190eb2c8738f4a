"""A lead's edit of the challenge and objectives is in the audit log, in the importer's
shape (who, when, what, before → after), so App Home and `lpbot audit` show it; an edit
that changes nothing adds nothing, and a refused edit logs nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.blocks.changes import audit_line
from storage import audit
from storage.clock import SteppingClock
from storage.db import SessionFactory
from storage.models import Objective, Partnership
from storage.objectives import ObjectiveEdit, save_objectives
from storage.programme import load_programme
from tests.conftest import EXAMPLE

HULL = next(p for p in load_programme(EXAMPLE).partnerships if p.slug.startswith("hull"))
LEAD = HULL.leads[0]


def hull(db: SessionFactory) -> tuple[int, dict[str, int]]:
    with db() as session:
        pid = session.scalar(select(Partnership.id).where(Partnership.slug == HULL.slug))
        assert pid is not None
        return pid, {o.title: o.id for o in session.scalars(select(Objective).where(
            Objective.partnership_id == pid, Objective.active))}


def test_a_leads_edit_is_logged_with_before_and_after(example_programme: SessionFactory,
                                                      clock: SteppingClock) -> None:
    db = example_programme
    pid, titles = hull(db)
    first, second, *rest = HULL.objectives
    clock.advance(timedelta(days=1))
    start = clock()
    save_objectives(db, partnership_id=pid, by=LEAD, now=clock(), edit=ObjectiveEdit(
        "A sharper challenge", {titles[first]: "Reworded", titles[second]: ""}, ["Brand new"]))
    logged = {c.what: c for c in audit.changes(db, since=start, programme_only=True)}
    assert set(logged) == {f"partnership {HULL.slug}", f"objectives of {HULL.slug}"}
    assert {c.actor for c in logged.values()} == {LEAD}
    assert {c.at for c in logged.values()} == {start}
    challenge = logged[f"partnership {HULL.slug}"]
    assert (challenge.before, challenge.after) == ({"challenge": HULL.challenge},
                                                   {"challenge": "A sharper challenge"})
    objectives = logged[f"objectives of {HULL.slug}"]
    assert objectives.before == {"objectives": list(HULL.objectives)}
    assert objectives.after == {"objectives": ["Reworded", *rest, "Brand new"]}
    assert audit_line(objectives).startswith(
        f"{start:%Y-%m-%d %H:%M} UTC  {LEAD}  objectives of {HULL.slug}: objectives [")


def test_an_edit_that_changes_nothing_logs_nothing(example_programme: SessionFactory,
                                                   clock: SteppingClock) -> None:
    db = example_programme
    pid, titles = hull(db)
    clock.advance(timedelta(days=1))
    start = clock()
    save_objectives(db, partnership_id=pid, by=LEAD, now=clock(), edit=ObjectiveEdit(
        HULL.challenge, {titles[HULL.objectives[0]]: HULL.objectives[0]}, ["  "]))
    assert audit.changes(db, since=start) == []
    with pytest.raises(ValueError):
        save_objectives(db, partnership_id=pid, by=LEAD, now=clock(), edit=ObjectiveEdit(
            "Sneaky", {999_999: "not ours"}, []))
    assert audit.changes(db, since=start) == []
