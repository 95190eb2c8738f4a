"""The programme of one database, exported with `lpbot programme export`, imported with
`lpbot import` into a second, empty one: the operator's own commands, as processes."""

from __future__ import annotations

from pathlib import Path

from storage.db import SessionFactory, make_engine, make_session_factory
from tests.entry.test_cli import lpbot


def export_and_import(database_url: str, folder: Path) -> tuple[Path, SessionFactory]:
    """The exported file, and the second database it was imported into."""
    file = folder / "programme.yaml"
    done = lpbot(["programme", "export", "-o", str(file)], database_url, folder)
    assert done.returncode == 0, done.stderr
    second = f"sqlite:///{folder / 'second.db'}"
    done = lpbot(["import", str(file)], second, folder)
    assert done.returncode == 0, done.stderr
    return file, make_session_factory(make_engine(second))
