"""The programme of one database, as a file, imported into a second, empty one."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import yaml

from storage.admin_edits import current_file
from storage.db import SessionFactory, make_engine, make_session_factory, upgrade
from storage.importer import import_into
from storage.programme import parse_programme


def exported(db: SessionFactory) -> str:
    """The programme as YAML text, as `lpbot programme export` writes it."""
    return yaml.safe_dump(current_file(db), sort_keys=True, allow_unicode=True)


def import_into_empty(text: str, folder: Path, now: datetime) -> SessionFactory:
    """A new, migrated SQLite database with ``text`` imported as a file would be."""
    url = f"sqlite:///{folder / 'second.db'}"
    upgrade(url)
    db = make_session_factory(make_engine(url))
    import_into(db, parse_programme(yaml.safe_load(text)), now)
    return db

