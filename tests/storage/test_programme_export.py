"""The file stays in step: the programme in force exported as YAML imports into an empty
database as the same programme, and back into its own database as no change at all;
on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from storage import audit
from storage.clock import SteppingClock
from storage.db import SessionFactory, make_engine, make_session_factory, upgrade
from storage.erasure import erase_person
from storage.importer import import_into
from storage.programme import ProgrammeError, load_programme, parse_programme
from storage.programme_edits import (
    LullEdit,
    ProgrammeSettingsEdit,
    current_programme,
    save_partnership,
    save_programme_settings,
    save_staff,
)
from storage.programme_store import programme_yaml
from storage.sharing_settings import set_sharing, sharing_setting
from storage.status import find_partnership_id
from tests.conftest import EXAMPLE, drop_pg_database, recreate_pg_database
from tests.storage.test_cadence import counting
from tests.storage.test_storage import table_counts


@pytest.fixture
def second_db(database_url: str, tmp_path: Path,
              sqlite_template: Path) -> Iterator[SessionFactory]:
    """Another empty database on the same backend."""
    name = f"lpbot_second_{os.getpid()}"
    if database_url.startswith("sqlite"):
        shutil.copy(sqlite_template, tmp_path / "second.db")
        url = f"sqlite:///{tmp_path / 'second.db'}"
    else:
        url = recreate_pg_database(name)
        upgrade(url)
    engine = make_engine(url)
    yield make_session_factory(engine)
    engine.dispose()
    if not database_url.startswith("sqlite"):
        drop_pg_database(name)


def round_trip(first: SessionFactory, second: SessionFactory, now: datetime,
               tmp_path: Path) -> None:
    spec = current_programme(first)
    assert spec is not None
    path = tmp_path / "export.yaml"
    path.write_text(programme_yaml(spec), encoding="utf-8")
    exported = load_programme(path)
    assert exported == spec
    assert import_into(second, exported, now).changed
    assert current_programme(second) == spec  # the two databases hold the same programme
    assert sharing_of(second) == sharing_of(first)  # the `/lp sharing` choices too
    before = table_counts(first)
    again = import_into(first, exported, now, actor=f"file:{path}")
    assert not again.changed and again.changes == []
    assert table_counts(first) == before  # not even an audit entry


def sharing_of(db: SessionFactory) -> dict[str, str]:
    """Each active partnership's sharing as the database holds it, by slug."""
    spec = current_programme(db)
    assert spec is not None
    return {p.slug: str(setting.sharing) for p in spec.partnerships
            if (setting := sharing_setting(db, partnership_id(db, p.slug))) is not None}


def partnership_id(db: SessionFactory, slug: str) -> int:
    found = find_partnership_id(db, slug)
    assert found is not None
    return found


def test_the_example_round_trips(example_programme: SessionFactory, second_db: SessionFactory,
                                 clock: SteppingClock, tmp_path: Path) -> None:
    spec = current_programme(example_programme)
    assert spec is not None
    # The file leaves sharing out; the database holds each partnership's default.
    assert spec == load_programme(EXAMPLE).model_copy(update={"partnerships": tuple(
        p.model_copy(update={"sharing": "summary"}) for p in spec.partnerships)})
    first, second = spec.partnerships[0].slug, spec.partnerships[1].slug
    set_sharing(example_programme, partnership_id(example_programme, first), "off",
                actor="U0LEAD1", now=clock())
    set_sharing(example_programme, partnership_id(example_programme, second), "full",
                actor="U0LEAD2", now=clock())
    round_trip(example_programme, second_db, clock(), tmp_path)
    assert sharing_of(second_db)[first] == "off" and sharing_of(second_db)[second] == "full"


def test_a_file_without_sharing_keeps_each_choice_and_one_with_it_sets_it(
        example_programme: SessionFactory, clock: SteppingClock) -> None:
    db = example_programme
    raw = yaml.safe_load(EXAMPLE.read_text())
    slug = raw["partnerships"][0]["slug"]
    set_sharing(db, partnership_id(db, slug), "off", actor="U0LEAD1", now=clock())
    assert not import_into(db, parse_programme(raw), clock()).changed
    assert sharing_of(db)[slug] == "off"  # a file that says nothing resets nothing
    start = clock()
    clock.advance(timedelta(minutes=5))
    raw["partnerships"][0]["sharing"] = "Full"
    report = import_into(db, parse_programme(raw), clock(), actor="file:programme.yaml")
    assert report.changes == [(f"partnership {slug}", {"sharing": "off"}, {"sharing": "full"})]
    assert sharing_of(db)[slug] == "full"
    logged = audit.changes(db, since=start + timedelta(minutes=1))
    assert [(c.actor, c.what, c.before, c.after) for c in logged] == [
        ("file:programme.yaml", f"partnership {slug}", {"sharing": "off"}, {"sharing": "full"})]
    raw["partnerships"][0]["sharing"] = "everything"
    with pytest.raises(ProgrammeError, match="should be one of off, summary, full"):
        parse_programme(raw)


def test_a_programme_made_in_slack_round_trips(session_factory: SessionFactory,
                                               second_db: SessionFactory,
                                               clock: SteppingClock, tmp_path: Path) -> None:
    db, admin = session_factory, "U0ADMIN1"
    save_programme_settings(db, ProgrammeSettingsEdit(
        name="Made in Slack", start=date(2027, 4, 13), report_back=date(2028, 1, 27),
        digest_channel="C0DIGEST", weekday="wednesday", hour=9, lulls=(
            LullEdit("summer", date(2027, 7, 15), date(2027, 9, 7), 2),)),
        actor=admin, now=clock())
    for slug, people in (("hull", ["U0H1", "U0H2"]), ("lincoln", ["U0L1", "U0H2"])):
        save_partnership(db, {
            "slug": slug, "name": slug.title(), "place": slug.title(), "challenge": "Growth",
            "channel": f"C0{slug.upper()}", "objectives": [f"{slug} one", f"{slug} two"],
            "leads": people[:1], "members": [{"slack_id": p, "name": f"Person {p}",
                                              "institution": "Council"} for p in people]},
            original_slug=None, actor=admin, now=clock())
    save_staff(db, [{"slack_id": admin, "name": "Ada Admin"}], actor=admin, now=clock())
    set_sharing(db, partnership_id(db, "lincoln"), "off", actor="U0L1", now=clock())
    round_trip(db, second_db, clock(), tmp_path)
    assert sharing_of(second_db) == {"hull": "summary", "lincoln": "off"}


def test_reading_the_programme_takes_the_same_queries_whatever_its_size(
        example_programme: SessionFactory, clock: SteppingClock) -> None:
    with counting(example_programme) as statements:
        spec = current_programme(example_programme)
    assert spec is not None and len(spec.partnerships) == 15
    assert len(statements) == 6


def test_export_leaves_out_what_was_deactivated_or_erased(example_programme: SessionFactory,
                                                         clock: SteppingClock) -> None:
    db = example_programme
    raw = yaml.safe_load(EXAMPLE.read_text())
    gone_partnership = raw["partnerships"].pop()["slug"]
    gone_member = raw["partnerships"][0]["members"].pop()["slack_id"]
    import_into(db, parse_programme(raw), clock())
    erased = raw["partnerships"][1]["members"][-1]["slack_id"]
    erase_person(db, erased, actor="cli", now=clock())
    spec = current_programme(db)
    assert spec is not None
    people = {m.slack_id for p in spec.partnerships for m in p.members}
    assert gone_partnership not in {p.slug for p in spec.partnerships}
    assert gone_member not in people and erased not in people
    assert len(spec.partnerships) == 14


def test_a_file_import_logs_who_changed_what(example_programme: SessionFactory,
                                            clock: SteppingClock) -> None:
    db = example_programme
    start = clock()
    clock.advance(timedelta(days=1))
    raw = yaml.safe_load(EXAMPLE.read_text())
    hull = next(p for p in raw["partnerships"] if p["slug"] == "hull-inclusive-growth")
    hull["place"] = "Hull"
    hull["leads"] = hull["leads"][:1]
    raw["programme"]["cadence"]["hour"] = 11
    import_into(db, parse_programme(raw), clock(), actor="file:programme.yaml")
    found = audit.changes(db, since=start + timedelta(hours=1))
    assert {c.actor for c in found} == {"file:programme.yaml"}
    by_what = {c.what: (c.before, c.after) for c in found}
    assert by_what["partnership hull-inclusive-growth"] == (
        {"place": "Kingston upon Hull"}, {"place": "Hull"})
    assert by_what["programme calendar"] == ({"local_hour": 10}, {"local_hour": 11})
    demoted = [w for w in by_what if w.startswith("member ") and w.endswith(" of hull-"
                                                                           "inclusive-growth")]
    assert len(demoted) == 1 and by_what[demoted[0]] == ({"role": "lead"}, {"role": "member"})
    assert len(found) == 3
    assert len(audit.changes(db, limit=2)) == 2
