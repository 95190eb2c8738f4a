"""Typed values read from nested mappings (a parsed YAML file), each problem recorded
with its path, so a file's every problem can be listed at once."""

from __future__ import annotations

from datetime import date
from typing import Any

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class FieldReader:
    """Reads typed values from nested mappings, recording each problem with its path."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def mapping(self, data: Any, where: str) -> dict[str, Any]:
        if data is None:
            return {}
        if not isinstance(data, dict):
            self.fail(where, "should be a mapping of keys to values")
            return {}
        return data

    def text(self, data: dict[str, Any], key: str, where: str, *, required: bool = True,
             default: str | None = None, limit: int = 300) -> str | None:
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(f"{where}.{key}", "is missing")
            return default
        if not isinstance(value, str | int | float):
            self.fail(f"{where}.{key}", "should be text")
            return default
        value = str(value).strip()
        if len(value) > limit:
            self.fail(f"{where}.{key}", f"is longer than {limit} characters")
        return value

    def integer(self, data: dict[str, Any], key: str, where: str, default: int,
                low: int, high: int) -> int:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(f"{where}.{key}", f"should be a whole number from {low} to {high}")
            return default
        return value

    def number(self, data: dict[str, Any], key: str, where: str, default: float,
               low: float, high: float) -> float:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or not (
            low <= value <= high
        ):
            self.fail(f"{where}.{key}", f"should be a number from {low} to {high}")
            return default
        return float(value)

    def day(self, data: dict[str, Any], key: str, where: str) -> date | None:
        value = data.get(key)
        if value is None:
            self.fail(f"{where}.{key}", "is missing (a date such as 2026-04-14)")
            return None
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{where}.{key}", f"{value!r} is not a date (use YYYY-MM-DD)")
            return None

    def weekday(self, data: dict[str, Any], key: str, where: str, default: str) -> int:
        value = str(data.get(key, default)).strip().lower()
        if value not in WEEKDAYS:
            self.fail(f"{where}.{key}", f"{value!r} is not a weekday name")
            return WEEKDAYS.index(default)
        return WEEKDAYS.index(value)
