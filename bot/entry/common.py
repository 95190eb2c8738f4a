"""What every ``lpbot`` command shares: operator-fixable errors as one clear line, and a
database opened for the length of one command."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any

import click

from bot.shell.settings import Settings, SettingsError
from storage.db import SessionFactory, StorageError, open_database
from storage.programme import ProgrammeError


def friendly(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the errors an operator can fix into one clear line and a non-zero exit."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except SettingsError as error:
            raise click.ClickException(str(error)) from None
        except ProgrammeError as error:
            lines = "\n".join(f"  - {p}" for p in error.problems)
            raise click.ClickException(
                f"the programme file has {len(error.problems)} problem(s); nothing was "
                f"changed:\n{lines}") from None
        except StorageError as error:
            cause = getattr(error, "orig", None) or error
            raise click.ClickException(
                f"cannot reach the database ({cause.__class__.__name__}): check "
                "DATABASE_URL and that the server is running") from None

    return wrapper


@contextmanager
def database(settings: Settings) -> Iterator[SessionFactory]:
    """The database of ``settings``, disposed of when the command ends."""
    db = open_database(settings.database_url)
    try:
        yield db
    finally:
        db.dispose()
