"""The programme file: parse and validate ``programme.yaml`` into typed specs.

Validation gathers every problem at once (naming the key and the partnership), because
an operator fixing a file one error per run gives up long before the file is right.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
import yaml

from storage.field_reader import WEEKDAYS, FieldReader

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
USER_RE = re.compile(r"^[UW][A-Z0-9]{2,31}$")
CHANNEL_RE = re.compile(r"^[CG][A-Z0-9]{2,31}$")
REGIONS = {
    "england": "GB-ENG",
    "scotland": "GB-SCT",
    "wales": "GB-WLS",
    "northern ireland": "GB-NIR",
}
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


class ProgrammeError(Exception):
    """A programme file with problems; ``problems`` lists every one of them."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class PersonSpec:
    slack_id: str
    name: str
    institution: str | None = None


@dataclass(frozen=True)
class PartnershipSpec:
    slug: str
    name: str
    place: str
    challenge: str
    channel: str | None
    objectives: tuple[str, ...]
    leads: tuple[str, ...]
    members: tuple[PersonSpec, ...]


@dataclass(frozen=True)
class LullSpec:
    name: str
    starts: date
    ends: date
    every_weeks: int
    weekday: int


@dataclass(frozen=True)
class Cadence:
    """How gently the bot nudges (``programme.reminders``, ``cadence.working_day_ends``);
    the calendar carries it, so planning and every surface read the same settings."""

    lull_reminders: int = 1  # at most this many reminders per round in a lull
    back_off_after: int = 3  # unanswered rounds in a row before reminders stop (0: never)
    show_progress: bool = True  # reminders say how many in the partnership have answered
    day_ends: int = 17  # a late message waits for the next morning outside [hour, day_ends)


@dataclass(frozen=True)
class ProgrammeSpec:
    name: str
    timezone: str
    holiday_region: str
    start: date
    report_back: date
    every_weeks: int
    weekday: int
    hour: int
    reminder_days: tuple[int, ...]
    report_back_prompt_days: int
    lulls: tuple[LullSpec, ...]
    digest_channel: str | None
    digest_weekday: int
    digest_hour: int
    digest_dm_staff: bool
    stall_days: int
    low_response: float
    momentum_drop: float
    themes: dict[str, list[str]]
    staff: tuple[PersonSpec, ...]
    partnerships: tuple[PartnershipSpec, ...] = field(default_factory=tuple)
    cadence: Cadence = field(default_factory=Cadence)
    retention_days: int = 365  # free text kept this long after the report-back


def holiday_calendar(region: str, years: range) -> holidays.HolidayBase:
    """The public holidays of a region code such as ``GB-ENG``."""
    country, _, subdiv = region.partition("-")
    return holidays.country_holidays(country, subdiv=subdiv or None, years=years)


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
                lulls.append(LullSpec(name, first, last, 1, weekday))
    return tuple(lulls)


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
    """Validate already-parsed YAML; raise ProgrammeError listing every problem."""
    r = FieldReader()
    top = r.mapping(raw, "file")
    prog = r.mapping(top.get("programme"), "programme")
    if not prog:
        r.fail("programme", "is missing")
    name = r.text(prog, "name", "programme", default="Programme") or "Programme"
    tz = r.text(prog, "timezone", "programme", required=False, default="Europe/London")
    try:
        ZoneInfo(str(tz))
    except (ZoneInfoNotFoundError, ValueError):
        r.fail("programme.timezone", f"{tz!r} is not a known time zone (e.g. Europe/London)")
        tz = "Europe/London"
    region_name = str(prog.get("holiday_region", "England")).strip()
    region = REGIONS.get(region_name.lower(), region_name.upper())
    try:
        holiday_calendar(region, range(2026, 2027))
    except (NotImplementedError, KeyError, ValueError):
        r.fail("programme.holiday_region", f"{region_name!r} is not a known holiday region")
        region = "GB-ENG"
    start = r.day(prog, "start", "programme")
    report_back = r.day(prog, "report_back", "programme")
    if start and report_back and report_back <= start:
        r.fail("programme.report_back", "should come after programme.start")
    cadence = r.mapping(prog.get("cadence"), "programme.cadence")
    every_weeks = r.integer(cadence, "every_weeks", "programme.cadence", 2, 1, 8)
    weekday = r.weekday(cadence, "weekday", "programme.cadence", "tuesday")
    hour = r.integer(cadence, "hour", "programme.cadence", 10, 0, 23)
    reminders = prog.get("reminder_days", [2, 4])
    if not (isinstance(reminders, list) and len(reminders) <= 2 and all(
        isinstance(d, int) and not isinstance(d, bool) and 1 <= d <= 10 for d in reminders
    )):
        r.fail("programme.reminder_days", "should be up to two working-day offsets, e.g. [2, 4]")
        reminders = [2, 4]
    report_days = r.integer(prog, "report_back_prompt_days", "programme", 14, 0, 90)
    digest = r.mapping(prog.get("digest"), "programme.digest")
    digest_channel = r.text(digest, "channel", "programme.digest", required=False)
    if digest_channel and not CHANNEL_RE.match(digest_channel):
        r.fail("programme.digest.channel", f"{digest_channel!r} is not a Slack channel id")
    digest_weekday = r.weekday(digest, "weekday", "programme.digest", "monday")
    digest_hour = r.integer(digest, "hour", "programme.digest", 9, 0, 23)
    dm_staff = bool(digest.get("dm_staff", not digest_channel))
    limits = r.mapping(prog.get("thresholds"), "programme.thresholds")
    stall_days = r.integer(limits, "stall_days", "programme.thresholds", 21, 1, 120)
    low_response = r.number(limits, "low_response", "programme.thresholds", 1 / 3, 0, 1)
    momentum_drop = r.number(limits, "momentum_drop", "programme.thresholds", 1.0, 0.1, 4)
    gentle = _cadence(r, prog, cadence, max(hour, digest_hour))
    themes = _themes(r, prog.get("themes"))
    keep = r.mapping(prog.get("retention"), "programme.retention")
    retention_days = r.integer(keep, "free_text_days_after_report_back",
                               "programme.retention", 365, 0, 3650)
    lulls = _lulls(r, prog, start, report_back, weekday)
    staff = tuple(_people(r, top.get("staff", []), "staff"))
    partnerships = _partnerships(r, top.get("partnerships"))
    if r.problems:
        raise ProgrammeError(r.problems)
    assert start and report_back
    return ProgrammeSpec(
        name=name, timezone=str(tz), holiday_region=region, start=start,
        report_back=report_back, every_weeks=every_weeks, weekday=weekday, hour=hour,
        reminder_days=tuple(reminders), report_back_prompt_days=report_days, lulls=lulls,
        digest_channel=digest_channel, digest_weekday=digest_weekday, digest_hour=digest_hour,
        digest_dm_staff=dm_staff, stall_days=stall_days, low_response=low_response,
        momentum_drop=momentum_drop, themes=themes, staff=staff, partnerships=partnerships,
        cadence=gentle, retention_days=retention_days,
    )


def _cadence(r: FieldReader, prog: dict[str, Any], cadence: dict[str, Any],
             latest_hour: int) -> Cadence:
    """The reminder settings; each has a default, so older files keep working."""
    reminders = r.mapping(prog.get("reminders"), "programme.reminders")
    in_lulls = r.integer(reminders, "in_lulls", "programme.reminders", 1, 0, 2)
    back_off = r.integer(reminders, "back_off_after", "programme.reminders", 3, 0, 52)
    progress = reminders.get("show_progress", True)
    if not isinstance(progress, bool):
        r.fail("programme.reminders.show_progress", "should be true or false")
        progress = True
    day_ends = r.integer(cadence, "working_day_ends", "programme.cadence", 17, 1, 24)
    if day_ends <= latest_hour:
        r.fail("programme.cadence.working_day_ends",
               f"should be later than the prompt and digest hours ({latest_hour})")
    return Cadence(in_lulls, back_off, progress, day_ends)


def _themes(r: FieldReader, raw: Any) -> dict[str, list[str]]:
    if raw is None:
        return DEFAULT_THEMES
    themes = r.mapping(raw, "programme.themes")
    out: dict[str, list[str]] = {}
    for theme, words in themes.items():
        if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            r.fail(f"programme.themes.{theme}", "should be a list of keywords")
            continue
        out[str(theme)] = [w.lower() for w in words]
    return out


def _lulls(r: FieldReader, prog: dict[str, Any], start: date | None, end: date | None,
           weekday: int) -> tuple[LullSpec, ...]:
    raw = prog.get("lulls")
    if raw is None:
        return default_lulls(start, end, weekday) if start and end else ()
    if not isinstance(raw, list):
        r.fail("programme.lulls", "should be a list of windows")
        return ()
    lulls = []
    for index, item in enumerate(raw):
        where = f"programme.lulls[{index}]"
        data = r.mapping(item, where)
        lull_name = r.text(data, "name", where, default=f"lull {index + 1}") or ""
        first, last = r.day(data, "start", where), r.day(data, "end", where)
        if first and last and last < first:
            r.fail(f"{where}.end", f"{last} is before the window's start {first}")
        every = r.integer(data, "every_weeks", where, 1, 1, 8)
        day = r.weekday(data, "weekday", where, WEEKDAYS[weekday])
        if first and last:
            lulls.append(LullSpec(lull_name, first, last, every, day))
    return tuple(lulls)


def _people(r: FieldReader, raw: Any, where: str) -> list[PersonSpec]:
    if not isinstance(raw, list):
        r.fail(where, "should be a list of people")
        return []
    people: list[PersonSpec] = []
    seen: set[str] = set()
    for index, item in enumerate(raw):
        spot = f"{where}[{index}]"
        data = r.mapping(item, spot)
        slack_id = r.text(data, "slack_id", spot, default="") or ""
        name = r.text(data, "name", spot, default=slack_id) or slack_id
        institution = r.text(data, "institution", spot, required=False)
        if slack_id and not USER_RE.match(slack_id):
            r.fail(f"{spot}.slack_id", f"{slack_id!r} is not a Slack user id (U… or W…)")
        elif slack_id in seen:
            r.fail(f"{spot}.slack_id", f"duplicate Slack id {slack_id}")
        elif slack_id:
            seen.add(slack_id)
            people.append(PersonSpec(slack_id, name, institution))
    return people


def _partnerships(r: FieldReader, raw: Any) -> tuple[PartnershipSpec, ...]:
    if not isinstance(raw, list) or not raw:
        r.fail("partnerships", "should be a non-empty list")
        return ()
    out = []
    slugs: set[str] = set()
    names_by_id: dict[str, str] = {}
    for index, item in enumerate(raw):
        data = r.mapping(item, f"partnerships[{index}]")
        slug = r.text(data, "slug", f"partnerships[{index}]", default="") or ""
        where = f"partnerships[{index}] ({slug or 'no slug'})"
        if slug and not SLUG_RE.match(slug):
            r.fail(f"{where}.slug", "use lower-case letters, digits and hyphens")
        if slug in slugs:
            r.fail(f"{where}.slug", f"duplicate slug {slug!r}")
        slugs.add(slug)
        name = r.text(data, "name", where, default=slug) or slug
        place = r.text(data, "place", where, default="") or ""
        challenge = r.text(data, "challenge", where, default="", limit=2000) or ""
        channel = r.text(data, "channel", where, required=False)
        if channel and not CHANNEL_RE.match(channel):
            r.fail(f"{where}.channel", f"{channel!r} is not a Slack channel id")
        objectives_raw = data.get("objectives", [])
        if not isinstance(objectives_raw, list) or not all(
            isinstance(o, str) and o.strip() and len(o) <= 300 for o in objectives_raw
        ):
            r.fail(f"{where}.objectives", "should be a list of titles (300 characters at most)")
            objectives_raw = []
        if len({o.strip() for o in objectives_raw}) != len(objectives_raw):
            r.fail(f"{where}.objectives", "the same objective is listed twice")
        members = _people(r, data.get("members", []), f"{where}.members")
        ids = {m.slack_id for m in members}
        for member in members:
            known = names_by_id.setdefault(member.slack_id, member.name)
            if known != member.name:
                r.fail(f"{where}.members", f"Slack id {member.slack_id} is {known!r} elsewhere "
                       f"but {member.name!r} here (duplicate Slack id?)")
        leads_raw = data.get("leads", [])
        if not isinstance(leads_raw, list) or not all(isinstance(x, str) for x in leads_raw):
            r.fail(f"{where}.leads", "should be a list of Slack ids")
            leads_raw = []
        for lead in leads_raw:
            if lead not in ids:
                r.fail(f"{where}.leads", f"unknown lead {lead!r}: not among this "
                       "partnership's members")
        out.append(PartnershipSpec(
            slug=slug, name=name, place=place, challenge=challenge, channel=channel,
            objectives=tuple(o.strip() for o in objectives_raw),
            leads=tuple(str(lead) for lead in leads_raw), members=tuple(members),
        ))
    return tuple(out)
