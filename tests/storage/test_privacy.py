"""Erasure, export and the audit log, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import JSON, String, Text, select

from storage.checkins import CheckinInput, CheckinRejected, ObjectiveAnswer, submit_checkin
from storage.clock import SteppingClock
from storage.db import SessionFactory
from storage.digest import digest_now
from storage.erasure import (
    REMOVED,
    AlreadyErased,
    ErasedListed,
    UnknownPerson,
    erase_person,
)
from storage.importer import import_into
from storage.models import Base, Checkin, CheckinRound, Membership, Objective, Partnership, Person
from storage.objectives import ObjectiveEdit, save_objectives
from storage.outbox import queue_message
from storage.privacy import claim_export, personal_data, release_export
from storage.programme import load_programme
from tests.conftest import EXAMPLE

SPEC = load_programme(EXAMPLE)
HULL = next(p for p in SPEC.partnerships if p.slug == "hull-inclusive-growth")
BRIGHTON = next(p for p in SPEC.partnerships if p.slug == "brighton-festivals")
LEAD = HULL.leads[0]
LEAD_NAME = next(m.name for m in HULL.members if m.slack_id == LEAD)
OTHER = next(m.slack_id for m in HULL.members if m.slack_id != LEAD)


def ids(db: SessionFactory, slack_id: str) -> tuple[int, int, list[int]]:
    with db() as session:
        person = session.scalar(select(Person.id).where(Person.slack_user_id == slack_id))
        pid = session.scalar(select(Partnership.id).where(Partnership.slug == HULL.slug))
        objectives = list(session.scalars(select(Objective.id).where(
            Objective.partnership_id == pid, Objective.active)))
        assert person is not None and pid is not None
        return person, pid, objectives


def check_in(db: SessionFactory, slack_id: str, partnership_id: int, now: Any,
             words: str, objectives: list[int], momentum: int = 3) -> None:
    person_id = ids(db, slack_id)[0]
    submit_checkin(db, person_id=person_id, slack_id=slack_id, partnership_id=partnership_id,
                   now=now, confirmation=lambda outcome, m: f"Thanks {LEAD_NAME}, {m}/5",
                   data=CheckinInput(
                       momentum=momentum, highlights=f"{words} highlight",
                       blockers=f"{words} blocker", help_wanted=True,
                       help_text=f"{words} help", next_steps=f"{words} next",
                       objectives={o: ObjectiveAnswer("at_risk", f"{words} note")
                                   for o in objectives[:1]}))


def figures(db: SessionFactory, now: Any) -> Any:
    """Every number the digest shows (its wording aside)."""
    digest = digest_now(db, now)
    return (digest.momentum, digest.response_rate, len(digest.help), len(digest.blockers),
            [(s.slug, s.eligible, s.paused, s.reasons, s.flags,
              [(r.answered, r.eligible, r.momentum) for r in s.rounds],
              [(o.objective_id, o.status) for o in s.objectives]) for s in digest.partnerships])


def text_values(db: SessionFactory) -> list[str]:
    """Every value of every text or JSON column of every table, as text."""
    found: list[str] = []
    with db() as session:
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, String | Text | JSON)]
            for row in session.execute(select(*columns)) if columns else []:
                found += [v if isinstance(v, str) else json.dumps(v) for v in row
                          if v is not None]
    return found


def test_erasure_leaves_no_trace_and_keeps_the_figures(example_programme: SessionFactory,
                                                       clock: SteppingClock) -> None:
    db = example_programme
    person_id, pid, objectives = ids(db, LEAD)
    save_objectives(db, partnership_id=pid, by=LEAD, now=clock(), edit=ObjectiveEdit(
        "A sharper challenge", {}, ["Ziggurat plan"]))
    check_in(db, LEAD, pid, clock(), "Quixotic", objectives, momentum=2)
    check_in(db, OTHER, pid, clock(), "Ordinary", objectives, momentum=4)
    with db.begin() as session:
        queue_message(session, kind="digest", recipient="C0DIGEST", dedupe_key="d:1",
                      payload={"text": f"{LEAD_NAME}: Quixotic blocker"}, now=clock())
        queue_message(session, kind="prompt", recipient=LEAD, dedupe_key="p:1",
                      payload={"text": "Time to check in"}, now=clock())
    clock.advance(timedelta(days=15))
    with db.begin() as session:  # the next round
        session.add(CheckinRound(partnership_id=pid, kind="regular", opens_at=clock(),
                                 due_at=clock() + timedelta(days=7)))
    check_in(db, LEAD, pid, clock(), "Quixotic again", objectives, momentum=5)
    before = figures(db, clock())
    assert any(LEAD in v for v in text_values(db))

    erased = erase_person(db, LEAD, actor="cli", now=clock())

    assert erased.checkins >= 1 and erased.texts >= 8 and erased.deliveries_dropped >= 1
    for value in text_values(db):
        assert LEAD not in value and LEAD_NAME not in value and "Quixotic" not in value
    assert any("Ordinary" in v for v in text_values(db))  # nobody else's words went
    assert figures(db, clock()) == before
    with db() as session:
        mine = session.scalars(select(Checkin).where(Checkin.person_id == person_id)).all()
        assert {c.highlights for c in mine} == {REMOVED}
        assert sorted(c.momentum for c in mine) == [2, 5]


def test_bad_input_unknown_and_twice(example_programme: SessionFactory,
                                     clock: SteppingClock) -> None:
    with pytest.raises(UnknownPerson):
        erase_person(example_programme, "U0NOBODY", actor="cli", now=clock())
    erase_person(example_programme, OTHER, actor="cli", now=clock())
    with pytest.raises(AlreadyErased):
        erase_person(example_programme, OTHER, actor="cli", now=clock())


def test_reimport_asks_before_recreating(example_programme: SessionFactory,
                                         clock: SteppingClock) -> None:
    erase_person(example_programme, OTHER, actor="cli", now=clock())
    with pytest.raises(ErasedListed) as refused:
        import_into(example_programme, SPEC, clock())
    assert [slack_id for slack_id, _, _ in refused.value.listed] == [OTHER]
    with example_programme() as session:  # nothing of the file was applied
        assert session.scalar(select(Person).where(Person.slack_user_id == OTHER)) is None
    import_into(example_programme, SPEC, clock(), recreate_erased=frozenset({OTHER}))
    import_into(example_programme, SPEC, clock())  # confirmed once: not asked again
    with example_programme() as session:
        again = session.scalar(select(Person).where(Person.slack_user_id == OTHER))
        assert again is not None and again.active and again.erased_at is None


def race_once(db: SessionFactory, clock: SteppingClock, slack_id: str, words: str) -> None:
    """A check-in and the person's erasure started together: one waits for the other."""
    _, pid, objectives = ids(db, slack_id)
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def submit() -> None:
        start.wait()
        try:
            check_in(db, slack_id, pid, clock(), words, objectives)
        except CheckinRejected:
            pass  # erased first: refused, nothing stored
        except BaseException as error:
            errors.append(error)

    thread = threading.Thread(target=submit)
    thread.start()
    start.wait()
    erase_person(db, slack_id, actor="cli", now=clock())
    thread.join()
    assert errors == []
    assert not any(words in v for v in text_values(db))


def test_erasure_beside_a_checkin_never_half_erases(example_programme: SessionFactory,
                                                     clock: SteppingClock) -> None:
    for attempt in range(6):
        slack_id = HULL.members[attempt % len(HULL.members)].slack_id
        race_once(example_programme, clock, slack_id, f"Racing{attempt}")
        import_into(example_programme, SPEC, clock(), recreate_erased=frozenset({slack_id}))
        clock.advance(timedelta(days=15))


def test_export_holds_everything_and_is_limited(example_programme: SessionFactory,
                                               clock: SteppingClock) -> None:
    db = example_programme
    person_id, pid, objectives = ids(db, LEAD)
    with db.begin() as session:
        brighton = session.scalar(select(Partnership.id).where(
            Partnership.slug == BRIGHTON.slug))
        session.add(Membership(person_id=person_id, partnership_id=brighton, role="member",
                               active=True))
    check_in(db, LEAD, pid, clock(), "Hull words", objectives)
    check_in(db, LEAD, brighton, clock(), "Brighton words", [])
    data = personal_data(db, LEAD, clock())
    assert data is not None and data.profile["name"] == LEAD_NAME
    assert {c["partnership"] for c in data.checkins} == {HULL.slug, BRIGHTON.slug}
    assert {m["partnership"] for m in data.memberships} == {HULL.slug, BRIGHTON.slug}
    assert [u["note"] for u in data.objective_updates] == ["Hull words note"]
    assert {d["kind"] for d in data.deliveries} == {"confirm"}
    first = claim_export(db, LEAD, clock())
    assert first is not None and claim_export(db, LEAD, clock()) is None
    release_export(db, first)  # the file never went: it does not count
    assert claim_export(db, LEAD, clock()) is not None
    clock.advance(timedelta(hours=25))
    assert claim_export(db, LEAD, clock()) is not None
    assert personal_data(db, "U0NOBODY", clock()) is None
