"""Build a programme at scale (partnerships × members × weeks of check-ins) for the
benchmarks and the query-count tests; deterministic, inserted in bulk."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import make_url

from storage.db import SessionFactory
from storage.models import (
    Checkin,
    CheckinRound,
    Membership,
    Objective,
    ObjectiveUpdate,
    Partnership,
    Person,
    Programme,
)
from storage.programme import DEFAULT_THEMES
from storage.tallies import retally_all

INSTITUTIONS = ("Council", "University", "NHS Trust")
BLOCKERS = ("Waiting on the data sharing agreement", "No funding for the pilot yet",
            "Partners stretched by winter pressures", "Evaluation of cultural impact unclear",
            "Procurement sign-off delayed", "")
CHUNK = 20_000


def _chunks(rows: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def build_programme(session_factory: SessionFactory, *, partnerships: int, members: int,
                    weeks: int, now: datetime, answer_rate: float = 0.7,
                    seed: int = 1) -> dict[str, int]:
    """Insert a whole programme; returns row counts. Ids are assigned here, so it needs
    an empty database."""
    rng = random.Random(seed)
    counts: dict[str, int] = {}
    start = (now - timedelta(weeks=weeks)).date()
    with session_factory.begin() as session:
        session.execute(insert(Programme).values(
            id=1, name="Benchmark programme", timezone="Europe/London",
            holiday_region="GB-ENG", start_date=start,
            report_back_date=now.date() + timedelta(weeks=8), cadence_weeks=1,
            cadence_weekday=1, local_hour=10, reminder_days=[2, 4],
            report_back_prompt_days=14, digest_channel="C0DIGEST", digest_weekday=0,
            digest_hour=9, digest_dm_staff=False, stall_days=21, low_response=1 / 3,
            momentum_drop=1.0, themes=DEFAULT_THEMES))

        def bulk(model: type, rows: Iterator[dict[str, Any]]) -> None:
            total = 0
            for batch in _chunks(rows):
                session.execute(insert(model), batch)
                total += len(batch)
            counts[model.__tablename__] = total

        bulk(Partnership, ({"id": p + 1, "slug": f"p{p + 1:04d}", "name": f"Partnership {p + 1}",
                            "place": f"Place {p + 1}", "challenge": "A place-based challenge",
                            "channel_id": None, "active": True} for p in range(partnerships)))
        statuses = ("on_track", "at_risk", "stalled", "done", None)
        bulk(Objective, ({"id": p * 3 + o + 1, "partnership_id": p + 1,
                          "title": f"Objective {o + 1}", "position": o, "active": True,
                          "created_at": now - timedelta(weeks=weeks),
                          "status": statuses[(p + o) % 5],
                          "status_since": now - timedelta(days=(p + o) % 40),
                          "status_at": now} for p in range(partnerships) for o in range(3)))
        people = partnerships * members
        bulk(Person, ({"id": i + 1, "slack_user_id": f"U{i + 1:09d}", "name": f"Person {i + 1}",
                       "institution": INSTITUTIONS[i % 3], "tz": None, "is_staff": False,
                       "active": True, "reminders_enabled": True} for i in range(people)))
        bulk(Membership, ({"id": i + 1, "person_id": i + 1, "partnership_id": i // members + 1,
                           "role": "lead" if i % members == 0 else "member", "active": True}
                          for i in range(people)))
        bulk(CheckinRound, ({"id": p * weeks + w + 1, "partnership_id": p + 1,
                             "kind": "regular",
                             "opens_at": now - timedelta(weeks=weeks - w, hours=1),
                             "due_at": now - timedelta(weeks=weeks - w - 1, hours=1)}
                            for p in range(partnerships) for w in range(weeks)))
        answers: list[tuple[int, int, int, int, datetime]] = []
        for p in range(partnerships):
            drift = rng.uniform(-0.02, 0.02)
            for w in range(weeks):
                opened = now - timedelta(weeks=weeks - w, hours=1)
                for m in range(members):
                    if rng.random() < answer_rate:
                        score = min(5, max(1, round(3 + drift * w + rng.gauss(0, 0.8))))
                        answers.append((p + 1, p * weeks + w + 1, p * members + m + 1, score,
                                        opened + timedelta(hours=rng.randint(1, 120))))
        bulk(Checkin, ({"id": i + 1, "person_id": person, "partnership_id": pid,
                        "round_id": rid, "submitted_at": at, "momentum": score,
                        "highlights": "Good progress this week" if i % 4 == 0 else "",
                        "blockers": BLOCKERS[i % len(BLOCKERS)] if i % 3 == 0 else "",
                        "help_wanted": i % 20 == 0,
                        "help_text": "Introductions to funders" if i % 20 == 0 else "",
                        "next_steps": "", "source": "modal", "view_id": None}
                       for i, (pid, rid, person, score, at) in enumerate(answers)))
        bulk(ObjectiveUpdate, ({"id": i + 1, "checkin_id": i + 1,
                                "objective_id": (pid - 1) * 3 + i % 3 + 1,
                                "status": ("on_track", "at_risk", "stalled", "done")[i % 4],
                                "note": ""} for i, (pid, *_rest) in enumerate(answers)))
        retally_all(session)  # the rows bypassed record_checkin, which keeps tallies
        if session.get_bind().dialect.name == "postgresql":
            for table in counts:
                session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                     f"(SELECT max(id) FROM {table}))"))
    return counts




def fresh_postgres(server_url: str, name: str) -> str:
    """Drop and create database ``name`` on the server; returns its URL."""
    url = make_url(server_url).set(drivername="postgresql+psycopg")
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)
