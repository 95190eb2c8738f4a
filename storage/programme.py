"""The programme model: ``programme.yaml``, the Slack editors and the database export all
build this one pydantic model, so a rule holds everywhere or nowhere.

The model has the file's shape (``programme``, ``staff``, ``partnerships``); its JSON
Schema (``lpbot programme schema``) lets an editor check a file while someone types it.
Problems are gathered all at once, each naming its key and partnership, because an
operator fixing a file one error per run gives up long before the file is right.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import (
    BeforeValidator,
    Field,
    TypeAdapter,
    ValidationError,
    model_validator,
)

from storage.programme_base import (
    Loc,
    ProgrammeError,
    SpecModel,
    as_programme_error,
    items,
    peek,
)
from storage.programme_sections import (
    DEFAULT_THEMES,
    Cadence,
    CadenceSection,
    DigestSection,
    LullSpec,
    RemindersSection,
    RetentionSection,
    ThresholdsSection,
    default_lulls,
    themes_or_default,
)
from storage.programme_types import (
    REGIONS,
    WEEKDAYS,
    Day,
    Keywords,
    OptionalChannel,
    Region,
    ReminderDays,
    SharingChoice,
    SlackUser,
    Slug,
    Text,
    TimeZone,
    Weekday,
    Whole,
    holiday_calendar,
)

__all__ = [
    "DEFAULT_THEMES", "REGIONS", "WEEKDAYS", "Cadence", "CadenceSection", "DigestSection",
    "LullSpec", "PartnershipSpec", "PersonSpec", "ProgrammeError", "ProgrammeSettings",
    "ProgrammeSpec", "RemindersSection", "RetentionSection", "ThresholdsSection",
    "default_lulls", "holiday_calendar", "load_programme", "parse_programme",
    "programme_file",
]

_DAY: TypeAdapter[date] = TypeAdapter(Day)
_HOUR: TypeAdapter[int] = TypeAdapter(Annotated[int, Whole(0, 24)])
_WEEKDAY: TypeAdapter[int] = TypeAdapter(Weekday)
_USER: TypeAdapter[str] = TypeAdapter(SlackUser)
_NAME: TypeAdapter[str] = TypeAdapter(Annotated[str, Text(200)])
_TITLE: TypeAdapter[str] = TypeAdapter(Annotated[str, Text()])


def _section(value: Any) -> Any:
    return {} if value is None else value  # an empty section means every default


Section = BeforeValidator(_section)


class PersonSpec(SpecModel):
    slack_id: SlackUser
    name: Annotated[str, Text(200)]
    institution: Annotated[str | None, Text(200, optional=True)] = None


class PartnershipSpec(SpecModel):
    slug: Slug
    name: Annotated[str, Text(200)]
    place: Annotated[str, Text(200)]
    challenge: Annotated[str, Text(2000)]
    channel: OptionalChannel = None
    objectives: tuple[Annotated[str, Text()], ...] = ()
    leads: tuple[SlackUser, ...] = ()
    members: tuple[PersonSpec, ...] = ()
    sharing: SharingChoice = None

    @classmethod
    def cross_checks(cls, raw: Mapping[str, Any]) -> list[tuple[Loc, str]]:
        found: list[tuple[Loc, str]] = _duplicate_people(raw, "members")
        titles = [peek(_TITLE, raw, "objectives", i) for i in range(len(items(raw, "objectives")))]
        known = [t for t in titles if t]
        if len(set(known)) != len(known):
            found.append((("objectives",), "the same objective is listed twice"))
        members = {peek(_USER, raw, "members", i, "slack_id")
                   for i in range(len(items(raw, "members")))}
        for lead in items(raw, "leads"):
            if isinstance(lead, str) and lead not in members:
                found.append((("leads",), f"unknown lead {lead!r}: not among this "
                                          "partnership's members"))
        return found


def _duplicate_people(raw: Mapping[str, Any], key: str) -> list[tuple[Loc, str]]:
    seen: set[str] = set()
    found: list[tuple[Loc, str]] = []
    for index in range(len(items(raw, key))):
        slack_id = peek(_USER, raw, key, index, "slack_id")
        if slack_id in seen:
            found.append(((key, index, "slack_id"), f"duplicate Slack id {slack_id}"))
        elif slack_id:
            seen.add(slack_id)
    return found


class ProgrammeSettings(SpecModel):
    """The ``programme:`` section: the calendar, digest and thresholds."""

    name: Annotated[str, Text(200)]
    timezone: TimeZone = "Europe/London"
    holiday_region: Region = "GB-ENG"
    start: Day
    report_back: Day
    cadence: Annotated[CadenceSection, Section] = CadenceSection()
    reminder_days: ReminderDays = (2, 4)
    reminders: Annotated[RemindersSection, Section] = RemindersSection()
    report_back_prompt_days: Annotated[int, Whole(0, 90)] = 14
    lulls: tuple[LullSpec, ...] = Field(
        default=(), description="default: a weekly summer hiatus (15 July to 7 September) "
        "and winter pressure (December to February)")
    digest: Annotated[DigestSection, Section] = DigestSection()
    thresholds: Annotated[ThresholdsSection, Section] = ThresholdsSection()
    themes: Annotated[dict[str, Keywords], BeforeValidator(themes_or_default)] = Field(
        default_factory=lambda: themes_or_default(None))
    retention: Annotated[RetentionSection, Section] = RetentionSection()

    @model_validator(mode="before")
    @classmethod
    def _default_lulls(cls, data: Any) -> Any:
        """Lulls a file leaves out: the usual two; a lull's weekday: the programme's."""
        if not isinstance(data, Mapping):
            return data
        weekday = peek(_WEEKDAY, data, "cadence", "weekday", default=1)
        weekday = WEEKDAYS[weekday if weekday is not None else 1]
        lulls = data.get("lulls")
        start, end = peek(_DAY, data, "start"), peek(_DAY, data, "report_back")
        if lulls is None:
            lulls = [lull.model_dump(mode="json", by_alias=True)
                     for lull in default_lulls(start, end, WEEKDAYS.index(weekday))
                     ] if start and end else []
        elif isinstance(lulls, list | tuple):
            lulls = [{"name": f"lull {i + 1}", "weekday": weekday, **lull}
                     if isinstance(lull, Mapping) else lull for i, lull in enumerate(lulls)]
        return {**data, "lulls": lulls}

    @classmethod
    def cross_checks(cls, raw: Mapping[str, Any]) -> list[tuple[Loc, str]]:
        found: list[tuple[Loc, str]] = []
        start, report_back = peek(_DAY, raw, "start"), peek(_DAY, raw, "report_back")
        if start and report_back and report_back <= start:
            found.append((("report_back",), "should come after programme.start"))
        hour = peek(_HOUR, raw, "cadence", "hour", default=10)
        digest_hour = peek(_HOUR, raw, "digest", "hour", default=9)
        day_ends = peek(_HOUR, raw, "cadence", "working_day_ends", default=17)
        if None not in (hour, digest_hour, day_ends) and day_ends <= max(hour, digest_hour):
            found.append((("cadence", "working_day_ends"), "should be later than the prompt "
                          f"and digest hours ({max(hour, digest_hour)})"))
        return found


class ProgrammeSpec(SpecModel):
    """The whole programme, as in the file."""

    programme: ProgrammeSettings
    staff: tuple[PersonSpec, ...] = ()
    partnerships: tuple[PartnershipSpec, ...] = Field(
        description="may be empty ([]), but not left out")

    @classmethod
    def cross_checks(cls, raw: Mapping[str, Any]) -> list[tuple[Loc, str]]:
        found = _duplicate_people(raw, "staff")
        slugs: set[str] = set()
        names: dict[str, str] = {}
        for index, partnership in enumerate(items(raw, "partnerships")):
            slug = partnership.get("slug") if isinstance(partnership, Mapping) else None
            if isinstance(slug, str) and slug in slugs:
                found.append((("partnerships", index, "slug"), f"duplicate slug {slug!r}"))
            slugs.add(str(slug))
            for member in items(partnership, "members"):
                slack_id, name = peek(_USER, member, "slack_id"), peek(_NAME, member, "name")
                known = names.setdefault(slack_id, name) if slack_id and name else name
                if known != name:
                    found.append((("partnerships", index, "members"), f"Slack id {slack_id} "
                                  f"is {known!r} elsewhere but {name!r} here "
                                  "(duplicate Slack id?)"))
        return found

    # Shortcuts for the places that read the programme rather than edit it.
    @property
    def name(self) -> str:
        return self.programme.name

    @property
    def timezone(self) -> str:
        return self.programme.timezone

    @property
    def digest_channel(self) -> str | None:
        return self.programme.digest.channel

    @property
    def lulls(self) -> tuple[LullSpec, ...]:
        return self.programme.lulls

    @property
    def cadence(self) -> Cadence:
        """The nudging settings as the calendar carries them."""
        section, reminders = self.programme.cadence, self.programme.reminders
        return Cadence(reminders.in_lulls, reminders.back_off_after, reminders.show_progress,
                       section.working_day_ends)


def load_programme(path: str | Path) -> ProgrammeSpec:
    """Read and validate a programme file; raise ProgrammeError listing every problem."""
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ProgrammeError([f"{path}: no such file"]) from None
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise ProgrammeError([f"{path}: not valid YAML ({error})"]) from None
    return parse_programme(raw)


def parse_programme(raw: Any) -> ProgrammeSpec:
    """Validate already-parsed YAML (or the same shape from an editor); raise
    ProgrammeError listing every problem."""
    try:
        return ProgrammeSpec.model_validate(raw)
    except ValidationError as error:
        raise as_programme_error(error, raw) from None


def programme_file(spec: ProgrammeSpec) -> dict[str, Any]:
    """``spec`` in the file's shape, as plain YAML/JSON values: what parse_programme reads
    back into the same spec."""
    return spec.model_dump(mode="json", by_alias=True, exclude_none=True)
