"""The check-in modal, the partnership chooser, the prompt DM and the confirmation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    DividerBlock,
    InputBlock,
    PlainTextInputElement,
    PlainTextObject,
    RadioButtonsElement,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.blocks import ids
from bot.blocks import messages as msg
from bot.blocks.common import clip, context, esc, mrkdwn_section, option, plain, typed
from bot.blocks.sharing import modal_sharing_line
from storage.forms import CheckinForm, CheckinPrefill, ObjectiveChoice

TEXT_LIMIT = 3000
NOTE_LIMIT = 500
# A modal holds 100 blocks; the fixed questions take 9, an objective 2 (status and note),
# or 1 once notes are grouped into one field.
FIXED_BLOCKS = 10
WITH_NOTES = (100 - FIXED_BLOCKS) // 2
GROUPED = 100 - FIXED_BLOCKS - 1
ANSWER_ROOM = 2900  # of a section's 3,000 characters, after the answer's label
MESSAGE_BLOCKS = 50  # a message holds 50 blocks


def _text_input(block_id: str, label: str, initial: str, *, optional: bool = True,
                multiline: bool = True, limit: int = TEXT_LIMIT) -> InputBlock:
    return InputBlock(
        block_id=block_id, label=plain(label, 2000), optional=optional,
        element=PlainTextInputElement(action_id=ids.VALUE, multiline=multiline,
                                      max_length=limit,
                                      initial_value=clip(initial, limit) or None))


def checkin_form_modal(form: CheckinForm, metadata: str,
                       callback_id: str = ids.CHECKIN_VIEW) -> View:
    """The check-in modal for a form storage prepared; ``metadata`` is the sealed claim;
    ``callback_id`` tells a new check-in from an edit of one."""
    return checkin_modal(partnership_name=form.partnership_name, challenge=form.challenge,
                         objectives=form.objectives, prefill=form.prefill, metadata=metadata,
                         shared=modal_sharing_line(form.sharing, form.channel_id),
                         callback_id=callback_id)


def checkin_modal(*, partnership_name: str, challenge: str,
                  objectives: Sequence[ObjectiveChoice],
                  prefill: CheckinPrefill | None = None, metadata: str = "",
                  shared: str | None = None, callback_id: str = ids.CHECKIN_VIEW) -> View:
    """The check-in modal; it fits Slack's 100 blocks whatever the number of objectives.
    ``shared`` is the one line saying what the partnership channel will see."""
    prefill = prefill or CheckinPrefill()
    blocks: list[Block] = [
        mrkdwn_section(f"*{esc(partnership_name)}*\n{esc(clip(challenge, 600))}"),
    ]
    total = len(objectives)
    grouped = total > WITH_NOTES
    shown = objectives[:GROUPED] if grouped else objectives
    if not objectives:
        blocks.append(context(msg.NO_OBJECTIVES_IN_MODAL))
    for objective in shown:
        options = [option(label, value) for value, label in msg.STATUS_OPTIONS.items()]
        initial = next((o for o in options if o.value == objective.status), None)
        blocks.append(InputBlock(
            block_id=f"{ids.B_OBJECTIVE}{objective.objective_id}",
            label=plain(objective.title, 2000), optional=True,
            element=StaticSelectElement(action_id=ids.VALUE, placeholder=plain("Status"),
                                        options=options, initial_option=initial)))
        if not grouped:
            blocks.append(_text_input(f"{ids.B_OBJECTIVE_NOTE}{objective.objective_id}",
                                      msg.NOTE_LABEL, "", multiline=False, limit=NOTE_LIMIT))
    if grouped:
        blocks.append(_text_input(ids.B_OBJECTIVE_NOTES, msg.NOTES_LABEL, ""))
    if len(shown) < total:
        blocks.append(context(msg.TOO_MANY_OBJECTIVES.format(total=total, shown=len(shown))))
    momentum_options = [option(label, str(v)) for v, label in msg.MOMENTUM_OPTIONS.items()]
    blocks += [
        DividerBlock(),
        InputBlock(block_id=ids.B_MOMENTUM, label=plain(msg.MOMENTUM_LABEL, 2000),
                   element=RadioButtonsElement(
                       action_id=ids.VALUE, options=momentum_options,
                       initial_option=next((o for o in momentum_options
                                            if o.value == str(prefill.momentum)), None))),
        _text_input(ids.B_HIGHLIGHTS, msg.HIGHLIGHTS_LABEL, prefill.highlights),
        _text_input(ids.B_BLOCKERS, msg.BLOCKERS_LABEL, prefill.blockers),
        InputBlock(block_id=ids.B_HELP, label=plain(msg.HELP_LABEL, 2000), optional=True,
                   element=RadioButtonsElement(
                       action_id=ids.VALUE,
                       options=[option(msg.HELP_YES, "yes"), option(msg.HELP_NO, "no")],
                       initial_option=option(msg.HELP_YES if prefill.help_wanted else
                                             msg.HELP_NO,
                                             "yes" if prefill.help_wanted else "no"))),
        _text_input(ids.B_HELP_TEXT, msg.HELP_TEXT_LABEL, prefill.help_text),
        _text_input(ids.B_NEXT, msg.NEXT_LABEL, prefill.next_steps),
    ]
    if shared:
        blocks.append(context(shared))
    return View(type="modal", callback_id=callback_id, title=plain(msg.CHECKIN_TITLE, 24),
                submit=plain(msg.SUBMIT, 24), close=plain(msg.CANCEL, 24), blocks=blocks,
                private_metadata=metadata)


def choose_partnership_modal(choices: Sequence[tuple[int, str]], metadata: str = "") -> View:
    """Asked first when a member belongs to several partnerships."""
    return View(
        type="modal", callback_id=ids.CHOOSE_VIEW, title=plain(msg.CHOOSE_TITLE, 24),
        private_metadata=metadata,
        submit=plain(msg.NEXT, 24), close=plain(msg.CANCEL, 24),
        blocks=[InputBlock(block_id=ids.B_PARTNERSHIP, label=plain(msg.CHOOSE_TITLE),
                           element=StaticSelectElement(
                               action_id=ids.VALUE, placeholder=plain("Partnership"),
                               options=[option(name, str(pid)) for pid, name in choices[:100]]))])


def progress_text(answered: int, eligible: int) -> str:
    """"3 of 5 in your partnership have checked in": the nudge that works."""
    if answered <= 0:
        return msg.REMINDER_FIRST
    return (msg.REMINDER_PROGRESS_ONE if answered == 1 else msg.REMINDER_PROGRESS).format(
        answered=answered, eligible=max(eligible, answered))


def prompt_blocks(*, partnership_id: int, partnership_name: str, lull: str | None = None,
                  report_back_days: int | None = None, reminder: bool = False,
                  progress: tuple[int, int] | None = None) -> list[Block]:
    """The DM that asks for a check-in; in a lull the one-click pulse comes first; a
    reminder says how many colleagues have answered (the figures `/lp status` shows)."""
    name = esc(partnership_name)
    if reminder:
        text = msg.REMINDER_TEXT.format(partnership=name)
        if progress is not None:
            text += " " + progress_text(*progress)
    elif report_back_days is not None:
        text = msg.PROMPT_REPORT_BACK.format(days=report_back_days, partnership=name)
    elif lull:
        text = msg.PROMPT_LULL.format(lull=esc(lull), partnership=name)
    else:
        text = msg.PROMPT_TEXT.format(partnership=name)
    value = str(partnership_id)
    pulse = [ButtonElement(text=plain(str(score)), action_id=ids.pulse_action(score),
                           value=value) for score in range(1, 6)]
    main = ActionsBlock(block_id="prompt", elements=[
        ButtonElement(text=plain(msg.BUTTON_CHECKIN), action_id=ids.OPEN_CHECKIN, value=value,
                      style="primary"),
        ButtonElement(text=plain(msg.BUTTON_SNOOZE), action_id=ids.SNOOZE, value=value),
    ])
    pulse_blocks: list[Block] = [context(msg.PULSE_LABEL), ActionsBlock(block_id="pulse",
                                                                         elements=pulse)]
    ordered = [*pulse_blocks, main] if lull else [main, *pulse_blocks]
    return [mrkdwn_section(text), *ordered]


def answered_blocks(text: str, partnership_id: int) -> list[Block]:
    """What a prompt turns into once answered: thanks, and a way to add detail."""
    return [mrkdwn_section(text), ActionsBlock(block_id="answered", elements=[
        ButtonElement(text=plain(msg.PULSE_ADD_DETAIL), action_id=ids.OPEN_CHECKIN,
                      value=str(partnership_id))])]


def confirmation_text(stored: bool, name: str, partnership: str, momentum: int) -> str:
    """The DM confirming a check-in (``stored``) or its amendment."""
    template = msg.CONFIRM_STORED if stored else msg.CONFIRM_AMENDED
    return template.format(name=esc(name.split()[0] if name.split() else name),
                           partnership=esc(partnership), momentum=momentum)


def confirmation_blocks(text: str, checkin_id: int) -> list[dict[str, Any]]:
    """The confirmation with a button to edit the check-in (until its round closes)."""
    return [b.to_dict() for b in (
        mrkdwn_section(text), context(msg.EDIT_CHECKIN_HINT),
        ActionsBlock(block_id="confirmed", elements=[
            ButtonElement(text=plain(msg.EDIT_CHECKIN_BUTTON), action_id=ids.EDIT_CHECKIN,
                          value=str(checkin_id))]))]


def not_saved_blocks(reason: str, answers: Sequence[tuple[str, str]],
                     partnership_id: int | None) -> list[dict[str, Any]]:
    """The DM telling a member their check-in was not saved (the form has closed by then),
    with each answer they typed given back as plain text, and the way to check in again."""
    blocks: list[Block] = [mrkdwn_section(msg.NOT_SAVED.format(reason=reason))]
    blocks += [SectionBlock(text=PlainTextObject(
        text=f"{label}: {typed(answer, ANSWER_ROOM, markup='plain')}", emoji=False))
        for label, answer in answers if answer.strip()][:MESSAGE_BLOCKS - 2]
    if partnership_id is not None:
        blocks.append(ActionsBlock(block_id="not_saved", elements=[
            ButtonElement(text=plain(msg.BUTTON_CHECKIN), action_id=ids.OPEN_CHECKIN,
                          value=str(partnership_id), style="primary")]))
    return [b.to_dict() for b in blocks]
