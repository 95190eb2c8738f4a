"""What every listener needs besides the payload: sessions and the clock."""

from __future__ import annotations

from dataclasses import dataclass

from storage.clock import Clock
from storage.db import SessionFactory


@dataclass(frozen=True)
class Deps:
    session_factory: SessionFactory
    clock: Clock
