"""The playground in a real browser: headless Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLE, ROOT
from tests.harness import BRIGHTON, HULL_LEAD, HULL_MEMBER, STAFF
from tests.processes import free_port, lpbot_env, lpbot_process, wait_until_up

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
OUTPUT = Path(os.environ.get("LPBOT_TEST_OUTPUT", ROOT / "test-output")) / "playground"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture
def playground(tmp_path: Path, sqlite_url: str) -> Iterator[str]:
    """`lpbot run` with no Slack tokens: it says so and starts the playground."""
    port = free_port()
    env = lpbot_env(DATABASE_URL=f"sqlite:///{tmp_path / 'fresh.db'}",
                    LPBOT_PROGRAMME=str(EXAMPLE), PORT=str(port))
    log = tmp_path / "playground.log"
    with lpbot_process(["run"], env, log) as process:
        wait_until_up(f"http://127.0.0.1:{port}/api/people", process, log)
        assert "No Slack tokens are configured" in log.read_text()
        assert f"open http://127.0.0.1:{port}/" in log.read_text()
        yield f"http://127.0.0.1:{port}/"


def test_member_checks_in_lead_sees_it_staff_gets_the_digest(playground: str) -> None:
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is not installed: .ci/system-deps installs it")
    from playwright.sync_api import expect, sync_playwright

    OUTPUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        page.set_default_timeout(15_000)
        page.goto(playground)

        page.select_option("#who", HULL_MEMBER)
        # The playground runs on the real clock; a prompt waits for the member's working
        # hours (10:00 on a working day), so at night or at a weekend move a day on.
        for _ in range(4):
            if "Time to check in on" in page.locator("#pane").inner_text():
                break
            page.click("button[data-forward='day']")
            page.wait_for_timeout(500)
        expect(page.locator("#pane")).to_contain_text("Time to check in on", timeout=60_000)
        page.fill("#command", "/lp checkin")
        page.press("#command", "Enter")
        dialog = page.locator(".dialog")
        expect(dialog).to_contain_text("How is momentum right now?")
        page.screenshot(path=str(OUTPUT / "1-member-checkin-modal.png"))
        dialog.locator("input[type=radio][value='4']").check()
        dialog.locator("[data-block^='obj_status:']").first.select_option("at_risk")
        dialog.locator("[data-block='highlights']").fill("Ten employers signed the charter")
        dialog.locator("[data-block='blockers']").fill("Waiting on the data sharing agreement")
        dialog.locator("button[type=submit]").click()
        expect(page.locator("#modal")).to_be_hidden()
        expect(page.locator("#pane")).to_contain_text("your check-in for")
        page.screenshot(path=str(OUTPUT / "2-member-confirmation.png"))

        page.select_option("#who", HULL_LEAD)
        page.fill("#command", "/lp status")
        page.press("#command", "Enter")
        private = page.locator("#private")
        expect(private).to_contain_text("members have checked in this round")
        expect(private).to_contain_text("Waiting on the data sharing agreement")
        page.screenshot(path=str(OUTPUT / "3-lead-status.png"))

        page.select_option("#who", STAFF)
        page.click("button[data-tab='digest']")
        page.click("button[data-forward='week']")
        expect(page.locator("#pane")).to_contain_text("weekly digest", timeout=60_000)
        expect(page.locator("#pane")).to_contain_text("Hull: inclusive growth")
        page.screenshot(path=str(OUTPUT / "4-staff-digest.png"))
        browser.close()
    assert len(list(OUTPUT.glob("*.png"))) >= 4


def _shoot(page: Any, element: Any, path: Path) -> None:
    """A screenshot of where ``element`` is: the page redraws its panes as the state
    polls, so an element can be replaced between finding it and shooting it; the page
    itself never is."""
    from playwright.sync_api import Error

    for _ in range(20):
        try:
            box = element.bounding_box(timeout=2_000)
        except Error:  # replaced while being measured: measure the new one
            box = None
        if box is not None:
            page.screenshot(path=str(path), clip=box)
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"nothing to photograph for {path.name}")


def test_charts_are_drawn_inline_for_a_lead_and_for_staff(playground: str) -> None:
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is not installed: .ci/system-deps installs it")
    from playwright.sync_api import expect, sync_playwright

    OUTPUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        page.set_default_timeout(15_000)
        page.goto(playground)

        page.select_option("#who", HULL_LEAD)
        page.fill("#command", "/lp checkin")
        page.press("#command", "Enter")
        dialog = page.locator(".dialog")
        dialog.locator("input[type=radio][value='4']").check()
        dialog.locator("button[type=submit]").click()
        expect(page.locator("#modal")).to_be_hidden()
        page.fill("#command", "/lp status")
        page.press("#command", "Enter")
        chart = page.locator("#private figure.chart-block").first
        expect(chart).to_contain_text("Momentum, last 1 rounds")
        expect(chart.locator("svg polyline")).to_have_count(1)  # drawn, not dumped as JSON
        expect(page.locator("#private pre.unknown")).to_have_count(0)
        _shoot(page, chart, OUTPUT / "5-lead-status-chart.png")

        page.select_option("#who", STAFF)
        page.click("button[data-tab='home']")
        pie = page.locator("#pane figure.chart-block[data-chart='pie']")
        expect(pie.locator("svg")).to_be_visible()
        expect(page.locator("#pane")).to_contain_text("Objectives by status")
        _shoot(page, page.locator("#pane figure.chart-block").first,
               OUTPUT / "6-staff-home-chart.png")
        browser.close()
    assert (OUTPUT / "5-lead-status-chart.png").stat().st_size > 1000


def test_staff_add_a_partnership_through_the_modal(playground: str) -> None:
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is not installed: .ci/system-deps installs it")
    from playwright.sync_api import expect, sync_playwright

    members = [m.slack_id for m in BRIGHTON.members][:2]
    OUTPUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1100, "height": 1000})
        page.set_default_timeout(15_000)
        page.goto(playground)

        page.select_option("#who", STAFF)
        page.click("button[data-tab='home']")
        page.click("#pane button[data-action='admin_home_programme']")
        pane = page.locator("#pane")
        expect(pane).to_contain_text("Lull windows")
        page.click("#pane button[data-action='admin_add_partnership']")
        dialog = page.locator(".dialog")
        expect(dialog).to_contain_text("Short name (slug)")
        dialog.locator("[data-block='adm_p_name']").fill("Preston: community wealth")
        dialog.locator("[data-block='adm_p_place']").fill("Preston")
        dialog.locator("[data-block='adm_p_challenge']").fill("Spend locally")
        dialog.locator("[data-block='adm_p_objectives']").fill("Anchor procurement\nLocal jobs")
        dialog.locator("[data-block='adm_p_members']").select_option(members)
        dialog.locator("[data-block='adm_p_leads']").select_option(members[:1])
        page.screenshot(path=str(OUTPUT / "7-staff-add-partnership.png"))
        dialog.locator("button[type=submit]").click()
        expect(dialog).to_contain_text("Which institution is each member from?")
        dialog.locator(f"[data-block='adm_inst_new:{members[1]}']").fill("Preston College")
        page.screenshot(path=str(OUTPUT / "8-staff-institutions.png"))
        dialog.locator("button[type=submit]").click()
        expect(page.locator("#modal")).to_be_hidden()
        expect(pane).to_contain_text("Preston: community wealth", timeout=30_000)
        expect(pane).to_contain_text("preston-community-wealth")
        page.screenshot(path=str(OUTPUT / "9-staff-programme-view.png"))

        # The workspace's admin, in no list, is staff by Slack's word: their Home is the
        # Programme view, with the partnership just added.
        page.select_option("#who", "U0WSADMIN")
        page.click("button[data-tab='home']")
        expect(pane).to_contain_text("Add partnership", timeout=30_000)
        expect(pane).to_contain_text("Preston: community wealth")
        browser.close()
