"""App Home: what each person sees when they open the bot's Home tab."""

from __future__ import annotations

from datetime import datetime

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement, DividerBlock, HeaderBlock
from slack_sdk.models.views import View

from bot.blocks import ids
from bot.blocks import messages as msg
from bot.blocks.admin import programme_button
from bot.blocks.cadence import cadence_blocks
from bot.blocks.common import context, esc, mrkdwn_section, plain
from bot.blocks.pictures import objectives_chart, own_chart, programme_charts
from bot.blocks.sharing import channel_mention, error_code
from bot.blocks.status import STATUS_ICON, overview_blocks, own_checkin_blocks, status_blocks
from storage.access import is_outsider
from storage.home import HomeData
from storage.series import objectives_by_status
from storage.status import OVERVIEW_PAGE

HOME_LIMIT = 100


def _fit(blocks: list[Block]) -> list[Block]:
    if len(blocks) <= HOME_LIMIT:
        return blocks
    return [*blocks[: HOME_LIMIT - 1], context("…more in `/lp status`")]


def home_view(data: HomeData, now: datetime, *, admin_entry: bool = False) -> View:
    """The Home tab for a member, a lead (plus status) or staff (plus the overview and
    the way into the Programme view)."""
    viewer = data.viewer
    blocks: list[Block] = [HeaderBlock(text=plain("lpbot", 150))]
    if admin_entry:
        blocks.append(programme_button())
    if viewer is None or is_outsider(viewer):
        blocks.append(mrkdwn_section(msg.HELP_OUTSIDER))
        return View(type="home", blocks=blocks)
    for summary in data.partnerships:
        objectives = "\n".join(f"{STATUS_ICON[o.status]} {esc(o.title)}"
                               for o in summary.objectives[:20]) or "_No objectives yet._"
        blocks += [
            mrkdwn_section(f"*{esc(summary.name)}*\n{esc(summary.challenge[:500])}"),
            mrkdwn_section(f"*Objectives*\n{objectives}"),
            ActionsBlock(block_id=f"home_{summary.partnership_id}", elements=[
                ButtonElement(text=plain(msg.BUTTON_CHECKIN), action_id=ids.OPEN_CHECKIN,
                              value=str(summary.partnership_id), style="primary")]),
        ]
    # Two charts at most per surface: staff's programme charts first, else the first led
    # partnership's, else the member's own; the others keep their text lines.
    staff_charts = data.overview is not None
    if viewer.seats:
        blocks.append(DividerBlock())
        if not staff_charts and not data.led and data.partnerships:
            blocks += own_chart(data.partnerships[0].name, data.own_history)
        blocks += own_checkin_blocks(data.own, data.tz)
        if data.cadence is not None:
            blocks += cadence_blocks(data.cadence, data.tz)
    for problem in data.channel_problems:
        blocks.append(mrkdwn_section(msg.HOME_CHANNEL_PROBLEM.format(
            partnership=esc(problem.partnership_name), channel=channel_mention(
                problem.channel_id), error=error_code(problem.error))))
    for index, detail in enumerate(data.led):
        blocks.append(DividerBlock())
        blocks += status_blocks(detail, data.today, now,
                                charts=index == 0 and not staff_charts)
    if data.overview is not None:
        blocks.append(DividerBlock())
        blocks += programme_charts(data.weeks, data.overview, response_chart=False)
        blocks += objectives_chart(objectives_by_status(data.overview))
        blocks.append(ActionsBlock(block_id="pack", elements=[
            ButtonElement(text=plain(msg.BUTTON_PACK), action_id=ids.SEND_PACK)]))
        blocks += overview_blocks(data.overview[:OVERVIEW_PAGE], data.today)
        if len(data.overview) > OVERVIEW_PAGE:
            blocks.append(context(msg.HOME_MORE_PARTNERSHIPS.format(
                more=len(data.overview) - OVERVIEW_PAGE)))
    return View(type="home", blocks=_fit(blocks))
