"""Staff's edits from Slack, through the same validation and upsert as a programme file.

Each edit reads the programme as it stands, in the file's shape, changes one part, and
hands the whole to the file's validator and the idempotent importer in one transaction:
a rule can't hold for the file and not for a modal. Problems come back as
``EditRefused``: every problem, and the field each one names (for inline errors).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.admin_view import LullRow
from storage.db import SessionFactory
from storage.field_reader import WEEKDAYS
from storage.importer import import_programme
from storage.models import Membership, Objective, Partnership, Person, Programme
from storage.programme import ProgrammeError, parse_programme

FIELD = re.compile(r"\.([a-z_]+)(?:\[\d+\])?: ")


class EditRefused(Exception):
    """An edit the programme's rules refuse: every problem, and by field name the ones
    that name a field."""

    def __init__(self, problems: list[str], fields: dict[str, str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems
        self.fields = fields


@dataclass(frozen=True)
class PersonEdit:
    slack_id: str
    name: str
    institution: str | None = None


@dataclass(frozen=True)
class SettingsEdit:
    """The calendar, digest and thresholds, as the programme editor sets them."""

    name: str
    timezone: str
    holiday_region: str
    start: date
    report_back: date
    every_weeks: int
    weekday: int
    hour: int
    reminder_days: tuple[int, ...]
    digest_channel: str | None
    digest_weekday: int
    digest_hour: int
    stall_days: int
    low_response: float
    momentum_drop: float


@dataclass(frozen=True)
class PartnershipEdit:
    slug: str
    name: str
    place: str
    challenge: str
    channel: str | None
    objectives: tuple[str, ...]
    members: tuple[PersonEdit, ...]
    leads: tuple[str, ...]


def slug_for(name: str) -> str:
    """A slug made from a name: lower-case ASCII letters, digits and single hyphens."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:64].strip("-")


def _person(p: Person) -> dict[str, Any]:
    return {"slack_id": p.slack_user_id, "name": p.name, "institution": p.institution}


def _current(session: Session) -> dict[str, Any]:
    """The programme as it stands, in the file's shape (active partnerships only)."""
    programme = session.scalars(select(Programme)).first()
    if programme is None:
        return {}
    partnerships = []
    for p in session.scalars(select(Partnership).where(Partnership.active)
                             .order_by(Partnership.id)):
        rows = session.execute(
            select(Person, Membership.role).join(Membership, Membership.person_id == Person.id)
            .where(Membership.partnership_id == p.id, Membership.active, Person.active)
            .order_by(Membership.id)).all()
        objectives = session.scalars(select(Objective.title).where(
            Objective.partnership_id == p.id, Objective.active).order_by(Objective.position))
        partnerships.append({
            "slug": p.slug, "name": p.name, "place": p.place, "challenge": p.challenge,
            "channel": p.channel_id, "objectives": list(objectives),
            "members": [_person(person) for person, _ in rows],
            "leads": [person.slack_user_id for person, role in rows if role == "lead"]})
    staff = session.scalars(select(Person).where(Person.is_staff, Person.active)
                            .order_by(Person.id))
    return {"programme": {
        "name": programme.name, "timezone": programme.timezone,
        "holiday_region": programme.holiday_region,
        "start": programme.start_date, "report_back": programme.report_back_date,
        "cadence": {"every_weeks": programme.cadence_weeks,
                    "weekday": WEEKDAYS[programme.cadence_weekday],
                    "hour": programme.local_hour,
                    "working_day_ends": programme.working_day_ends},
        "reminder_days": list(programme.reminder_days),
        "report_back_prompt_days": programme.report_back_prompt_days,
        "reminders": {"in_lulls": programme.lull_reminders,
                      "back_off_after": programme.back_off_after,
                      "show_progress": programme.show_progress},
        "lulls": [{"name": w.name, "start": w.starts, "end": w.ends,
                   "every_weeks": w.cadence_weeks, "weekday": WEEKDAYS[w.cadence_weekday]}
                  for w in sorted(programme.lulls, key=lambda w: w.starts)],
        "digest": {"channel": programme.digest_channel,
                   "weekday": WEEKDAYS[programme.digest_weekday],
                   "hour": programme.digest_hour, "dm_staff": programme.digest_dm_staff},
        "thresholds": {"stall_days": programme.stall_days,
                       "low_response": programme.low_response,
                       "momentum_drop": programme.momentum_drop},
        "themes": programme.themes,
        "retention": {"free_text_days_after_report_back": programme.free_text_retention_days},
    }, "staff": [_person(p) for p in staff], "partnerships": partnerships}


def _apply(session: Session, raw: dict[str, Any], now: datetime) -> None:
    """Validate the whole programme as a file would be, then upsert it."""
    partnerships = raw.get("partnerships") or []
    try:
        # A programme may start with no partnerships; the file's reader wants one, so
        # it validates a stand-in and the spec keeps none.
        spec = parse_programme({**raw, "partnerships": partnerships or [
            {"slug": "none", "name": "none", "place": "-", "challenge": "-"}]})
    except ProgrammeError as error:
        raise EditRefused(error.problems, {
            m.group(1): problem.split(": ", 1)[-1] for problem in error.problems
            if (m := FIELD.search(problem))}) from None
    import_programme(spec if partnerships else replace(spec, partnerships=()),
                     session=session, now=now)


def _settings_raw(s: SettingsEdit) -> dict[str, Any]:
    return {"name": s.name, "timezone": s.timezone, "holiday_region": s.holiday_region,
            "start": s.start, "report_back": s.report_back, "reminder_days":
            list(s.reminder_days), "thresholds": {"stall_days": s.stall_days,
                                                  "low_response": s.low_response,
                                                  "momentum_drop": s.momentum_drop}}


def save_settings(db: SessionFactory, settings: SettingsEdit, *, actor: str, now: datetime,
                  first_staff: PersonEdit | None = None) -> None:
    """Create or change the calendar; the first staff member joins the staff list of a
    programme that has none (whoever creates it)."""
    with db.begin() as session:
        raw = _current(session) or {"programme": {}, "staff": [], "partnerships": []}
        prog = raw["programme"]
        prog.update(_settings_raw(settings))
        prog["cadence"] = {**prog.get("cadence", {}), "every_weeks": settings.every_weeks,
                           "weekday": WEEKDAYS[settings.weekday], "hour": settings.hour}
        prog["digest"] = {**prog.get("digest", {}), "channel": settings.digest_channel,
                          "weekday": WEEKDAYS[settings.digest_weekday],
                          "hour": settings.digest_hour,
                          "dm_staff": not settings.digest_channel}
        prog.setdefault("lulls", [])
        if not raw["staff"] and first_staff is not None:
            raw["staff"] = [asdict(first_staff)]
        _apply(session, raw, now)


def save_lulls(db: SessionFactory, lulls: Sequence[LullRow], *, actor: str,
               now: datetime) -> None:
    with db.begin() as session:
        raw = _current(session)
        if not raw:
            raise EditRefused(["programme: create the programme first"], {})
        raw["programme"]["lulls"] = [
            {"name": w.name, "start": w.starts, "end": w.ends, "every_weeks": w.every_weeks,
             "weekday": WEEKDAYS[w.weekday]} for w in lulls]
        _apply(session, raw, now)


def save_partnership(db: SessionFactory, edit: PartnershipEdit, *,
                     original_slug: str | None, actor: str, now: datetime) -> str:
    """Add a partnership or change one (found by its slug before the edit)."""
    with db.begin() as session:
        raw = _current(session)
        if not raw:
            raise EditRefused(["programme: create the programme first"], {})
        entry = {"slug": edit.slug, "name": edit.name, "place": edit.place,
                 "challenge": edit.challenge, "channel": edit.channel,
                 "objectives": list(edit.objectives),
                 "members": [asdict(m) for m in edit.members], "leads": list(edit.leads)}
        others = [p for p in raw["partnerships"] if p["slug"] != original_slug]
        if edit.slug != original_slug and session.scalar(select(Partnership.id).where(
                Partnership.slug == edit.slug)) is not None:
            raise EditRefused([f"slug: {edit.slug!r} is taken"],
                              {"slug": f"{edit.slug!r} is taken by another partnership"})
        raw["partnerships"] = [*others, entry]
        _apply(session, raw, now)
        return edit.slug


def save_staff(db: SessionFactory, staff: Sequence[PersonEdit], *, actor: str,
               now: datetime) -> None:
    with db.begin() as session:
        raw = _current(session)
        if not raw:
            raise EditRefused(["programme: create the programme first"], {})
        raw["staff"] = [asdict(p) for p in staff]
        _apply(session, raw, now)


def current_file(db: SessionFactory) -> dict[str, Any]:
    """The programme as it stands, in the file's shape ({} before one exists)."""
    with db() as session:
        return _current(session)
