"""The leads' modal for the challenge statement and objectives: add, reword, retire."""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import Block, InputBlock, PlainTextInputElement
from slack_sdk.models.views import View

from bot.blocks import ids
from bot.blocks import messages as msg
from bot.blocks.common import clip, context, plain
from storage.forms import ObjectiveChoice, ObjectivesForm

NEW_SLOTS = 3
TITLE_LIMIT = 300


def objectives_form_modal(form: ObjectivesForm, metadata: str) -> View:
    """The objectives editor for a form storage prepared; ``metadata`` is the sealed claim."""
    return objectives_modal(challenge=form.challenge, objectives=form.objectives,
                            metadata=metadata)


def objectives_modal(*, challenge: str, objectives: Sequence[ObjectiveChoice],
                     metadata: str = "") -> View:
    """Each objective is a text field: edit to reword, empty it to retire (history is kept)."""
    blocks: list[Block] = [
        InputBlock(block_id=ids.B_CHALLENGE, label=plain("Challenge statement", 2000),
                   element=PlainTextInputElement(action_id=ids.VALUE, multiline=True,
                                                 max_length=2000,
                                                 initial_value=clip(challenge, 2000) or None)),
        context("Reword an objective by editing it; empty it to retire it. Past check-ins "
                "keep every wording."),
    ]
    for objective in objectives[:90]:
        blocks.append(InputBlock(
            block_id=f"{ids.B_OBJECTIVE_TITLE}{objective.objective_id}", optional=True,
            label=plain(f"Objective {len(blocks) - 1}", 2000),
            element=PlainTextInputElement(action_id=ids.VALUE, max_length=TITLE_LIMIT,
                                          initial_value=objective.title)))
    for slot in range(min(NEW_SLOTS, 98 - len(blocks))):
        blocks.append(InputBlock(
            block_id=f"{ids.B_NEW_OBJECTIVE}{slot}", optional=True,
            label=plain("New objective", 2000),
            element=PlainTextInputElement(action_id=ids.VALUE, max_length=TITLE_LIMIT)))
    return View(type="modal", callback_id=ids.OBJECTIVES_VIEW,
                title=plain(msg.OBJECTIVES_TITLE, 24), submit=plain(msg.SAVE, 24),
                close=plain(msg.CANCEL, 24), blocks=blocks,
                private_metadata=metadata)
