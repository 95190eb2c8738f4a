"""Pure planning: given the calendar, the people and ``now``, which messages are due.

No database, no Slack, no APScheduler here: plain values in, frozen intents out. The
tick turns intents into outbox rows whose dedupe keys make every send happen once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from storage.calendar import PlannedRound, ProgrammeCalendar
from storage.planning_inputs import AlertTarget, ClosedRound, Recipient

DIGEST_LATE = timedelta(days=1)  # a digest later than this is recorded as dropped


@dataclass(frozen=True)
class Intent:
    """A message that should exist in the outbox (or be recorded as dropped)."""

    kind: str  # prompt | reminder | lead_alert | digest | channel_summary
    dedupe_key: str
    recipient: str
    send_at: datetime
    expires_at: datetime | None
    person_id: int | None = None
    partnership_id: int | None = None
    reminder: int = 0
    dropped: str | None = None  # why it will not be sent
    round_id: int | None = None


def in_working_hours(moment: datetime, cal: ProgrammeCalendar, tz: str | None,
                     hour: int) -> bool:
    """Whether ``moment`` falls on a working day between ``hour`` and the end of the
    working day, in the recipient's own zone (the programme's when unknown)."""
    local = moment.astimezone(ZoneInfo(tz or cal.timezone))
    return cal.is_working_day(local.date()) and hour <= local.hour < cal.cadence.day_ends


def next_morning(moment: datetime, cal: ProgrammeCalendar, tz: str | None,
                 hour: int) -> datetime:
    """The recipient's first working-day ``hour``:00 at or after ``moment``."""
    zone = tz or cal.timezone
    day = cal.next_working_day(moment.astimezone(ZoneInfo(zone)).date())
    while (candidate := cal.local_moment(day, hour, zone)) < moment:
        day = cal.add_working_days(day, 1)
    return candidate


def humane_moment(intended: datetime, now: datetime, cal: ProgrammeCalendar,
                  tz: str | None, hour: int | None = None) -> datetime:
    """When a message meant for ``intended`` may go out, seen at ``now``.

    The one catch-up rule for prompts, reminders, lead alerts, digests and channel
    summaries: ahead of time it waits for ``intended``; once due it goes now if now is
    within the recipient's working hours (from ``hour``, the programme hour by default,
    to ``cadence.day_ends``), else at their next working-day ``hour``:00. So a message
    that fell due while lpbot was down, or before it first started, never arrives at night.
    """
    start = cal.hour if hour is None else hour
    if intended > now or in_working_hours(now, cal, tz, start):
        return max(intended, now)
    return next_morning(now, cal, tz, start)


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


def reminder_moments(cal: ProgrammeCalendar, planned: PlannedRound, tz: str | None,
                     prompted_at: datetime | None = None) -> list[datetime]:
    """Reminders ``reminder_days`` working days after the prompt really went out (late
    after a catch-up), before the round is due: two at most, one in a lull by default."""
    first = prompted_at or prompt_moment(cal, planned, tz)
    zone = tz or cal.timezone
    local_day = first.astimezone(ZoneInfo(zone)).date()
    limit = cal.cadence.lull_reminders if planned.lull else 2
    out = []
    for offset in cal.reminder_days[:limit]:
        moment = cal.local_moment(cal.add_working_days(local_day, offset), cal.hour, zone)
        if first < moment < planned.due_at:
            out.append(moment)
    return out


def _paused(person: Recipient, at: datetime) -> bool:
    return person.paused_until is not None and person.paused_until > at


def member_intents(now: datetime, cal: ProgrammeCalendar, planned: PlannedRound, round_id: int,
                   people: Iterable[Recipient]) -> list[Intent]:
    """Prompts and reminders that may go out at ``now`` in the round open now; one that
    cannot go out before the round closes is recorded as dropped."""
    intents = []
    for person in people:
        intended = prompt_moment(cal, planned, person.tz)
        if person.prompted_at is None and intended <= now:
            intents += _timed(Intent(
                "prompt", f"prompt:{round_id}:{person.person_id}", person.slack_id, intended,
                planned.due_at, person.person_id, person.partnership_id, round_id=round_id),
                now, cal, person)
        if person.prompted_at is None or person.answered or not person.reminders_enabled \
                or person.backed_off:
            continue
        due = [(number, moment) for number, moment in enumerate(
            reminder_moments(cal, planned, person.tz, person.prompted_at), start=1)
            if moment <= now]
        if due:  # only the latest: reminders missed while lpbot was down are not sent
            number, moment = due[-1]
            intents += _timed(Intent(
                "reminder", f"reminder:{round_id}:{person.person_id}:{number}",
                person.slack_id, moment, planned.due_at, person.person_id,
                person.partnership_id, reminder=number, round_id=round_id), now, cal, person)
    return intents


def _timed(intent: Intent, now: datetime, cal: ProgrammeCalendar, person: Recipient
           ) -> list[Intent]:
    """The intent at its humane moment: now, later (nothing yet), or dropped if that is
    after the round closes; none while the person is paused or (reminders) snoozed."""
    at = humane_moment(intent.send_at, now, cal, person.tz)
    if _paused(person, at) or (intent.kind == "reminder" and person.snoozed_until is not None
                               and person.snoozed_until > at):
        return []
    if intent.expires_at is not None and at >= intent.expires_at:
        return [replace(intent, send_at=at, dropped="round over")]
    return [replace(intent, send_at=at)] if at <= now else []


def alert_intents(now: datetime, cal: ProgrammeCalendar, targets: Sequence[AlertTarget]
                  ) -> list[Intent]:
    """One alert per lead per stall episode, sent in the lead's own working hours."""
    return [Intent("lead_alert", f"alert:{t.episode_id}:{t.lead_person_id}", t.lead_slack_id,
                   now, None, t.lead_person_id, t.partnership_id) for t in targets
            if humane_moment(now, now, cal, t.tz) <= now]


def digest_intents(now: datetime, cal: ProgrammeCalendar, channel: str | None,
                   staff: Sequence[tuple[int, str, str | None]], dm_staff: bool
                   ) -> list[Intent]:
    """This programme week's digest, once it may go out: to the channel (programme zone)
    and/or each staff DM (their own zone), at the humane moment after it is due. One that
    would go out more than a day late is recorded as dropped rather than sent."""
    due = [(week, moment) for week, moment in cal.digest_moments() if moment <= now]
    if not due:
        return []
    week, moment = due[-1]
    targets = ([(channel, None, None)] if channel else []) + (
        [(slack_id, person_id, tz) for person_id, slack_id, tz in staff] if dm_staff else [])
    intents = []
    for recipient, person_id, tz in targets:
        at = humane_moment(moment, now, cal, tz, cal.digest_hour)
        dropped = "digest came too late" if at - moment > DIGEST_LATE else None
        if at <= now or dropped:
            intents.append(Intent("digest", f"digest:{week}:{recipient}", recipient,
                                  at, None, person_id, dropped=dropped))
    return intents


SUMMARY_LATE = timedelta(days=7)  # a channel summary later than this is recorded as dropped


def summary_key(round_id: int) -> str:
    """The outbox key of a round's channel summary (its thread replies add ``#n``)."""
    return f"summary:{round_id}"


def summary_intents(now: datetime, cal: ProgrammeCalendar, closed: Sequence[ClosedRound]
                    ) -> list[Intent]:
    """Each closed round's summary in its partnership channel, at the humane moment after
    the round's close in the programme's zone: never at night or on a non-working day, nor
    after the report-back (like every scheduled message)."""
    intents = []
    for done in closed:
        at = humane_moment(done.due_at, now, cal, None)
        dropped = "summary came too late" if at - done.due_at > SUMMARY_LATE else \
            "programme over" if cal.local_day(at) > cal.report_back else None
        if at <= now or dropped:
            intents.append(Intent("channel_summary", summary_key(done.round_id),
                                  done.channel_id, at, None,
                                  partnership_id=done.partnership_id, dropped=dropped,
                                  round_id=done.round_id))
    return intents
