"""The staff button in App Home: the report-back pack arrives as a zip file in the DM, via
files.getUploadURLExternal and files.completeUploadExternal at the stand-in."""

from __future__ import annotations

import io
import zipfile

from bot.blocks import ids
from bot.blocks import messages as msg
from bot.playground.standin.workspace import View
from tests.harness import HULL_LEAD, STAFF, Harness


def _home(bot: Harness, user: str) -> View:
    assert bot.driver.open_home(user).status == 200
    return bot.wait(lambda: bot.standin.workspace.home.get(user))  # type: ignore[no-any-return]


def test_staff_get_the_pack_as_a_file(bot: Harness) -> None:
    home = _home(bot, STAFF)
    assert bot.driver.click(STAFF, ids.SEND_PACK, view=home).status == 200
    done = bot.wait(lambda: bot.standin.calls_to("files.completeUploadExternal"))
    assert done[0].ok
    stored = next(iter(bot.standin.workspace.files.values()))
    with zipfile.ZipFile(io.BytesIO(stored.data or b"")) as pack:
        names = pack.namelist()
        assert "report-back/index.html" in names
        assert any(n.startswith("report-back/staff/") for n in names)
        assert "<svg" in pack.read("report-back/index.html").decode()
    shared = [m for m in bot.standin.workspace.messages if m.files]
    assert shared and shared[0].channel.startswith("D")
    assert "report-back pack" in shared[0].text


def test_a_lead_clicking_a_forged_pack_button_is_refused(bot: Harness) -> None:
    home = _home(bot, STAFF)  # the button exists only on staff's Home: a lead forges it
    before = len(bot.standin.workspace.messages)
    assert bot.driver.click(HULL_LEAD, ids.SEND_PACK, view=home).status == 200
    bot.wait(lambda: any(msg.STAFF_ONLY in m.text
                         for m in bot.standin.workspace.messages[before:]))
    assert not bot.standin.calls_to("files.getUploadURLExternal")
