"""Modal submissions: the check-in, the partnership chooser, the objectives editor."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.exc import SQLAlchemyError

from bot.blocks import ids
from bot.blocks import messages as msg
from bot.blocks.common import esc
from bot.render import checkin_view_for
from bot.shell.deps import Deps
from handlers.actions import publish_home
from handlers.common import (
    clean_text,
    dm,
    int_value,
    logger,
    metadata_partnership,
    user_id,
    viewer_for,
)
from storage.access import Viewer
from storage.checkins import TEXT_LIMIT, CheckinInput, CheckinRejected, ObjectiveAnswer, Outcome
from storage.checkins import record_checkin as store_checkin
from storage.models import OBJECTIVE_STATUSES
from storage.objectives import ObjectiveEdit, edit_objectives
from storage.outbox import pending_with_prefix, queue_message

OBJECTIVE_LIMIT = 300


def _values(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """block_id -> the single element's state, whatever shape Slack sent."""
    state = view.get("state") or {}
    values = state.get("values") if isinstance(state, dict) else None
    out: dict[str, dict[str, Any]] = {}
    if isinstance(values, dict):
        for block_id, actions in values.items():
            if isinstance(actions, dict) and actions:
                element = next(iter(actions.values()))
                if isinstance(element, dict):
                    out[str(block_id)] = element
    return out


def _text(values: dict[str, dict[str, Any]], block_id: str, limit: int = TEXT_LIMIT) -> str:
    return clean_text((values.get(block_id) or {}).get("value"), limit + 1)


def _choice(values: dict[str, dict[str, Any]], block_id: str) -> str | None:
    option = (values.get(block_id) or {}).get("selected_option")
    return str(option.get("value")) if isinstance(option, dict) else None


def parse_checkin(view: dict[str, Any]) -> tuple[CheckinInput | None, dict[str, str]]:
    """Answers from the modal, or the inline errors to show (block id -> message)."""
    values = _values(view)
    errors: dict[str, str] = {}
    momentum = int_value(_choice(values, ids.B_MOMENTUM))
    if momentum is None or not 1 <= momentum <= 5:
        errors[ids.B_MOMENTUM] = msg.ERR_MOMENTUM
    texts = {b: _text(values, b) for b in (ids.B_HIGHLIGHTS, ids.B_BLOCKERS, ids.B_HELP_TEXT,
                                           ids.B_NEXT, ids.B_OBJECTIVE_NOTES)}
    for block_id, text in texts.items():
        if len(text) > TEXT_LIMIT:
            errors[block_id] = msg.ERR_TOO_LONG.format(limit=TEXT_LIMIT)
    objectives: dict[int, ObjectiveAnswer] = {}
    for block_id in values:
        if not block_id.startswith(ids.B_OBJECTIVE):
            continue
        objective_id = int_value(block_id[len(ids.B_OBJECTIVE):])
        status = _choice(values, block_id)
        if objective_id is None or (status is not None and status not in OBJECTIVE_STATUSES):
            errors[block_id] = msg.ERR_STALE
            continue
        if status is not None:
            note = _text(values, f"{ids.B_OBJECTIVE_NOTE}{objective_id}", 500)[:500]
            objectives[objective_id] = ObjectiveAnswer(status, note)
    help_wanted = _choice(values, ids.B_HELP) == "yes"
    if any(a.status == "stalled" for a in objectives.values()) and not texts[ids.B_BLOCKERS]:
        errors[ids.B_BLOCKERS] = msg.ERR_BLOCKERS_NEEDED
    if help_wanted and not texts[ids.B_HELP_TEXT]:
        errors[ids.B_HELP_TEXT] = msg.ERR_HELP_NEEDED
    if errors or momentum is None:
        return None, errors
    next_steps = texts[ids.B_NEXT]
    if texts[ids.B_OBJECTIVE_NOTES]:
        next_steps = (next_steps + "\n\nNotes on objectives: " + texts[ids.B_OBJECTIVE_NOTES]
                      ).strip()[:TEXT_LIMIT]
    return CheckinInput(
        momentum=momentum, source="modal", highlights=texts[ids.B_HIGHLIGHTS],
        blockers=texts[ids.B_BLOCKERS], help_wanted=help_wanted,
        help_text=texts[ids.B_HELP_TEXT] if help_wanted else "", next_steps=next_steps,
        objectives=objectives, view_id=str(view.get("id") or "") or None), {}


def _first_block(view: dict[str, Any], preferred: str) -> str:
    """A block id that exists in the view, to hang a general error on."""
    block_ids = [b.get("block_id") for b in view.get("blocks", []) if b.get("type") == "input"]
    return preferred if preferred in block_ids else (block_ids[0] if block_ids else preferred)


def _store_and_queue_confirmation(deps: Deps, viewer: Viewer, partnership_id: int,
                                  data: CheckinInput) -> tuple[Outcome, list[int]]:
    """Store the check-in and queue its confirmation in one transaction, so the
    confirmation exists exactly when the check-in does and is sent once even if the
    process dies right after; a replay finds the confirmation still waiting, if it is."""
    with deps.session_factory.begin() as session:
        now = deps.clock()
        checkin, outcome = store_checkin(session, person_id=viewer.person_id,
                                         partnership_id=partnership_id, data=data, now=now)
        prefix = f"confirm:{checkin.id}:"
        if outcome is Outcome.DUPLICATE:
            return outcome, pending_with_prefix(session, prefix)
        seat = viewer.seat(partnership_id)
        template = msg.CONFIRM_STORED if outcome is Outcome.STORED else msg.CONFIRM_AMENDED
        text = template.format(name=esc(viewer.name.split()[0]),
                               partnership=esc(seat.name if seat else ""),
                               momentum=checkin.momentum)
        row = queue_message(session, kind="confirm", recipient=viewer.slack_id,
                            dedupe_key=f"{prefix}{data.view_id or now.isoformat()}",
                            payload={"text": text}, now=now)
        return outcome, [row] if row else []


def register(app: App, deps: Deps) -> None:
    @app.view(ids.CHECKIN_VIEW)
    def handle_checkin_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any],
                                  client: WebClient) -> None:
        slack_id = user_id(body)
        partnership_id = metadata_partnership(view)
        where = _first_block(view, ids.B_MOMENTUM)
        try:
            viewer = viewer_for(deps, slack_id)
        except SQLAlchemyError:
            logger.exception("check-in lookup failed user=%s", slack_id)
            ack(response_action="errors", errors={where: msg.ERR_NOT_SAVED})
            return
        if viewer is None or partnership_id is None or not viewer.is_member_of(partnership_id):
            logger.warning("refused check-in user=%s partnership=%s", slack_id, partnership_id)
            ack(response_action="errors", errors={where: msg.NOT_YOUR_PARTNERSHIP})
            return
        data, errors = parse_checkin(view)
        if data is None:
            ack(response_action="errors", errors=errors)
            return
        try:
            outcome, queued = _store_and_queue_confirmation(deps, viewer, partnership_id, data)
        except CheckinRejected:
            ack(response_action="errors", errors={where: msg.ERR_STALE})
            return
        except SQLAlchemyError:
            logger.exception("check-in not stored user=%s", slack_id)
            ack(response_action="errors", errors={where: msg.ERR_NOT_SAVED})
            return
        deps.fault.reach("checkin_stored")
        ack()
        logger.info("check-in %s user=%s partnership=%s", outcome.value, slack_id,
                    partnership_id)
        if queued:
            deps.send_now(queued)
        if outcome is not Outcome.DUPLICATE:
            publish_home(deps, client, slack_id)

    @app.view(ids.CHOOSE_VIEW)
    def handle_choice(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        slack_id = user_id(body)
        chosen = int_value(_choice(_values(view), ids.B_PARTNERSHIP))
        viewer = viewer_for(deps, slack_id)
        if viewer is None or chosen is None or not viewer.is_member_of(chosen):
            ack(response_action="errors", errors={ids.B_PARTNERSHIP: msg.ERR_PICK_PARTNERSHIP})
            return
        with deps.session_factory.begin() as session:
            modal = checkin_view_for(session, viewer, chosen, deps.clock())
        ack(response_action="update", view=modal)

    @app.view(ids.OBJECTIVES_VIEW)
    def handle_objectives(ack: Ack, body: dict[str, Any], view: dict[str, Any],
                          client: WebClient) -> None:
        slack_id = user_id(body)
        partnership_id = metadata_partnership(view)
        viewer = viewer_for(deps, slack_id)
        where = _first_block(view, ids.B_CHALLENGE)
        if viewer is None or partnership_id is None or not (
                viewer.is_staff or viewer.leads(partnership_id)):
            logger.warning("refused objectives edit user=%s partnership=%s", slack_id,
                           partnership_id)
            ack(response_action="errors", errors={where: msg.NOT_YOUR_PARTNERSHIP})
            return
        values = _values(view)
        titles: dict[int, str] = {}
        errors: dict[str, str] = {}
        for block_id in values:
            if block_id.startswith((ids.B_OBJECTIVE_TITLE, ids.B_NEW_OBJECTIVE)):
                if len(_text(values, block_id, OBJECTIVE_LIMIT)) > OBJECTIVE_LIMIT:
                    errors[block_id] = msg.ERR_OBJECTIVE_TOO_LONG
            if block_id.startswith(ids.B_OBJECTIVE_TITLE):
                objective_id = int_value(block_id[len(ids.B_OBJECTIVE_TITLE):])
                if objective_id is None:
                    errors[block_id] = msg.ERR_STALE
                else:
                    titles[objective_id] = _text(values, block_id, OBJECTIVE_LIMIT)
        challenge = _text(values, ids.B_CHALLENGE, 2000)
        if errors:
            ack(response_action="errors", errors=errors)
            return
        new = [_text(values, b, OBJECTIVE_LIMIT) for b in values
               if b.startswith(ids.B_NEW_OBJECTIVE)]
        try:
            with deps.session_factory.begin() as session:
                result = edit_objectives(session, partnership_id=partnership_id,
                                         edit=ObjectiveEdit(challenge, titles, new),
                                         by=slack_id, now=deps.clock())
        except ValueError:
            ack(response_action="errors", errors={where: msg.ERR_STALE})
            return
        except SQLAlchemyError:
            logger.exception("objectives not stored user=%s", slack_id)
            ack(response_action="errors", errors={where: msg.ERR_NOT_SAVED})
            return
        ack()
        dm(client, slack_id, msg.OBJECTIVES_SAVED.format(
            added=result.added, reworded=result.reworded, retired=result.retired))
        publish_home(deps, client, slack_id)
