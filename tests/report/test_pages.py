"""The pack's pages take typed text through the one sanitiser: on one line, no bidi or
invisible characters, escaped for HTML, in the page, its title and its chart."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.report.figures import MomentumChart
from bot.report.pages import overview_page, partnership_page, points
from bot.sanitise import typed
from storage.calendar import Lull, ProgrammeCalendar
from storage.pack import PackNote, PackObjective, PackPartnership, PackProgramme, PackRound
from storage.sharing import Sharing

FORGED = "Hull \u202eyenom\u202c <b>bold</b>\u2066 & co\u200b"
INVISIBLE = ("\u202e", "\u202c", "\u2066", "\u200b")
CALENDAR = ProgrammeCalendar(
    name="Leading \u202ePlaces", timezone="Europe/London", holiday_region="GB-ENG",
    start=date(2026, 6, 1), report_back=date(2027, 3, 31), every_weeks=1, weekday=0, hour=10,
    reminder_days=(2,), report_back_prompt_days=14, digest_weekday=0, digest_hour=9,
    lulls=(Lull("summer", date(2026, 7, 15), date(2026, 9, 7), 1, 0),))
PROGRAMME = PackProgramme(CALENDAR, datetime(2026, 11, 24, tzinfo=UTC), 127, [1])


def partnership(sharing: Sharing) -> PackPartnership:
    return PackPartnership(
        1, "hull", FORGED, f"Place {FORGED}", f"Challenge {FORGED}", sharing, eligible=4,
        institutions=[f"Council {FORGED}"],
        rounds=[PackRound(1, date(2026, 6, 1), False, 3, 4, 3.5)],
        objectives=[PackObjective(f"Objective {FORGED}", "on_track",
                                  [(date(2026, 6, 1), "on_track")])],
        highlights=[PackNote(datetime(2026, 6, 2, tzinfo=UTC), f"Ann {FORGED}",
                             f"line one\nline two {FORGED}")],
        blockers=[PackNote(datetime(2026, 6, 3, tzinfo=UTC), "Bo", f"stuck\r\n{FORGED}")])


def test_the_sanitiser_escapes_for_html() -> None:
    assert typed(FORGED, markup="html") == "Hull yenom &lt;b&gt;bold&lt;/b&gt; &amp; co"
    assert typed("a\nb <i>", markup="html") == "a / b &lt;i&gt;"
    assert typed("plain words", markup="html") == "plain words"


@pytest.mark.parametrize("copy", ["staff", "partnership"])
def test_typed_text_in_a_page_is_sanitised(copy: str) -> None:
    who = partnership("full")
    svg = MomentumChart().svg(points(who), [(w.starts, w.ends) for w in CALENDAR.lulls],
                              CALENDAR.report_back, who.name, starts=CALENDAR.start)
    html = partnership_page(who, PROGRAMME, svg, "staff" if copy == "staff" else "partnership")
    assert not any(mark in html for mark in INVISIBLE)
    assert "<b>bold" not in html and "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "<title>Hull yenom &lt;b&gt;bold&lt;/b&gt; &amp; co: report-back</title>" in html
    assert "line one / line two" in html and "stuck / Hull" in html
    assert "Ann Hull yenom" in html and "Leading Places" in html
    overview = overview_page(PROGRAMME, svg, [("hull", who.name, 3.5, 0.75, "full")])
    assert not any(mark in overview for mark in INVISIBLE)
