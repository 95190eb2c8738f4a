"""The settings sections of the programme file (``cadence``, ``reminders``, ``digest``,
``thresholds``, ``retention``) and its lull windows: each key with its default and its
range."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from pydantic import ConfigDict, Field, TypeAdapter, model_validator

from storage.programme_base import Loc, SpecModel, peek
from storage.programme_types import (
    Day,
    Flag,
    Number,
    OptionalChannel,
    Text,
    Weekday,
    Whole,
)

DEFAULT_THEMES: dict[str, list[str]] = {
    "data sharing": ["data", "sharing", "gdpr", "information governance", "dataset"],
    "funding": ["funding", "budget", "grant", "money", "finance"],
    "skills": ["skills", "training", "apprentice", "recruitment"],
    "evaluation": ["evaluation", "evaluate", "impact", "measure", "metrics", "evidence"],
    "capacity": ["capacity", "stretched", "workload", "time", "leave", "pressure"],
    "governance": ["governance", "sign-off", "approval", "board", "procurement", "legal"],
    "community engagement": ["community", "residents", "engagement", "public"],
    "estates": ["building", "site", "estates", "premises", "planning permission"],
}

_DAY: TypeAdapter[date] = TypeAdapter(Day)


@dataclass(frozen=True)
class Cadence:
    """How gently the bot nudges (``programme.reminders``, ``cadence.working_day_ends``);
    the calendar carries it, so planning and every surface read the same settings."""

    lull_reminders: int = 1  # at most this many reminders per round in a lull
    back_off_after: int = 3  # unanswered rounds in a row before reminders stop (0: never)
    show_progress: bool = True  # reminders say how many in the partnership have answered
    day_ends: int = 17  # a late message waits for the next morning outside [hour, day_ends)


class CadenceSection(SpecModel):
    every_weeks: Annotated[int, Whole(1, 8)] = 2
    weekday: Weekday = "tuesday"  # type: ignore[assignment]
    hour: Annotated[int, Whole(0, 23)] = 10
    working_day_ends: Annotated[int, Whole(1, 24)] = 17


class RemindersSection(SpecModel):
    in_lulls: Annotated[int, Whole(0, 2)] = 1
    back_off_after: Annotated[int, Whole(0, 52)] = 3
    show_progress: Flag = True


class DigestSection(SpecModel):
    channel: OptionalChannel = None
    weekday: Weekday = "monday"  # type: ignore[assignment]
    hour: Annotated[int, Whole(0, 23)] = 9
    dm_staff: Flag = Field(default=False, description="default: true when there is no channel")

    @model_validator(mode="before")
    @classmethod
    def _dm_staff_without_channel(cls, data: Any) -> Any:
        if isinstance(data, Mapping) and data.get("dm_staff") is None:
            return {**data, "dm_staff": not data.get("channel")}
        return data


class ThresholdsSection(SpecModel):
    stall_days: Annotated[int, Whole(1, 120)] = 21
    low_response: Annotated[float, Number(0, 1)] = 1 / 3
    momentum_drop: Annotated[float, Number(0.1, 4)] = 1.0


class RetentionSection(SpecModel):
    free_text_days_after_report_back: Annotated[int, Whole(0, 3650)] = 365


def themes_or_default(value: Any) -> Any:
    """The file's themes, or a fresh copy of the default vocabulary when it names none."""
    return {k: list(v) for k, v in DEFAULT_THEMES.items()} if value is None else value


def _lull_schema(schema: dict[str, Any]) -> None:
    schema["required"] = ["start", "end"]  # a name and the weekday have defaults
    schema["properties"]["name"]["description"] = "default: lull 1, lull 2…"
    schema["properties"]["weekday"]["description"] = "default: the programme's weekday"


class LullSpec(SpecModel):
    """A stretch (summer hiatus, winter pressure) with rounds more often."""

    model_config = ConfigDict(json_schema_extra=_lull_schema)

    name: Annotated[str, Text(100)]
    starts: Day = Field(alias="start")
    ends: Day = Field(alias="end")
    every_weeks: Annotated[int, Whole(1, 8)] = 1
    weekday: Weekday

    @classmethod
    def cross_checks(cls, raw: Mapping[str, Any]) -> list[tuple[Loc, str]]:
        first, last = peek(_DAY, raw, "start"), peek(_DAY, raw, "end")
        if first and last and last < first:
            return [(("end",), f"{last} is before the window's start {first}")]
        return []


def default_lulls(start: date, end: date, weekday: int) -> tuple[LullSpec, ...]:
    """A summer hiatus (mid-July to early September) and winter pressure (December to
    February) for every year the programme spans, weekly."""
    lulls = []
    for year in range(start.year - 1, end.year + 1):
        for name, first, last in (
            ("summer hiatus", date(year, 7, 15), date(year, 9, 7)),
            ("winter pressure", date(year, 12, 1), date(year + 1, 2, 28)),
        ):
            if first <= end and last >= start:
                lulls.append(LullSpec(name=name, start=first, end=last, every_weeks=1,
                                      weekday=weekday))
    return tuple(lulls)
