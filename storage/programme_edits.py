"""The Slack editors' changes to the programme, made the way the file makes them.

Each edit reads the programme in force, changes it in the file's shape, validates the
whole of it through the one programme model and upserts it through the one importer,
with the editor's Slack id as the audit log's actor: so no rule holds in the file and
not in Slack. Invalid input raises ProgrammeError whose ``fields`` are keyed relative to
the edited thing (``("name",)``, ``("leads",)``, ``("lulls", 1, "end")``), for a modal's
inline errors; problems elsewhere in the programme keep their full place.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import audit
from storage.db import SessionFactory
from storage.erasure import ErasedListed
from storage.importer import import_programme
from storage.models import Partnership
from storage.programme import (
    PartnershipSpec,
    PersonSpec,
    ProgrammeError,
    ProgrammeSpec,
    parse_programme,
    programme_file,
)
from storage.programme_base import Loc
from storage.programme_store import current_programme, read_programme

__all__ = [
    "LullEdit", "ProgrammeSettingsEdit", "current_programme", "deactivate_partnership",
    "save_partnership", "save_programme_settings", "save_staff", "slug_for",
]

NO_PROGRAMME = "there is no programme yet: set up the programme first"
_NOT_STORED = "the partnership was not stored: try again"


def slug_for(name: str) -> str:
    """A slug from a name: ``Hull: inclusive growth`` → ``hull-inclusive-growth``."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:64].strip("-")
    return slug or "partnership"


@dataclass(frozen=True)
class LullEdit:
    """A lull window as a modal collects it; ``weekday`` None means the programme's."""

    name: str
    start: date | None
    end: date | None
    every_weeks: int = 1
    weekday: int | str | None = None


@dataclass(frozen=True)
class ProgrammeSettingsEdit:
    """The programme's settings as the calendar editor collects them (unchecked: saving
    checks them). Weekdays are names or 0 for Monday; ``lulls`` is the whole list."""

    name: str
    start: date | None
    report_back: date | None
    every_weeks: int = 2
    weekday: int | str = "tuesday"
    hour: int = 10
    reminder_days: Sequence[int] = (2, 4)
    holiday_region: str = "GB-ENG"
    digest_channel: str | None = None
    digest_weekday: int | str = "monday"
    digest_hour: int = 9
    digest_dm_staff: bool | None = None  # None: DM the staff when there is no channel
    stall_days: int = 21
    low_response: float = 1 / 3
    momentum_drop: float = 1.0
    lulls: Sequence[LullEdit] = field(default_factory=tuple)

    @classmethod
    def of(cls, spec: ProgrammeSpec) -> ProgrammeSettingsEdit:
        """The settings in force, to fill the editor with."""
        p = spec.programme
        return cls(
            name=p.name, start=p.start, report_back=p.report_back,
            every_weeks=p.cadence.every_weeks, weekday=p.cadence.weekday, hour=p.cadence.hour,
            reminder_days=p.reminder_days, holiday_region=p.holiday_region,
            digest_channel=p.digest.channel, digest_weekday=p.digest.weekday,
            digest_hour=p.digest.hour, digest_dm_staff=p.digest.dm_staff,
            stall_days=p.thresholds.stall_days, low_response=p.thresholds.low_response,
            momentum_drop=p.thresholds.momentum_drop,
            lulls=tuple(LullEdit(w.name, w.starts, w.ends, w.every_weeks, w.weekday)
                        for w in p.lulls))


_SETTINGS_PLACES: dict[Loc, str] = {
    ("cadence", "working_day_ends"): "hour", ("digest", "channel"): "digest_channel",
    ("digest", "weekday"): "digest_weekday", ("digest", "hour"): "digest_hour",
    ("digest", "dm_staff"): "digest_dm_staff"}


def _settings_place(loc: Loc) -> Loc | None:
    """A place in the file's ``programme:`` section as the editor's field name."""
    if loc[:1] != ("programme",):
        return None
    rest = loc[1:]
    if rest[:2] in _SETTINGS_PLACES:
        return (_SETTINGS_PLACES[rest[:2]], *rest[2:])
    if rest[:1] in (("cadence",), ("thresholds",)):
        return rest[1:]
    return rest


def save_programme_settings(db: SessionFactory, settings: ProgrammeSettingsEdit, *,
                            actor: str, now: datetime) -> None:
    """Save the calendar editor; on an empty database this creates the programme (with
    no partnerships or staff yet: they are added next)."""
    s = settings
    with db.begin() as session:
        current = read_programme(session, lock=True)
        raw = programme_file(current) if current else {"staff": [], "partnerships": []}
        section = dict(raw.get("programme", {}))
        section.update(name=s.name, start=s.start, report_back=s.report_back,
                       reminder_days=list(s.reminder_days), holiday_region=s.holiday_region,
                       lulls=[{"name": w.name, "start": w.start, "end": w.end,
                               "every_weeks": w.every_weeks,
                               **({} if w.weekday is None else {"weekday": w.weekday})}
                              for w in s.lulls])
        section["cadence"] = {**section.get("cadence", {}), "every_weeks": s.every_weeks,
                              "weekday": s.weekday, "hour": s.hour}
        section["digest"] = {**section.get("digest", {}), "channel": s.digest_channel,
                             "weekday": s.digest_weekday, "hour": s.digest_hour,
                             "dm_staff": s.digest_dm_staff}
        section["thresholds"] = {"stall_days": s.stall_days, "low_response": s.low_response,
                                 "momentum_drop": s.momentum_drop}
        raw["programme"] = section
        _save(session, raw, _settings_place, actor=actor, now=now)


def save_partnership(db: SessionFactory, edit: PartnershipSpec | Mapping[str, Any], *,
                     original_slug: str | None, actor: str, now: datetime) -> int:
    """Create a partnership (``original_slug`` None) or change one, its slug included;
    returns the saved partnership's id (found by its exact slug, in the same transaction,
    so a caller never has to guess which partnership it was).

    ``edit`` is a PartnershipSpec or, for input not yet checked, a mapping of the file's
    keys (``PartnershipSpec.model_construct(...)`` works too)."""
    wanted = _plain(edit)
    with db.begin() as session:
        raw = _current_file(session)
        partnerships = list(raw["partnerships"])
        if original_slug is not None:
            index = next((i for i, p in enumerate(partnerships)
                          if p["slug"] == original_slug), None)
            if index is None:
                raise _not_found(original_slug)
            partnerships.pop(index)
        # Last in the list, so problems with other partnerships land on this one.
        partnerships.append(wanted)
        raw["partnerships"] = partnerships
        last = len(partnerships) - 1
        spec = _validated(raw, lambda loc: loc[2:] if loc[:2] == ("partnerships", last)
                          else None)
        slug = spec.partnerships[-1].slug
        if original_slug is not None and slug != original_slug:
            _rename(session, original_slug, slug, actor=actor, now=now)
        _import(session, spec, actor=actor, now=now)
        saved = session.scalar(select(Partnership.id).where(Partnership.slug == slug))
        if saved is None:  # the importer stores every partnership it was given
            raise ProgrammeError([_NOT_STORED], {(): _NOT_STORED})
        return saved


def deactivate_partnership(db: SessionFactory, slug: str, *, actor: str,
                           now: datetime) -> None:
    """Take a partnership out of the programme; its history stays."""
    with db.begin() as session:
        raw = _current_file(session)
        kept = [p for p in raw["partnerships"] if p["slug"] != slug]
        if len(kept) == len(raw["partnerships"]):
            raise _not_found(slug)
        raw["partnerships"] = kept
        _save(session, raw, lambda loc: None, actor=actor, now=now)


def save_staff(db: SessionFactory, staff: Sequence[PersonSpec | Mapping[str, Any]], *,
               actor: str, now: datetime) -> None:
    """Replace the staff list (people who see everything and may change the programme)."""
    with db.begin() as session:
        raw = _current_file(session)
        raw["staff"] = [_plain(person) for person in staff]
        _save(session, raw, lambda loc: loc[1:] if loc[:1] == ("staff",) else None,
              actor=actor, now=now)


def _plain(value: PartnershipSpec | PersonSpec | Mapping[str, Any]) -> dict[str, Any]:
    if isinstance(value, Mapping):
        return dict(value)
    return value.model_dump(by_alias=True, exclude_none=True, warnings=False)


def _current_file(session: Session) -> dict[str, Any]:
    current = read_programme(session, lock=True)
    if current is None:
        raise ProgrammeError([NO_PROGRAMME], {(): NO_PROGRAMME})
    return programme_file(current)


def _not_found(slug: str) -> ProgrammeError:
    message = f"no partnership {slug!r} in the programme"
    return ProgrammeError([message], {("slug",): message})


def _validated(raw: dict[str, Any], place: Callable[[Loc], Loc | None]) -> ProgrammeSpec:
    """The whole programme checked; problems keyed relative to the edited thing."""
    try:
        return parse_programme(raw)
    except ProgrammeError as error:
        fields: dict[Loc, str] = {}
        for loc, message in error.fields.items():
            relative = place(loc)
            key = loc if relative is None else relative
            fields[key] = f"{fields[key]}; {message}" if key in fields else message
        raise ProgrammeError(error.problems, fields) from None


def _save(session: Session, raw: dict[str, Any], place: Callable[[Loc], Loc | None], *,
          actor: str, now: datetime) -> None:
    _import(session, _validated(raw, place), actor=actor, now=now)


def _import(session: Session, spec: ProgrammeSpec, *, actor: str, now: datetime) -> None:
    try:
        import_programme(spec, session=session, now=now, actor=actor)
    except ErasedListed as listed:
        names = ", ".join(name for _, name, _ in listed.listed)
        message = (f"{names}: their data was erased at their request; lpbot will not add "
                   "them again from Slack (an operator can, with `lpbot import`)")
        raise ProgrammeError([message], {("members",): message}) from None


def _rename(session: Session, old: str, new: str, *, actor: str, now: datetime) -> None:
    """A new slug for the same partnership, so its history stays with it."""
    if session.scalar(select(Partnership.id).where(Partnership.slug == new)) is not None:
        message = f"{new!r} was the slug of a partnership taken out earlier: choose another"
        raise ProgrammeError([f"slug: {message}"], {("slug",): message})
    row = session.scalar(select(Partnership).where(Partnership.slug == old))
    assert row is not None  # it is in the programme read a moment ago
    row.slug = new
    session.flush()
    audit.record(session, action=audit.PROGRAMME, actor=actor, now=now,
                 detail={"what": f"partnership {new}", "before": {"slug": old},
                         "after": {"slug": new}})
