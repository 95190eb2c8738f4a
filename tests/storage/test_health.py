"""What `lpbot doctor` reads from the database: the schema's heads beside the code's, and
the channels and people the programme relies on, in a fixed number of statements."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import update

from storage.db import SessionFactory, alembic_config, upgrade
from storage.health import relied_on, schema_state
from storage.models import Partnership, Person
from storage.programme import load_programme
from tests.conftest import EXAMPLE
from tests.storage.test_cadence import counting

SPEC = load_programme(EXAMPLE)
HEADS = frozenset(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads())


def test_a_migrated_database_is_up_to_date(database_url: str) -> None:
    state = schema_state(database_url)
    assert state.up_to_date and state.current == HEADS and not state.missing


def test_behind_empty_missing_and_newer(tmp_path: Path) -> None:
    behind = f"sqlite:///{tmp_path / 'behind.db'}"
    upgrade(behind, "0002")
    state = schema_state(behind)
    assert not state.up_to_date and state.missing == tuple(sorted(HEADS - {"0002"}))

    sqlite3.connect(tmp_path / "empty.db").close()
    empty = schema_state(f"sqlite:///{tmp_path / 'empty.db'}")
    assert empty.exists and not empty.current and not empty.up_to_date

    absent = schema_state(f"sqlite:///{tmp_path / 'absent.db'}")
    assert not absent.exists and not (tmp_path / "absent.db").exists()  # nothing created

    with sqlite3.connect(tmp_path / "behind.db") as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    assert schema_state(behind).unknown == ("9999",)


def test_relied_on_lists_channels_and_active_people_in_three_statements(
        example_programme: SessionFactory) -> None:
    with counting(example_programme) as statements:
        relied = relied_on(example_programme)
    assert len(statements) == 3
    assert relied.programme
    assert relied.channels[0].channel_id == SPEC.digest_channel
    assert relied.channels[0].purpose == "the digest channel"
    with_channel = [p for p in SPEC.partnerships if p.channel]
    assert len(relied.channels) == 1 + len(with_channel)
    everyone = {m.slack_id for p in SPEC.partnerships for m in p.members}
    everyone |= {s.slack_id for s in SPEC.staff}
    assert {p.slack_id for p in relied.people} == everyone
    staff = next(p for p in relied.people if p.slack_id == SPEC.staff[0].slack_id)
    assert staff.belongs[0] == "staff" and staff.name == SPEC.staff[0].name


def test_inactive_partnerships_and_people_are_not_relied_on(
        example_programme: SessionFactory) -> None:
    first = SPEC.partnerships[0]
    leaver = SPEC.partnerships[1].members[0].slack_id
    with example_programme.begin() as session:
        session.execute(update(Partnership).where(Partnership.slug == first.slug)
                        .values(active=False))
        session.execute(update(Person).where(Person.slack_user_id == leaver)
                        .values(active=False))
    relied = relied_on(example_programme)
    assert first.channel not in {c.channel_id for c in relied.channels}
    slugs = {slug for p in relied.people for slug in p.belongs}
    assert first.slug not in slugs
    assert leaver not in {p.slack_id for p in relied.people}


def test_an_empty_database_relies_on_nothing(session_factory: SessionFactory) -> None:
    relied = relied_on(session_factory)
    assert not relied.programme and not relied.channels and not relied.people
