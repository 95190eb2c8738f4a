"""The staff overview's "More" and "Previous" buttons: the next page replaces the last."""

from __future__ import annotations

from typing import Any

from slack_bolt import Respond

from bot.blocks.status import overview_page_blocks, refusal_text
from bot.shell.deps import Deps
from handlers.common import int_value, logger, user_id
from storage.access import viewer
from storage.status import Refusal, staff_overview


def show_page(deps: Deps, body: dict[str, Any], respond: Respond) -> None:
    """Staff only, checked again on every click; the page number is only a request."""
    actions = body.get("actions")
    action = actions[0] if isinstance(actions, list) and actions and \
        isinstance(actions[0], dict) else {}
    slack_id = user_id(body)
    page = int_value(action.get("value")) or 1
    view = staff_overview(deps.db, viewer(deps.db, slack_id), page, deps.clock())
    if isinstance(view, Refusal):
        logger.warning("refused overview page user=%s", slack_id)
        respond(text=refusal_text(view), response_type="ephemeral", replace_original=False)
        return
    respond(text="Status", blocks=overview_page_blocks(view), response_type="ephemeral",
            replace_original=True)
