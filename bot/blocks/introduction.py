"""Common ground in the digest, with its "Introduce them" button; the review modal; and
the introduction posted in the group DM. Every sentence of the introduction flow is here."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ButtonElement,
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    PlainTextInputElement,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.blocks import ids
from bot.blocks.common import clip, context, esc, mrkdwn_section, plain, quoted, typed
from storage.common_ground import CommonGround, IntroDraft, Quote, Voice

MAX_GROUPS = 10
MAX_NAMES = 8
INTRO_LIMIT = 3000
QUOTE_CHARS = 160

INTRODUCE_BUTTON = "Introduce them"
INTRO_TITLE = "Introduce them"
INTRO_SEND = "Send"
INTRO_LABEL = "The introduction (edit it as you like)"
INTRO_WHO = "A group DM with {people} and you, about *{theme}*."
INTRO_LEFT_OUT = "Not included (no lead lpbot can reach, or the DM is full): {names}."
INTRO_NOTE = ("Their words appear as each partnership's sharing setting allows (none under "
              "`off`), and without anyone's name: a lead sees nothing of another "
              "partnership's people.")
INTRO_SENT_ALREADY = "You've already introduced these partnerships on {theme}."
INTRO_STALE = "That introduction is out of date: preview the digest again with `/lp digest`."
INTRO_NO_LEADS = ("I can't introduce them: fewer than two of those partnerships have a lead "
                  "I can reach in Slack.")
INTRO_FAILED = ("Slack didn't let me open the group DM ({error}), so nothing was sent. "
                "Try again in a minute.")
ERR_INTRO_EMPTY = "Write a few words of introduction first."
ERR_INTRO_LONG = "Keep the introduction under {limit} characters."


def _names(names: Sequence[str]) -> str:
    shown = list(names[:MAX_NAMES])
    if len(names) > len(shown):
        shown.append(f"{len(names) - len(shown)} other partnerships")
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def _said(quote: Quote) -> str:
    words = quoted(quote.text, QUOTE_CHARS)
    return f"{esc(quote.author)}: {words}" if quote.author else words


def _voice(voice: Voice) -> str:
    said = "; ".join(_said(q) for q in voice.quotes)
    return f"{esc(voice.partnership)} ({said})" if said else esc(voice.partnership)


def ground_line(group: CommonGround) -> str:
    """One group as staff read it in the digest: who, on what, in their own words."""
    names = [_voice(v) for v in group.voices]
    both = "both" if len(names) == 2 else "all"
    if group.similar:
        return (f"• *Said alike* ({esc(group.theme)}): {_names(names)} describe the same "
                "problem in their own words. Worth connecting them.")
    return (f"• *{esc(group.theme)}*: {_names(names)} {both} report blockers or requests "
            f"on {esc(group.theme)}. Worth connecting them.")


def common_ground_blocks(groups: Sequence[CommonGround]) -> list[Block]:
    """A section per group (at most ten), each with its "Introduce them" button."""
    return [SectionBlock(text=MarkdownTextObject(text=clip(ground_line(g), 2900)),
                         accessory=ButtonElement(text=plain(INTRODUCE_BUTTON),
                                                 action_id=ids.INTRODUCE,
                                                 value=g.ref().to_value()))
            for g in groups[:MAX_GROUPS]]


def ground_markdown(group: CommonGround) -> str:
    """The group for the Markdown digest (no button)."""
    voices = []
    for voice in group.voices:
        said = "; ".join((f"{typed(q.author, markup='markdown')}: " if q.author else "")
                         + quoted(q.text, QUOTE_CHARS, markup="markdown")
                         for q in voice.quotes)
        name = typed(voice.partnership, markup="markdown")
        voices.append(f"{name} ({said})" if said else name)
    label = f"Said alike ({group.theme})" if group.similar else group.theme
    return f"- **{typed(label, markup='markdown')}**: {', '.join(voices)}"


def draft_text(draft: IntroDraft, staff_name: str) -> str:
    """The editable introduction: the partnerships, the theme, and their own words as
    sharing allows, but no member's name: each lead sees nothing of another partnership's
    people (DESIGN §8); the group DM itself shows who is in it. Plain text: it is typed
    into a modal, and posted through the sanitiser."""
    first = staff_name.split()[0] if staff_name.split() else ""
    lines = [f"Hello all, {first} from the programme team here." if first
             else "Hello all, from the programme team here.",
             f"Your partnerships have each raised something on {draft.ref.theme}, so I "
             "thought you should meet:"]
    for voice in draft.voices:
        said = "; ".join(f"\"{clip(q.text, 300)}\"" for q in voice.quotes)
        lines.append(f"- {voice.partnership}" + (f": {said}" if said else ""))
    lines.append("Would a half-hour call in the next couple of weeks help? I'll leave it "
                 "with you.")
    return clip("\n".join(lines), INTRO_LIMIT)


def introduction_modal(draft: IntroDraft, staff_name: str, metadata: str) -> View:
    """Review, edit, send: nothing goes out until the staff member presses Send."""
    people = _names([f"{lead.name} ({lead.partnership})" for lead in draft.leads])
    blocks: list[Block] = [mrkdwn_section(INTRO_WHO.format(people=esc(people),
                                                           theme=esc(draft.ref.theme)))]
    if draft.left_out:
        blocks.append(context(INTRO_LEFT_OUT.format(names=esc(_names(draft.left_out)))))
    blocks += [
        InputBlock(block_id=ids.B_INTRO_TEXT, label=plain(INTRO_LABEL, 2000),
                   element=PlainTextInputElement(
                       action_id=ids.VALUE, multiline=True, max_length=INTRO_LIMIT,
                       initial_value=draft_text(draft, staff_name))),
        context(INTRO_NOTE),
    ]
    return View(type="modal", callback_id=ids.INTRO_VIEW, title=plain(INTRO_TITLE, 24),
                submit=plain(INTRO_SEND, 24), close=plain("Cancel", 24), blocks=blocks,
                private_metadata=metadata)


def introduction_message(text: str) -> dict[str, Any]:
    """The introduction as posted: what the staff member wrote, line by line through the
    one sanitiser (no mention, link or markup passes), within Slack's limits."""
    lines = [typed(line) for line in text.splitlines() if line.strip()]
    body = "\n".join(lines) or typed(text)
    blocks: list[Block] = [mrkdwn_section(body)]
    blocks.append(ContextBlock(elements=[MarkdownTextObject(
        text="Sent by lpbot for the programme team.")]))
    return {"text": clip(" ".join(lines), 300) or "An introduction",
            "blocks": [b.to_dict() for b in blocks]}
