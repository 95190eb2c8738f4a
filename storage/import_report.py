"""What an import changed, counted and noted for the audit log: the report every step of
``storage.importer`` adds to, and the one way those steps set a value (noting it only when
it differs)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


def _plain(value: Any) -> Any:
    """A value as the audit log's JSON holds it."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


@dataclass
class ImportReport:
    """What an import changed; all zero means the database already matched the file.
    ``changes`` are the audit entries written: (what, before, after)."""

    created: int = 0
    updated: int = 0
    deactivated: int = 0
    changes: list[tuple[str, dict[str, Any], dict[str, Any]]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deactivated)

    def note(self, what: str, before: dict[str, Any], after: dict[str, Any]) -> None:
        self.changes.append((what, _plain(before), _plain(after)))


def assign(obj: object, report: ImportReport, what: str, **values: object) -> None:
    """Set attributes, counting an update (and noting it) only when a value differs."""
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for key, value in values.items():
        if getattr(obj, key) != value:
            before[key], after[key] = getattr(obj, key), value
            setattr(obj, key, value)
    if after:
        report.updated += 1
        report.note(what, before, after)
