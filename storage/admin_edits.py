"""Staff's edits from Slack, in the words the editors use, on the programme's edit API
(``storage.programme_edits``): the same model, validation, importer and audit log as a
programme file. Problems come back as its ``ProgrammeError`` (``fields`` by place)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from datetime import datetime

from storage.admin_view import LullRow
from storage.db import SessionFactory
from storage.programme_base import ProgrammeError
from storage.programme_edits import (
    NO_PROGRAMME,
    LullEdit,
    ProgrammeSettingsEdit,
    current_programme,
    save_programme_settings,
    slug_for,
)
from storage.programme_edits import save_partnership as save_partnership_spec
from storage.programme_edits import save_staff as save_staff_list

__all__ = ["PartnershipEdit", "PersonEdit", "ProgrammeSettingsEdit", "save_lulls",
           "save_partnership", "save_settings", "save_staff", "slug_for"]


@dataclass(frozen=True)
class PersonEdit:
    slack_id: str
    name: str  # from Slack (users.info) or as lpbot already knows them, never typed
    institution: str | None = None


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


def save_settings(db: SessionFactory, settings: ProgrammeSettingsEdit, *, actor: str,
                  now: datetime, first_staff: PersonEdit | None = None) -> None:
    """Create or change the calendar, keeping the lull windows in force (they have an
    editor of their own) and whatever the editor does not carry (``digest_dm_staff``
    None: the setting in force); whoever creates a programme joins its empty staff list."""
    current = current_programme(db)
    if current is not None:
        kept = ProgrammeSettingsEdit.of(current)
        settings = replace(settings, lulls=kept.lulls, digest_dm_staff=kept.digest_dm_staff
                           if settings.digest_dm_staff is None else settings.digest_dm_staff)
    save_programme_settings(db, settings, actor=actor, now=now)
    if first_staff is not None and (current is None or not current.staff):
        save_staff(db, [first_staff], actor=actor, now=now)


def save_lulls(db: SessionFactory, lulls: Sequence[LullRow], *, actor: str,
               now: datetime) -> None:
    """Replace the lull windows; the rest of the calendar stays as it is."""
    current = current_programme(db)
    if current is None:
        raise ProgrammeError([NO_PROGRAMME], {(): NO_PROGRAMME})
    save_programme_settings(db, replace(ProgrammeSettingsEdit.of(current), lulls=tuple(
        LullEdit(w.name, w.starts, w.ends, w.every_weeks, w.weekday) for w in lulls)),
        actor=actor, now=now)


def save_partnership(db: SessionFactory, edit: PartnershipEdit, *,
                     original_slug: str | None, actor: str, now: datetime) -> int:
    """Add a partnership or change one (found by its slug before the edit); its id."""
    entry = {**asdict(edit), "objectives": list(edit.objectives), "leads": list(edit.leads),
             "members": [asdict(m) for m in edit.members]}
    return save_partnership_spec(db, entry, original_slug=original_slug, actor=actor,
                                 now=now)


def save_staff(db: SessionFactory, staff: Sequence[PersonEdit], *, actor: str,
               now: datetime) -> None:
    save_staff_list(db, [asdict(person) for person in staff], actor=actor, now=now)
