"""The programme as the database holds it now, read back into the programme model: what
`lpbot programme export` writes and what every Slack edit starts from.

Only what is in force is read: active partnerships, their active memberships and
objectives, and the staff; what was deactivated stays in the database, out of the file.
"""

from __future__ import annotations

from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.db import SessionFactory
from storage.models import LullWindow, Membership, Objective, Partnership, Person, Programme
from storage.programme import ProgrammeSpec, parse_programme, programme_file
from storage.sharing import parse_sharing

HEADER = "# The programme as lpbot holds it; `lpbot import` reads this file back.\n"


def current_programme(db: SessionFactory) -> ProgrammeSpec | None:
    """The programme in force, or None before one was set up (six queries, whatever its
    size)."""
    with db() as session:
        return read_programme(session)


def read_programme(session: Session, *, lock: bool = False) -> ProgrammeSpec | None:
    """``current_programme`` in the caller's transaction; ``lock`` holds the programme
    row until it ends, so two editors saving at once take turns."""
    row = session.get(Programme, 1, with_for_update=lock)
    if row is None:
        return None
    lulls = session.scalars(select(LullWindow).where(LullWindow.programme_id == row.id)
                            .order_by(LullWindow.starts, LullWindow.id))
    staff = session.scalars(select(Person).where(Person.is_staff, Person.erased_at.is_(None))
                            .order_by(Person.id))
    partnerships = list(session.scalars(select(Partnership).where(Partnership.active)
                                        .order_by(Partnership.id)))
    members: dict[int, list[tuple[str, dict[str, Any]]]] = {}
    for pid, role, slack_id, name, institution in session.execute(
            select(Membership.partnership_id, Membership.role, Person.slack_user_id,
                   Person.name, Person.institution)
            .join(Person, Person.id == Membership.person_id)
            .where(Membership.active, Person.erased_at.is_(None)).order_by(Membership.id)):
        members.setdefault(pid, []).append((role, _person(slack_id, name, institution)))
    objectives: dict[int, list[str]] = {}
    for pid, title in session.execute(
            select(Objective.partnership_id, Objective.title).where(Objective.active)
            .order_by(Objective.partnership_id, Objective.position, Objective.id)):
        objectives.setdefault(pid, []).append(title)
    return parse_programme({
        "programme": _settings(row, [{
            "name": w.name, "start": w.starts, "end": w.ends, "every_weeks": w.cadence_weeks,
            "weekday": w.cadence_weekday} for w in lulls]),
        "staff": [_person(p.slack_user_id, p.name, p.institution) for p in staff],
        "partnerships": [{
            "slug": p.slug, "name": p.name, "place": p.place, "challenge": p.challenge,
            "channel": p.channel_id, "objectives": objectives.get(p.id, []),
            "leads": [m["slack_id"] for role, m in members.get(p.id, []) if role == "lead"],
            "members": [m for _, m in members.get(p.id, [])],
            "sharing": parse_sharing(p.sharing),
        } for p in partnerships],
    })


def _person(slack_id: str, name: str, institution: str | None) -> dict[str, Any]:
    return {"slack_id": slack_id, "name": name, "institution": institution}


def _settings(row: Programme, lulls: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "name": row.name, "timezone": row.timezone, "holiday_region": row.holiday_region,
        "start": row.start_date, "report_back": row.report_back_date,
        "cadence": {"every_weeks": row.cadence_weeks, "weekday": row.cadence_weekday,
                    "hour": row.local_hour, "working_day_ends": row.working_day_ends},
        "reminder_days": list(row.reminder_days),
        "reminders": {"in_lulls": row.lull_reminders, "back_off_after": row.back_off_after,
                      "show_progress": row.show_progress},
        "report_back_prompt_days": row.report_back_prompt_days,
        "lulls": lulls,
        "digest": {"channel": row.digest_channel, "weekday": row.digest_weekday,
                   "hour": row.digest_hour, "dm_staff": row.digest_dm_staff},
        "thresholds": {"stall_days": row.stall_days, "low_response": row.low_response,
                       "momentum_drop": row.momentum_drop},
        "themes": row.themes,
        "retention": {"free_text_days_after_report_back": row.free_text_retention_days},
    }


def programme_yaml(spec: ProgrammeSpec) -> str:
    """The programme as a YAML file that `lpbot import` reads back unchanged."""
    return HEADER + yaml.safe_dump(programme_file(spec), sort_keys=False, allow_unicode=True,
                                   width=100)


def programme_schema() -> dict[str, Any]:
    """The JSON Schema of the programme file (``lpbot programme schema``)."""
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "lpbot programme file",
            **ProgrammeSpec.model_json_schema()}
