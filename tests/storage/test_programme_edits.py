"""The Slack editors' API: each edit validates the whole programme through the one model
and upserts through the one importer, logged as the editor's; on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import threading
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from storage import audit
from storage.clock import SteppingClock
from storage.db import SessionFactory
from storage.erasure import erase_person
from storage.models import CheckinRound, Partnership, Person
from storage.programme import PartnershipSpec, PersonSpec, ProgrammeError
from storage.programme_edits import (
    LullEdit,
    ProgrammeSettingsEdit,
    current_programme,
    deactivate_partnership,
    save_partnership,
    save_programme_settings,
    save_staff,
    slug_for,
)
from storage.programme_store import read_programme

ADMIN = "U0ADMIN1"


def settings(**changes: Any) -> ProgrammeSettingsEdit:
    values: dict[str, Any] = dict(
        name="Leading Places 2027", start=date(2027, 4, 13), report_back=date(2028, 1, 27),
        lulls=(LullEdit("summer hiatus", date(2027, 7, 15), date(2027, 9, 7)),))
    return ProgrammeSettingsEdit(**{**values, **changes})


def hull(**changes: Any) -> dict[str, Any]:
    return {"slug": "hull", "name": "Hull: inclusive growth", "place": "Hull",
            "challenge": "Inclusive growth", "channel": "C0HULL",
            "objectives": ["A jobs pledge", "A skills map"], "leads": ["U0LEAD1"],
            "members": [{"slack_id": "U0LEAD1", "name": "Lee Lead", "institution": "Council"},
                        {"slack_id": "U0MEMB1", "name": "Mo Member"}], **changes}


def problems_of(call: Any) -> ProgrammeError:
    with pytest.raises(ProgrammeError) as caught:
        call()
    return caught.value


def test_an_empty_database_is_set_up_from_slack(session_factory: SessionFactory,
                                                clock: SteppingClock) -> None:
    db = session_factory
    assert current_programme(db) is None
    refused = problems_of(lambda: save_partnership(db, hull(), original_slug=None,
                                                   actor=ADMIN, now=clock()))
    assert "no programme yet" in refused.problems[0]
    save_programme_settings(db, settings(), actor=ADMIN, now=clock())
    spec = current_programme(db)
    assert spec is not None and spec.partnerships == () and spec.staff == ()
    assert spec.name == "Leading Places 2027" and spec.programme.digest.dm_staff
    assert [w.name for w in spec.lulls] == ["summer hiatus"]
    assert spec.lulls[0].weekday == spec.programme.cadence.weekday  # the programme's day
    save_partnership(db, hull(), original_slug=None, actor=ADMIN, now=clock())
    save_staff(db, [PersonSpec(slack_id=ADMIN, name="Ada Admin")], actor=ADMIN, now=clock())
    spec = current_programme(db)
    assert spec is not None and [p.slug for p in spec.partnerships] == ["hull"]
    assert spec.partnerships[0].leads == ("U0LEAD1",) and len(spec.partnerships[0].members) == 2
    assert [s.slack_id for s in spec.staff] == [ADMIN]
    logged = audit.changes(db, programme_only=True)
    assert {c.actor for c in logged} == {ADMIN}
    whats = {c.what for c in logged}
    assert {"programme calendar", "programme lulls", "partnership hull", "staff",
            "member U0LEAD1 of hull", "objectives of hull"} <= whats


def test_settings_problems_are_keyed_by_the_editors_fields(session_factory: SessionFactory,
                                                           clock: SteppingClock) -> None:
    bad = settings(name=" ", report_back=date(2027, 1, 1), hour=18, every_weeks=9,
                   digest_channel="general", weekday="someday",
                   lulls=(LullEdit("late", date(2027, 8, 2), date(2027, 8, 1)),))
    error = problems_of(lambda: save_programme_settings(session_factory, bad, actor=ADMIN,
                                                        now=clock()))
    assert set(error.fields) == {("name",), ("report_back",), ("hour",), ("every_weeks",),
                                 ("digest_channel",), ("weekday",), ("lulls", 0, "end")}
    assert "before the window's start" in error.fields[("lulls", 0, "end")]
    assert len(error.problems) == 7 and current_programme(session_factory) is None


def test_settings_edit_keeps_what_the_editor_does_not_show(example_programme: SessionFactory,
                                                            clock: SteppingClock) -> None:
    db = example_programme
    before = current_programme(db)
    assert before is not None
    edit = ProgrammeSettingsEdit.of(before)
    save_programme_settings(db, edit, actor=ADMIN, now=clock())
    assert current_programme(db) == before
    assert [c for c in audit.changes(db) if c.actor == ADMIN] == []  # nothing to log
    lulls = (*edit.lulls, LullEdit("easter", date(2027, 3, 22), date(2027, 4, 2), 1, "friday"))
    save_programme_settings(db, ProgrammeSettingsEdit(**{**edit.__dict__, "lulls": lulls,
                                                         "hour": 11}), actor=ADMIN, now=clock())
    after = current_programme(db)
    assert after is not None and [w.name for w in after.lulls][-1] == "easter"
    assert after.programme.cadence.hour == 11
    assert after.programme.themes == before.programme.themes
    assert after.programme.reminders == before.programme.reminders
    assert after.partnerships == before.partnerships
    (change,) = [c for c in audit.changes(db) if c.what == "programme calendar"
                 and c.actor == ADMIN]
    assert change.before == {"local_hour": 10} and change.after == {"local_hour": 11}


def test_partnership_problems_are_relative_to_the_partnership(
        example_programme: SessionFactory, clock: SteppingClock) -> None:
    db = example_programme
    spec = current_programme(db)
    assert spec is not None
    taken = spec.partnerships[0]
    someone = taken.members[0]
    bad = hull(slug=taken.slug, name="", leads=["U0NOBODY"], objectives=["Same", "Same"],
               members=[{"slack_id": someone.slack_id, "name": "Another Name"}])
    error = problems_of(lambda: save_partnership(db, bad, original_slug=None, actor=ADMIN,
                                                 now=clock()))
    assert set(error.fields) == {("slug",), ("name",), ("leads",), ("objectives",),
                                 ("members",)}
    assert "duplicate slug" in error.fields[("slug",)]
    assert "elsewhere" in error.fields[("members",)]
    assert current_programme(db) == spec


def test_a_partnership_is_renamed_edited_and_deactivated_keeping_its_history(
        example_programme: SessionFactory, clock: SteppingClock) -> None:
    db = example_programme
    spec = current_programme(db)
    assert spec is not None
    old = next(p for p in spec.partnerships if p.slug == "hull-inclusive-growth")
    with db() as session:
        pid = session.scalar(select(Partnership.id).where(Partnership.slug == old.slug))
    with db.begin() as session:
        session.add(CheckinRound(partnership_id=pid, kind="regular", opens_at=clock(),
                                 due_at=clock()))
    edited = PartnershipSpec.model_construct(**{
        **old.model_dump(), "slug": slug_for("Hull: Inclusive Growth!"),
        "objectives": (*old.objectives, "A new objective"),
        "leads": (old.members[-1].slack_id,)})
    save_partnership(db, edited, original_slug=old.slug, actor=ADMIN, now=clock())
    with db() as session:
        row = session.get(Partnership, pid)
        assert row is not None and row.slug == "hull-inclusive-growth" and row.active
        assert session.scalar(select(CheckinRound.id).where(
            CheckinRound.partnership_id == pid)) is not None
    renamed = hull(slug="hull-2027", **{k: v for k, v in old.model_dump().items()
                                        if k not in ("slug",)})
    save_partnership(db, renamed, original_slug=old.slug, actor=ADMIN, now=clock())
    with db() as session:
        row = session.get(Partnership, pid)
        assert row is not None and row.slug == "hull-2027"
    deactivate_partnership(db, "hull-2027", actor=ADMIN, now=clock())
    with db() as session:
        row = session.get(Partnership, pid)
        assert row is not None and not row.active
    after = current_programme(db)
    assert after is not None and "hull-2027" not in {p.slug for p in after.partnerships}
    gone = problems_of(lambda: deactivate_partnership(db, "hull-2027", actor=ADMIN,
                                                      now=clock()))
    assert ("slug",) in gone.fields
    whats = [c.what for c in audit.changes(db, programme_only=True)]
    assert "objectives of hull-inclusive-growth" in whats and "partnership hull-2027" in whats


def test_staff_are_replaced_and_checked(example_programme: SessionFactory,
                                        clock: SteppingClock) -> None:
    db = example_programme
    error = problems_of(lambda: save_staff(db, [{"slack_id": "nobody", "name": "X"},
                                                {"slack_id": ADMIN, "name": "A"},
                                                {"slack_id": ADMIN, "name": "A"}],
                                           actor=ADMIN, now=clock()))
    assert set(error.fields) == {(0, "slack_id"), (2, "slack_id")}
    save_staff(db, [{"slack_id": ADMIN, "name": "Ada Admin"}], actor=ADMIN, now=clock())
    with db() as session:
        staff = list(session.scalars(select(Person.slack_user_id).where(Person.is_staff)))
    assert staff == [ADMIN]
    (change,) = [c for c in audit.changes(db) if c.what == "staff" and c.actor == ADMIN]
    assert change.after == {"staff": [ADMIN]} and len(change.before["staff"]) == 2


@pytest.mark.parametrize("name,slug", [
    ("Hull: inclusive growth", "hull-inclusive-growth"),
    ("  Brighton & Hove — festivals!! ", "brighton-hove-festivals"),
    ("", "partnership"), ("x" * 100, "x" * 64)])
def test_slug_for(name: str, slug: str) -> None:
    assert slug_for(name) == slug


def test_an_erasure_takes_the_person_out_of_the_logged_changes(
        example_programme: SessionFactory, clock: SteppingClock) -> None:
    db = example_programme
    spec = current_programme(db)
    assert spec is not None
    person = spec.partnerships[0].members[-1]
    logged = json.dumps([c.__dict__ for c in audit.changes(db, limit=10_000)], default=str)
    assert person.slack_id in logged and person.name in logged
    erase_person(db, person.slack_id, actor="cli", now=clock())
    logged = json.dumps([c.__dict__ for c in audit.changes(db, limit=10_000)], default=str)
    assert person.slack_id not in logged and person.name not in logged
    assert "erased-" in logged


def test_two_editors_saving_at_once_lose_nothing(example_programme: SessionFactory,
                                                 clock: SteppingClock) -> None:
    """Each edit rewrites the whole programme, so without taking turns the later one
    would deactivate the partnership the other just added."""
    db = example_programme
    start = threading.Barrier(4)
    failures: list[Exception] = []

    def add(slug: str, lead: str) -> None:
        start.wait()
        try:
            save_partnership(db, hull(slug=slug, leads=[lead], members=[
                {"slack_id": lead, "name": f"Lead {lead}"}]), original_slug=None,
                actor=ADMIN, now=clock())
        except Exception as error:  # reported below, not lost in the thread
            failures.append(error)

    threads = [threading.Thread(target=add, args=(f"new-{i}", f"U0NEW{i}")) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    spec = current_programme(db)
    assert spec is not None
    assert {f"new-{i}" for i in range(4)} <= {p.slug for p in spec.partnerships}
    assert len(spec.partnerships) == 19


def test_an_edit_waits_for_the_one_in_progress(example_programme: SessionFactory,
                                               clock: SteppingClock) -> None:
    db = example_programme
    done = threading.Event()

    def add() -> None:
        save_partnership(db, hull(slug="waiting"), original_slug=None, actor=ADMIN,
                         now=clock())
        done.set()

    with db.begin() as session:
        read_programme(session, lock=True)  # another editor's save in progress
        waiting = threading.Thread(target=add)
        waiting.start()
        assert not done.wait(timeout=0.5)  # it waits its turn…
    waiting.join(timeout=30)
    assert done.is_set()  # …and then saves
    spec = current_programme(db)
    assert spec is not None and "waiting" in {p.slug for p in spec.partnerships}
