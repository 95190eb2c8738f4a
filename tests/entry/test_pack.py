"""The report-back pack for the example programme after a season: `lpbot report --pack`,
opened in headless Chromium, a screenshot per page type, sharing respected."""

from __future__ import annotations

import os
import random
import shutil
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select, update

from bot.entry.cli import main
from storage.calendar_store import load_calendar
from storage.db import SessionFactory
from storage.models import (
    Checkin,
    Membership,
    Objective,
    ObjectiveUpdate,
    Partnership,
    Person,
)
from storage.rounds import open_rounds
from storage.tallies import retally_all
from tests.conftest import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
OUTPUT = Path(os.environ.get("LPBOT_TEST_OUTPUT", ROOT / "test-output")) / "pack"
NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)
SECRET = "Our <b>secret</b> board minutes & <@U0INV0001>"


def simulate_season(db: SessionFactory, now: datetime, quiet: str) -> None:
    """Every planned round up to ``now`` opened the way the tick opens them, and answers in
    each: most members, fewer in lulls, with text, and objective statuses that move."""
    rng = random.Random(14)
    with db.begin() as session:
        calendar = load_calendar(session)
        ids = list(session.scalars(select(Partnership.id).where(Partnership.active)))
        members = session.execute(select(Membership.partnership_id, Membership.person_id)
                                  .where(Membership.active)).all()
        objectives = session.execute(select(Objective.partnership_id, Objective.id)).all()
        statuses = ("on_track", "at_risk", "stalled", "done")
        for planned in calendar.rounds:
            if planned.opens_at > now:
                break
            rounds, _ = open_rounds(session, planned, ids)
            for pid, person in members:
                if rng.random() > (0.45 if planned.lull else 0.8):
                    continue
                checkin = Checkin(
                    person_id=person, partnership_id=pid, round_id=rounds[pid],
                    submitted_at=planned.opens_at + timedelta(hours=rng.randint(1, 48)),
                    momentum=rng.randint(2, 5), source="modal",
                    highlights=f"{SECRET} highlight {person}" if rng.random() < 0.3 else "",
                    blockers=f"{SECRET} blocker {person}" if rng.random() < 0.2 else "")
                checkin.updates = [ObjectiveUpdate(objective_id=oid, status=rng.choice(statuses))
                                   for opid, oid in objectives if opid == pid]
                session.add(checkin)
        session.execute(update(Partnership).where(Partnership.slug == quiet)
                        .values(sharing="off"))
        session.flush()
        retally_all(session)  # the rows bypassed record_checkin, which keeps the tallies


def test_the_pack_after_a_season(example_programme: SessionFactory, database_url: str,
                                 tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with example_programme() as session:
        slugs = list(session.scalars(select(Partnership.slug).order_by(Partnership.name)))
    quiet, shared = slugs[0], slugs[1]
    simulate_season(example_programme, NOW, quiet)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setattr("bot.entry.cli.system_clock", lambda: NOW)
    folder = tmp_path / "pack"
    result = CliRunner().invoke(main, ["report", "--pack", str(folder)])
    assert result.exit_code == 0, result.output
    assert f"wrote {2 * len(slugs) + 1} pages" in result.output

    overview = (folder / "index.html").read_text()
    theirs = (folder / "partnerships" / f"{quiet}.html").read_text()
    staff = (folder / "staff" / f"{quiet}.html").read_text()
    summary = (folder / "partnerships" / f"{shared}.html").read_text()
    for html in (overview, theirs, staff, summary):
        assert html.count("<svg") == 1 and "<path" in html  # matplotlib's chart, inline
        for fetch in ('src="http', 'href="http', "url(http", "@import", "<link"):
            assert fetch not in html  # self-contained: works offline
        assert "<script" not in html and "<b>secret" not in html  # escaped, never markup
        assert "<@U0INV0001>" not in html
        assert "@page { size: A4" in html
    assert "secret" not in theirs  # sharing off: no free text in the partnership's copy
    assert "Objective 1" in theirs and "shares figures only" in theirs
    assert "&lt;b&gt;secret&lt;/b&gt; board minutes" in staff  # staff see everything
    assert "secret" in summary and "Highlights" in summary  # summary: the text …
    with example_programme() as session:
        people = list(session.scalars(
            select(Person.name).join(Membership, Membership.person_id == Person.id)
            .join(Partnership, Partnership.id == Membership.partnership_id)
            .where(Partnership.slug == shared)))
    staff_shared = (folder / "staff" / f"{shared}.html").read_text()
    assert any(escape(n) in staff_shared for n in people)
    assert not any(escape(n) in summary for n in people)  # … without who wrote it
    assert "days to the report-back conference" in overview

    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is not installed: .ci/system-deps installs it")
    from playwright.sync_api import sync_playwright

    OUTPUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"])
        page = browser.new_page(viewport={"width": 900, "height": 1200})
        page.route("**/*", lambda route: route.abort()
                   if not route.request.url.startswith("file://") else route.continue_())
        for name, path in (("overview", folder / "index.html"),
                           ("partnership-copy-sharing-off", folder / "partnerships"
                            / f"{quiet}.html"),
                           ("staff-copy", folder / "staff" / f"{quiet}.html")):
            page.goto(path.as_uri())
            box = page.locator("figure svg").bounding_box()
            assert box is not None and box["width"] > 400 and box["height"] > 150
            page.screenshot(path=str(OUTPUT / f"{name}.png"), full_page=True)
        browser.close()
    assert len(list(OUTPUT.glob("*.png"))) >= 3
