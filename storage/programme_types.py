"""The value types of the programme model: each checks one field and says what is wrong in
the words the file's author needs, and describes itself in the JSON Schema.

A type accepts what the YAML file holds (weekday names, ``England``, ``'2026-04-14'``)
and what the Slack editors hand over (the same, or ints and dates).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
from pydantic import (
    BeforeValidator,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    PlainSerializer,
    WithJsonSchema,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

from storage.sharing import SHARING_LEVELS, Sharing

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"
USER_PATTERN = r"^[UW][A-Z0-9]{2,31}$"
CHANNEL_PATTERN = r"^[CG][A-Z0-9]{2,31}$"
SLUG_RE, USER_RE, CHANNEL_RE = (re.compile(p) for p in (SLUG_PATTERN, USER_PATTERN,
                                                        CHANNEL_PATTERN))
REGIONS = {
    "england": "GB-ENG",
    "scotland": "GB-SCT",
    "wales": "GB-WLS",
    "northern ireland": "GB-NIR",
}


def problem(message: str) -> PydanticCustomError:
    """A problem whose message is already what the author should read."""
    return PydanticCustomError("programme", message)  # no context: never formatted


def holiday_calendar(region: str, years: range) -> holidays.HolidayBase:
    """The public holidays of a region code such as ``GB-ENG``."""
    country, _, subdiv = region.partition("-")
    return holidays.country_holidays(country, subdiv=subdiv or None, years=years)


@dataclass(frozen=True)
class _Checked:
    """Annotation metadata: a check run before pydantic's own, and its JSON Schema."""

    def check(self, value: Any) -> Any:
        raise NotImplementedError

    def schema(self) -> dict[str, Any]:
        raise NotImplementedError

    def __get_pydantic_core_schema__(self, source: Any,
                                     handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_before_validator_function(self.check, handler(source))

    def __get_pydantic_json_schema__(self, schema: CoreSchema,
                                     handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        return self.schema()


@dataclass(frozen=True)
class Text(_Checked):
    """Text, stripped, at most ``limit`` characters; required unless ``optional``."""

    limit: int = 300
    optional: bool = False

    def check(self, value: Any) -> str | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            if self.optional:
                return None
            raise problem("is missing")
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise problem("should be text")
        stripped = str(value).strip()
        if len(stripped) > self.limit:
            raise problem(f"is longer than {self.limit} characters")
        return stripped

    def schema(self) -> dict[str, Any]:
        if self.optional:
            return {"type": ["string", "null"], "maxLength": self.limit}
        return {"type": "string", "minLength": 1, "maxLength": self.limit}


@dataclass(frozen=True)
class Whole(_Checked):
    """A whole number in [low, high] (true/false are not numbers)."""

    low: int
    high: int

    def check(self, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not (
                self.low <= value <= self.high):
            raise problem(f"should be a whole number from {self.low} to {self.high}")
        return value

    def schema(self) -> dict[str, Any]:
        return {"type": "integer", "minimum": self.low, "maximum": self.high}


@dataclass(frozen=True)
class Number(_Checked):
    low: float
    high: float

    def check(self, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or not (
                self.low <= value <= self.high):
            raise problem(f"should be a number from {self.low} to {self.high}")
        return float(value)

    def schema(self) -> dict[str, Any]:
        return {"type": "number", "minimum": self.low, "maximum": self.high}


def _day(value: Any) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise problem(f"{value!r} is not a date (use YYYY-MM-DD)") from None


Day = Annotated[date, BeforeValidator(_day),
                WithJsonSchema({"type": "string", "format": "date"})]


def weekday_index(value: Any) -> int:
    """0 for Monday: from a name (any case) or an index."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 6:
        return value
    name = str(value).strip().lower()
    if name not in WEEKDAYS:
        raise problem(f"{name!r} is not a weekday name")
    return WEEKDAYS.index(name)


Weekday = Annotated[int, BeforeValidator(weekday_index),
                    PlainSerializer(lambda day: WEEKDAYS[day], return_type=str, when_used="json"),
                    WithJsonSchema({"type": "string", "enum": list(WEEKDAYS)})]


@dataclass(frozen=True)
class Matching(_Checked):
    """Text that matches ``pattern`` (a Slack id); None allowed when ``optional``."""

    pattern: re.Pattern[str]
    message: str
    optional: bool = False

    def check(self, value: Any) -> str | None:
        if self.optional and (value is None or value == ""):
            return None
        if not isinstance(value, str) or not self.pattern.match(value.strip()):
            raise problem(f"{value!r} {self.message}")
        return value.strip()

    def schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "string", "pattern": self.pattern.pattern}
        return {"anyOf": [schema, {"type": "null"}]} if self.optional else schema


SlackUser = Annotated[str, Matching(USER_RE, "is not a Slack user id (U… or W…)")]
OptionalChannel = Annotated[str | None, Matching(CHANNEL_RE, "is not a Slack channel id",
                                                 optional=True)]


def _slug(value: Any) -> str:
    if not isinstance(value, str) or not SLUG_RE.match(value):
        raise problem("use lower-case letters, digits and hyphens")
    return value


Slug = Annotated[str, BeforeValidator(_slug), BeforeValidator(Text(64).check),
                 WithJsonSchema({"type": "string", "pattern": SLUG_PATTERN})]


def _zone(value: Any) -> str:
    try:
        ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError):
        raise problem(f"{value!r} is not a known time zone (e.g. Europe/London)") from None
    return str(value)


TimeZone = Annotated[str, BeforeValidator(_zone),
                     WithJsonSchema({"type": "string", "examples": ["Europe/London"]})]


def _region(value: Any) -> str:
    name = str(value).strip()
    region = REGIONS.get(name.lower(), name.upper())
    try:
        holiday_calendar(region, range(2026, 2027))
    except (NotImplementedError, KeyError, ValueError):
        raise problem(f"{name!r} is not a known holiday region") from None
    return region


Region = Annotated[str, BeforeValidator(_region), WithJsonSchema({
    "type": "string", "description": "England, Scotland, Wales, Northern Ireland or a code "
    "such as GB-ENG", "examples": ["England", "GB-SCT"]})]


def _reminder_days(value: Any) -> tuple[int, ...]:
    if not (isinstance(value, list | tuple) and len(value) <= 2 and all(
            isinstance(d, int) and not isinstance(d, bool) and 1 <= d <= 10 for d in value)):
        raise problem("should be up to two working-day offsets, e.g. [2, 4]")
    return tuple(value)


ReminderDays = Annotated[tuple[int, ...], BeforeValidator(_reminder_days), WithJsonSchema({
    "type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 10},
    "maxItems": 2})]


def _keywords(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list | tuple) or not all(isinstance(w, str) and w for w in value):
        raise problem("should be a list of keywords")
    return tuple(w.lower() for w in value)


Keywords = Annotated[tuple[str, ...], BeforeValidator(_keywords), WithJsonSchema({
    "type": "array", "items": {"type": "string", "minLength": 1}})]


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise problem("should be true or false")
    return value


Flag = Annotated[bool, BeforeValidator(_flag), WithJsonSchema({"type": "boolean"})]


def _sharing(value: Any) -> Sharing | None:
    if value is None:
        return None
    cleaned = str(value).strip().lower()
    for level in SHARING_LEVELS:
        if cleaned == level:
            return level
    raise problem(f"should be one of {', '.join(SHARING_LEVELS)} (or left out)")


SharingChoice = Annotated[Sharing | None, BeforeValidator(_sharing), WithJsonSchema({
    "enum": list(SHARING_LEVELS), "description": "what the partnership's own channel may "
    "see (`/lp sharing`); left out, an import keeps the database's choice"})]
"""A partnership's ``/lp sharing`` choice; None (left out) means "keep what it is"."""
