"""Staff's edits from Slack, in the words the editors use, on the programme's edit API
(``storage.programme_edits``): the same model, validation, importer and audit log as a
programme file. Problems come back as its ``ProgrammeError`` (``fields`` by place).

A partnership and a person are the model itself (``PartnershipSpec``, ``PersonSpec``),
built unchecked by the editors (``model_construct``) and validated on save."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from storage.calendar import Lull
from storage.db import SessionFactory
from storage.programme import PersonSpec
from storage.programme_base import ProgrammeError
from storage.programme_edits import (
    NO_PROGRAMME,
    LullEdit,
    ProgrammeSettingsEdit,
    current_programme,
    save_partnership,
    save_programme_settings,
    save_staff,
    slug_for,
)

__all__ = ["ProgrammeSettingsEdit", "save_lulls", "save_partnership", "save_settings",
           "save_staff", "slug_for"]


def save_settings(db: SessionFactory, settings: ProgrammeSettingsEdit, *, actor: str,
                  now: datetime, first_staff: PersonSpec | None = None) -> None:
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


def save_lulls(db: SessionFactory, lulls: Sequence[Lull], *, actor: str,
               now: datetime) -> None:
    """Replace the lull windows; the rest of the calendar stays as it is."""
    current = current_programme(db)
    if current is None:
        raise ProgrammeError([NO_PROGRAMME], {(): NO_PROGRAMME})
    save_programme_settings(db, replace(ProgrammeSettingsEdit.of(current), lulls=tuple(
        LullEdit(w.name, w.starts, w.ends, w.every_weeks, w.weekday) for w in lulls)),
        actor=actor, now=now)
