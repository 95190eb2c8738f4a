"""Pure planning: given the calendar, the people and ``now``, which messages are due.

No database, no Slack, no APScheduler here: plain values in, frozen intents out. The
tick turns intents into outbox rows whose dedupe keys make every send happen once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from storage.calendar import PlannedRound, ProgrammeCalendar
from storage.planning_inputs import AlertTarget, Recipient

STALE_REMINDER = timedelta(hours=20)  # a reminder this late is dropped, not sent


@dataclass(frozen=True)
class Intent:
    """A message that should exist in the outbox (or be recorded as dropped)."""

    kind: str  # prompt | reminder | lead_alert | digest
    dedupe_key: str
    recipient: str
    send_at: datetime
    expires_at: datetime | None
    person_id: int | None = None
    partnership_id: int | None = None
    reminder: int = 0
    dropped: str | None = None  # why it will not be sent


def prompt_moment(cal: ProgrammeCalendar, planned: PlannedRound, tz: str | None) -> datetime:
    """The member's own ``hour``:00 on the round's first working day, never before the round
    opens (a member far east of the programme gets it on the next working day)."""
    zone = tz or cal.timezone
    day = planned.open_day
    moment = cal.local_moment(day, cal.hour, zone)
    while moment < planned.opens_at:
        day = cal.add_working_days(day, 1)
        moment = cal.local_moment(day, cal.hour, zone)
    return moment


def reminder_moments(cal: ProgrammeCalendar, planned: PlannedRound, tz: str | None
                     ) -> list[datetime]:
    """At most two reminders, ``reminder_days`` working days after the prompt, before due."""
    first = prompt_moment(cal, planned, tz)
    zone = tz or cal.timezone
    local_day = first.astimezone(ZoneInfo(zone)).date()
    out = []
    for offset in cal.reminder_days[:2]:
        moment = cal.local_moment(cal.add_working_days(local_day, offset), cal.hour, zone)
        if moment < planned.due_at:
            out.append(moment)
    return out


def member_intents(now: datetime, cal: ProgrammeCalendar, planned: PlannedRound, round_id: int,
                   people: Iterable[Recipient]) -> list[Intent]:
    """Prompts and reminders due by ``now`` in the round open now."""
    intents = []
    for person in people:
        send_at = prompt_moment(cal, planned, person.tz)
        if send_at > now:
            continue
        paused = person.paused_until is not None and person.paused_until > send_at
        key = f"prompt:{round_id}:{person.person_id}"
        if not paused:
            intents.append(Intent("prompt", key, person.slack_id, send_at, planned.due_at,
                                  person.person_id, person.partnership_id))
        if person.answered or not person.reminders_enabled:
            continue
        for number, moment in enumerate(reminder_moments(cal, planned, person.tz), start=1):
            if moment > now:
                break
            if paused or (person.paused_until is not None and person.paused_until > moment):
                continue
            if person.snoozed_until is not None and person.snoozed_until > moment:
                continue
            intents.append(Intent(
                "reminder", f"reminder:{round_id}:{person.person_id}:{number}",
                person.slack_id, moment, planned.due_at, person.person_id,
                person.partnership_id, reminder=number,
                dropped="reminder came too late" if now - moment > STALE_REMINDER else None))
    return intents


def alert_intents(now: datetime, cal: ProgrammeCalendar, targets: Sequence[AlertTarget]
                  ) -> list[Intent]:
    """One alert per lead per stall episode, sent in working hours."""
    send_at = working_moment(now, cal)
    if send_at > now:
        return []
    return [Intent("lead_alert", f"alert:{t.episode_id}:{t.lead_person_id}", t.lead_slack_id,
                   send_at, None, t.lead_person_id, t.partnership_id) for t in targets]


def working_moment(now: datetime, cal: ProgrammeCalendar) -> datetime:
    """``now`` if it is within 09:00–17:00 programme time on a working day, else the next
    such morning at the programme hour."""
    local = now.astimezone(cal.zone)
    if cal.is_working_day(local.date()) and 9 <= local.hour < 17:
        return now
    day = local.date() if local.hour < 9 else local.date() + timedelta(days=1)
    return cal.local_moment(cal.next_working_day(day), cal.hour)


def digest_intents(now: datetime, cal: ProgrammeCalendar, channel: str | None,
                   staff: Sequence[tuple[int, str]], dm_staff: bool) -> list[Intent]:
    """This programme week's digest, once it is due: to the channel and/or each staff DM.
    A digest more than a day late is recorded as dropped rather than sent."""
    due = [(week, moment) for week, moment in cal.digest_moments() if moment <= now]
    if not due:
        return []
    week, moment = due[-1]
    dropped = "digest came too late" if now - moment > timedelta(days=1) else None
    intents = []
    if channel:
        intents.append(Intent("digest", f"digest:{week}:{channel}", channel, moment, None,
                              dropped=dropped))
    if dm_staff:
        intents += [Intent("digest", f"digest:{week}:{slack_id}", slack_id, moment, None,
                           person_id, dropped=dropped) for person_id, slack_id in staff]
    return intents
