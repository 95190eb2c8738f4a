"""The pure calendar and planning rules."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from scheduler.planning import Recipient, humane_moment, member_intents, prompt_moment
from storage.calendar import Lull, ProgrammeCalendar
from tests.simulation import utc

CAL = ProgrammeCalendar(
    name="Test", timezone="Europe/London", holiday_region="GB-ENG", start=date(2026, 6, 1),
    report_back=date(2027, 3, 31), every_weeks=2, weekday=0, hour=10, reminder_days=(2, 4),
    report_back_prompt_days=14, digest_weekday=0, digest_hour=9,
    lulls=(Lull("summer hiatus", date(2026, 7, 15), date(2026, 9, 7), 1, 0),
           Lull("winter pressure", date(2026, 12, 1), date(2027, 2, 28), 1, 0)))


def test_rounds_come_weekly_in_lulls_and_fortnightly_otherwise() -> None:
    october = [r for r in CAL.rounds if r.open_day.month == 10]
    assert {(r.due_at - r.opens_at).days for r in october} == {14}
    january = [r for r in CAL.rounds if r.open_day.month == 1 and r.open_day.year == 2027]
    assert {(r.due_at - r.opens_at).days for r in january} == {7}
    assert all(r.kind == "lull" for r in CAL.rounds
               if date(2026, 7, 20) <= r.open_day <= date(2026, 9, 7))
    summer = [r for r in CAL.rounds if r.kind == "lull" and r.open_day.month in (7, 8)]
    autumn = [r for r in CAL.rounds if r.open_day.month in (10,)]
    assert len(summer) >= 6 and len(autumn) <= 3
    assert CAL.rounds[-1].kind == "report_back"
    assert CAL.rounds[-1].open_day == date(2027, 3, 17)


def test_bank_holidays_move_the_round_to_the_next_working_day() -> None:
    open_days = {r.open_day for r in CAL.rounds}
    assert date(2026, 8, 31) not in open_days and date(2026, 9, 1) in open_days
    assert date(2026, 12, 28) not in open_days and date(2026, 12, 29) in open_days


def test_ten_oclock_local_survives_daylight_saving() -> None:
    for day in (date(2026, 10, 19), date(2026, 10, 26), date(2027, 3, 8), date(2027, 3, 15),
                date(2027, 3, 29)):
        for zone in ("Europe/London", "America/New_York"):
            moment = CAL.local_moment(day, 10, zone)
            assert moment.astimezone(ZoneInfo(zone)).hour == 10


def test_prompt_never_before_the_round_opens() -> None:
    planned = CAL.rounds[0]
    tokyo = prompt_moment(CAL, planned, "Asia/Tokyo")
    assert tokyo >= planned.opens_at and tokyo.astimezone(ZoneInfo("Asia/Tokyo")).hour == 10


def test_nothing_before_start_or_after_report_back() -> None:
    assert CAL.round_at(utc(2026, 5, 31, 12)) is None
    assert CAL.round_at(utc(2027, 4, 1, 12)) is None


def test_reminders_stop_when_answered_paused_snoozed_or_off() -> None:
    planned = CAL.rounds[1]  # a fortnightly round: two reminders
    late = planned.opens_at + timedelta(days=7)  # the next Monday, 10:00

    def person(**changes: object) -> Recipient:
        values = dict(person_id=1, slack_id="U1", partnership_id=1, tz=None,
                      paused_until=None, snoozed_until=None, reminders_enabled=True,
                      answered=False, prompted_at=planned.opens_at)
        values.update(changes)
        return Recipient(**values)  # type: ignore[arg-type]

    def kinds(recipient: Recipient) -> list[str]:
        return [f"{i.kind}{i.reminder or ''}"
                for i in member_intents(late, CAL, planned, 9, [recipient])]

    assert kinds(person()) == ["reminder2"]  # the latest due; the first went on Wednesday
    assert kinds(person(prompted_at=None)) == ["prompt"]  # a late prompt, no reminder yet
    assert kinds(person(answered=True)) == []
    assert kinds(person(reminders_enabled=False)) == []
    assert kinds(person(backed_off=True)) == []
    assert kinds(person(paused_until=late + timedelta(days=9), prompted_at=None)) == []
    assert kinds(person(snoozed_until=late + timedelta(days=1))) == []


def test_alerts_wait_for_working_hours() -> None:
    saturday_night = datetime(2026, 10, 3, 23, tzinfo=ZoneInfo("Europe/London"))
    assert humane_moment(saturday_night, saturday_night, CAL, None).astimezone(
        ZoneInfo("Europe/London")) == datetime(2026, 10, 5, 10, tzinfo=ZoneInfo("Europe/London"))


def test_the_lull_rule_names_the_window_and_shortens_the_wait_before_stalling() -> None:
    assert CAL.lull_on(date(2026, 8, 1)) is not None
    assert CAL.lull_on(date(2026, 8, 1)).name == "summer hiatus"  # type: ignore[union-attr]
    assert CAL.lull_on(date(2026, 9, 8)) is None
    summer, autumn = utc(2026, 8, 3, 12), utc(2026, 10, 5, 12)
    assert CAL.thresholds_at(autumn).stall_days == 21
    assert CAL.thresholds_at(summer).stall_days == 14
    assert CAL.on(summer).today_lull == "summer hiatus"
    assert CAL.on(summer).thresholds == CAL.thresholds_at(summer)
    assert CAL.on(autumn).today_lull is None
