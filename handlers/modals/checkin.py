"""The check-in modal's submission, and the chooser for members of several partnerships."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.blocks import ids
from bot.blocks import messages as msg
from bot.blocks.checkin import confirmation_blocks, confirmation_text, not_saved_blocks
from bot.shell.deps import Deps
from handlers.common import (
    Guarded,
    deps_of,
    dm,
    int_value,
    log_id,
    logger,
    user_id,
)
from handlers.home import publish_home
from handlers.modals.state import choice, text, values
from handlers.views import checkin_view, claim_or_refuse, claimed
from storage.access import viewer
from storage.checkin_edits import RoundClosed
from storage.checkins import (
    TEXT_LIMIT,
    CheckinInput,
    CheckinRejected,
    CheckinSuperseded,
    ObjectiveAnswer,
    Outcome,
    submit_checkin,
)
from storage.db import StorageError
from storage.forms import checkin_form
from storage.insight import OBJECTIVE_STATUSES

NOTE_LIMIT = 500
FREE_TEXT = (ids.B_HIGHLIGHTS, ids.B_BLOCKERS, ids.B_HELP_TEXT, ids.B_NEXT,
             ids.B_OBJECTIVE_NOTES)



def refused_words(error: CheckinRejected) -> str:
    """What the modal says, on the field, when storage refused a check-in (the new and the
    edit path alike): its round closed, a newer answer came first, or it is out of date."""
    if isinstance(error, RoundClosed):
        return msg.ROUND_CLOSED
    if isinstance(error, CheckinSuperseded):
        return msg.ERR_SUPERSEDED
    return msg.ERR_STALE

def parse_checkin(view: dict[str, Any]) -> tuple[CheckinInput | None, dict[str, str]]:
    """Answers from the modal, or the inline errors to show (block id -> message)."""
    state = values(view)
    errors: dict[str, str] = {}
    momentum = int_value(choice(state, ids.B_MOMENTUM))
    if momentum is None or not 1 <= momentum <= 5:
        errors[ids.B_MOMENTUM] = msg.ERR_MOMENTUM
    texts = {b: text(state, b, TEXT_LIMIT) for b in FREE_TEXT}
    for block_id, answer in texts.items():
        if len(answer) > TEXT_LIMIT:
            errors[block_id] = msg.ERR_TOO_LONG.format(limit=TEXT_LIMIT)
    objectives = _objective_answers(state, errors)
    help_wanted = choice(state, ids.B_HELP) == "yes"
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


def _objective_answers(state: dict[str, dict[str, Any]], errors: dict[str, str]
                       ) -> dict[int, ObjectiveAnswer]:
    objectives: dict[int, ObjectiveAnswer] = {}
    for block_id in state:
        if not block_id.startswith(ids.B_OBJECTIVE):
            continue
        objective_id = int_value(block_id[len(ids.B_OBJECTIVE):])
        status = choice(state, block_id)
        if objective_id is None or (status is not None and status not in OBJECTIVE_STATUSES):
            errors[block_id] = msg.ERR_STALE
            continue
        if status is not None:
            note = text(state, f"{ids.B_OBJECTIVE_NOTE}{objective_id}", NOTE_LIMIT)
            objectives[objective_id] = ObjectiveAnswer(status, note[:NOTE_LIMIT])
    return objectives


def handle_checkin_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any],
                              client: WebClient, context: BoltContext) -> None:
    """Validate in the ack (inline errors), then store on the answer pool, so that no
    check-in's database work delays anyone's ack. The form closes once the answers are
    handed over; if they can't be (the pool is full), it stays open with them, saying so.
    Stored exactly once (by the view's id, however often it runs) or the member is told
    by DM, their answers given back (``store_checkin``)."""
    deps = deps_of(context)
    sealed = claim_or_refuse(deps, ack, body, view, "checkin", ids.B_MOMENTUM)
    if sealed is None:
        return
    slack_id, claim, where = sealed
    if claim.partnership_id is None:
        ack(response_action="errors", errors={where: msg.NOT_YOUR_PARTNERSHIP})
        return
    data, errors = parse_checkin(view)
    if data is None:
        ack(response_action="errors", errors=errors)
        return
    if not deps.answers.submit(Guarded("check-in", store_checkin, again=True), deps=deps,
                               client=client, slack_id=slack_id,
                               partnership_id=claim.partnership_id,
                               data=replace(data, base=claim.base), home=claim.home):
        ack(response_action="errors", errors={where: msg.BUSY_FORM})
        return
    ack()


def store_checkin(deps: Deps, client: WebClient, slack_id: str, partnership_id: int,
                  data: CheckinInput, home: bool = False) -> None:
    """Store a submitted check-in once and confirm it; a refusal or a failure is told to
    the member by DM with their answers (the form closed when it was handed over).
    ``home``: the form came from the App Home tab, so the Home is refreshed."""
    try:
        who = viewer(deps.db, slack_id)
        if who is None or not who.is_member_of(partnership_id):
            logger.warning("refused check-in user=%s partnership=%s", log_id(slack_id),
                           partnership_id)
            return tell_not_saved(client, slack_id, "not_member", data, None)
        seat = who.seat(partnership_id)
        outcome, queued = submit_checkin(
            deps.db, person_id=who.person_id, slack_id=slack_id,
            partnership_id=partnership_id, data=data, now=deps.clock(),
            confirmation=lambda result, momentum: confirmation_text(
                result is Outcome.STORED, who.name, seat.name if seat else "", momentum),
            confirmation_blocks=confirmation_blocks)
    except CheckinRejected as error:
        reason = refusal_reason(error)
        logger.warning("refused %s check-in user=%s view=%s", reason, log_id(slack_id),
                       log_id(data.view_id))
        return tell_not_saved(client, slack_id, reason, data, partnership_id)
    except StorageError:
        logger.exception("check-in not stored user=%s", log_id(slack_id))
        return tell_not_saved(client, slack_id, "unreachable", data, partnership_id)
    logger.info("check-in %s user=%s partnership=%s", outcome.value, log_id(slack_id),
                partnership_id)
    if outcome is not Outcome.DUPLICATE:
        deps.fault.reach("checkin_stored")
    confirm(deps, client, slack_id, queued,
            refresh_home=home and outcome is not Outcome.DUPLICATE)


def refusal_reason(error: CheckinRejected) -> str:
    """Which ``NOT_SAVED_REASONS`` a refusal by storage is."""
    if isinstance(error, RoundClosed):
        return "closed"
    return "superseded" if isinstance(error, CheckinSuperseded) else "stale"


def tell_not_saved(client: WebClient, slack_id: str, reason: str, data: CheckinInput,
                   partnership_id: int | None) -> None:
    """DM the member that their check-in was not saved, and why, with what they typed."""
    answers = [(msg.MOMENTUM_LABEL, msg.MOMENTUM_OPTIONS.get(data.momentum, "")),
               (msg.HIGHLIGHTS_LABEL, data.highlights), (msg.BLOCKERS_LABEL, data.blockers),
               (msg.HELP_TEXT_LABEL, data.help_text), (msg.NEXT_LABEL, data.next_steps),
               *((msg.NOTE_LABEL, answer.note) for answer in data.objectives.values())]
    reason_text = msg.NOT_SAVED_REASONS[reason]
    dm(client, slack_id, msg.NOT_SAVED.format(reason=reason_text),
       not_saved_blocks(reason_text, answers, partnership_id))


def confirm(deps: Deps, client: WebClient, slack_id: str, queued: list[int],
            refresh_home: bool) -> None:
    """Send the queued confirmation now (the scheduler sends it otherwise), and refresh the
    member's Home when they are looking at it. Anywhere else the Home needs no publish:
    Slack sends app_home_opened each time someone enters it, and it is built afresh then
    (a Home refresh was most of the work of a check-in)."""
    if queued:
        deps.send_now(queued)
    if refresh_home:
        publish_home(deps, client, slack_id)


def handle_partnership_choice(ack: Ack, body: dict[str, Any], view: dict[str, Any],
                              context: BoltContext) -> None:
    """A member of several partnerships picked one: the check-in replaces the chooser."""
    deps = deps_of(context)
    slack_id = user_id(body)
    chooser = claimed(deps, view, "choose", slack_id)
    if chooser is None:
        ack(response_action="errors", errors={ids.B_PARTNERSHIP: msg.ERR_NOT_YOUR_VIEW})
        return
    who = viewer(deps.db, slack_id)
    chosen = int_value(choice(values(view), ids.B_PARTNERSHIP))
    if who is None or chosen is None or not who.is_member_of(chosen):
        ack(response_action="errors", errors={ids.B_PARTNERSHIP: msg.ERR_PICK_PARTNERSHIP})
        return
    form = checkin_form(deps.db, who.person_id, chosen, deps.clock())
    ack(response_action="update", view=checkin_view(deps, slack_id, form, home=chooser.home))
