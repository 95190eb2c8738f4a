"""The programme of one database, exported as a file, imported into a second, empty one."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from storage.db import SessionFactory, make_engine, make_session_factory, upgrade
from storage.importer import import_into
from storage.programme import load_programme
from storage.programme_store import current_programme, programme_yaml


def exported(db: SessionFactory, folder: Path) -> Path:
    """The programme as `lpbot programme export` writes it."""
    spec = current_programme(db)
    assert spec is not None
    path = folder / "programme.yaml"
    path.write_text(programme_yaml(spec), encoding="utf-8")
    return path


def import_into_empty(path: Path, folder: Path, now: datetime) -> SessionFactory:
    """A new, migrated SQLite database with the file imported as `lpbot import` does."""
    url = f"sqlite:///{folder / 'second.db'}"
    upgrade(url)
    db = make_session_factory(make_engine(url))
    import_into(db, load_programme(path), now)
    return db
