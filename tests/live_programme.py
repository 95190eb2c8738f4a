"""A small programme whose current round is open today, for tests of real processes
(which run on the real clock)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import yaml

from storage.programme import WEEKDAYS, holiday_calendar


def last_working_day_before(today: date) -> date:
    england = holiday_calendar("GB-ENG", range(today.year - 1, today.year + 1))
    day = today - timedelta(days=1)
    while day.weekday() >= 5 or day in england:
        day -= timedelta(days=1)
    return day


def write_live_programme(path: Path, today: date, members: int = 12) -> Path:
    """Weekly rounds at 00:00 local, the latest opened on the last working day, so every
    member's prompt is due now; no lulls."""
    opened = last_working_day_before(today)
    people = [{"slack_id": f"U0LIVE{i:03d}", "name": f"Live Person {i}",
               "institution": "Council" if i % 2 else "University"} for i in range(members)]
    half = members // 2
    doc = {
        "programme": {
            "name": "Live", "timezone": "Europe/London", "holiday_region": "England",
            "start": (opened - timedelta(days=14)).isoformat(),
            "report_back": (today + timedelta(days=90)).isoformat(),
            "cadence": {"every_weeks": 1, "weekday": WEEKDAYS[opened.weekday()], "hour": 0},
            "reminder_days": [2, 4], "report_back_prompt_days": 0, "lulls": [],
            "digest": {"weekday": WEEKDAYS[(today.weekday() + 3) % 7], "hour": 9,
                       "dm_staff": False},
        },
        "staff": [],
        "partnerships": [
            {"slug": "east", "name": "East", "place": "Hull", "challenge": "Growth",
             "channel": "C0LIVEEAST", "objectives": ["One"], "leads": [people[0]["slack_id"]],
             "members": people[:half]},
            {"slug": "west", "name": "West", "place": "Lincoln", "challenge": "Hub",
             "channel": "C0LIVEWEST", "objectives": ["Two"], "leads": [people[half]["slack_id"]],
             "members": people[half:]},
        ],
    }
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return path

