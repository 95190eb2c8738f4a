"""Common ground across partnerships: blockers and help requests on the same theme, found
by the programme's keywords and by text similarity, with each partnership's own words as
far as its sharing allows. A pure rule over plain values; the digest and the
introductions both use it, so staff introduce exactly the group the digest showed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol

from storage.insight import Theme, tag_themes, theme_patterns
from storage.sharing import Sharing, shows_names, shows_text
from storage.similarity import similar_groups

MAX_INTRODUCED = 7  # a group DM holds at most 8 people: the staff member and 7 leads
QUOTES_PER_PARTNERSHIP = 2
NO_DETAIL = "(no detail given)"
THEME_CHARS = 100  # a theme is a label, and it travels in a button's value
Field = Literal["b", "h"]  # a check-in's blockers or its help request


class NoteLike(Protocol):
    """What common ground needs of a note (storage.notes.Note is one)."""

    @property
    def partnership_id(self) -> int: ...
    @property
    def partnership(self) -> str: ...
    @property
    def person(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def submitted_at(self) -> datetime: ...
    @property
    def checkin_id(self) -> int: ...
    @property
    def sharing(self) -> Sharing: ...


@dataclass(frozen=True)
class Quote:
    """A partnership's own words, where they are kept, and who wrote them (``full`` only)."""

    checkin_id: int
    field: Field
    text: str
    author: str | None = None


@dataclass(frozen=True)
class Voice:
    """One partnership in a group: its words are empty when its sharing is ``off``."""

    partnership_id: int
    partnership: str
    quotes: tuple[Quote, ...] = ()


def theme_label(theme: str) -> str:
    """A theme as groups carry it: trimmed, and short enough to be a label."""
    return theme.strip()[:THEME_CHARS].strip()


@dataclass(frozen=True)
class GroupRef:
    """What an "Introduce them" button carries: the theme, the partnerships, the quotes."""

    theme: str
    partnership_ids: tuple[int, ...]
    quotes: tuple[tuple[int, Field], ...] = ()

    @property
    def key(self) -> str:
        """The same group (theme and partnerships, whatever order) always has this key."""
        canonical = json.dumps([self.theme, sorted(self.partnership_ids)])
        return hashlib.sha256(canonical.encode()).hexdigest()[:20]

    def to_value(self) -> str:
        """The button's value, within Slack's 2,000 characters whatever the group holds:
        ids, at most seven partnerships' quote references and a theme clipped to a label."""
        ids = list(self.partnership_ids[:MAX_INTRODUCED])
        quotes = [list(q) for q in self.quotes[:2 * MAX_INTRODUCED * 2]]
        return json.dumps({"t": theme_label(self.theme), "p": ids, "q": quotes},
                          separators=(",", ":"))

    @classmethod
    def from_value(cls, value: Any) -> GroupRef | None:
        """The reference in a button's value, or None when it is not one lpbot could make."""
        try:
            data = json.loads(value) if isinstance(value, str) else None
        except ValueError:
            return None
        if not isinstance(data, dict) or not isinstance(data.get("t"), str):
            return None
        ids, quotes = data.get("p"), data.get("q", [])
        if (not isinstance(ids, list) or not 2 <= len(ids) <= MAX_INTRODUCED
                or any(type(i) is not int for i in ids) or len(set(ids)) != len(ids)
                or not isinstance(quotes, list) or len(quotes) > 2 * MAX_INTRODUCED * 2):
            return None
        parsed: list[tuple[int, Field]] = []
        for quote in quotes:
            if (not isinstance(quote, list) or len(quote) != 2 or type(quote[0]) is not int
                    or quote[1] not in ("b", "h")):
                return None
            parsed.append((quote[0], "b" if quote[1] == "b" else "h"))
        theme = theme_label(data["t"])
        return cls(theme, tuple(ids), tuple(parsed)) if theme else None


@dataclass(frozen=True)
class CommonGround:
    """Two or more partnerships reporting the same theme; ``similar`` when found by text
    similarity rather than by a configured keyword."""

    theme: str
    voices: tuple[Voice, ...]
    mentions: int
    similar: bool = False

    @property
    def partnerships(self) -> tuple[str, ...]:
        return tuple(v.partnership for v in self.voices)

    def ref(self) -> GroupRef:
        introduced = self.voices[:MAX_INTRODUCED]
        return GroupRef(self.theme, tuple(v.partnership_id for v in introduced),
                        tuple((q.checkin_id, q.field) for v in introduced for q in v.quotes))


@dataclass(frozen=True)
class Lead:
    """A lead to introduce, and the partnership they lead."""

    slack_id: str
    name: str
    partnership_id: int
    partnership: str


@dataclass(frozen=True)
class IntroDraft:
    """An introduction as storage found it when asked: the partnerships (with their words
    as their sharing allows today), the leads to bring together, and who was left out."""

    ref: GroupRef
    voices: tuple[Voice, ...]
    leads: tuple[Lead, ...]
    left_out: tuple[str, ...] = ()


def pick_leads(voices: Sequence[Voice], leads: Sequence[Lead], room: int = MAX_INTRODUCED
               ) -> tuple[tuple[Lead, ...], tuple[str, ...]]:
    """One lead per partnership first, then second leads while the group DM has room;
    returns the leads and the partnerships left with none."""
    queues = {v.partnership_id: [lead for lead in leads
                                 if lead.partnership_id == v.partnership_id]
              for v in voices}
    chosen: list[Lead] = []
    while len(chosen) < room and any(queues.values()):
        for voice in voices:
            if queues[voice.partnership_id] and len(chosen) < room:
                lead = queues[voice.partnership_id].pop(0)
                if all(c.slack_id != lead.slack_id for c in chosen):
                    chosen.append(lead)
    included = {lead.partnership_id for lead in chosen}
    return tuple(chosen), tuple(v.partnership for v in voices
                                if v.partnership_id not in included)


def quote_as_shared(checkin_id: int, field: Field, text: str, author: str,
                    sharing: Sharing) -> Quote | None:
    """A partnership's words as its sharing lets others see them: nothing under ``off``,
    unattributed under ``summary``, with the author's name under ``full``."""
    if not shows_text(sharing) or not text.strip() or text == NO_DETAIL:
        return None
    return Quote(checkin_id, field, text, author if shows_names(sharing) else None)


def _group(theme: str, notes: Sequence[tuple[NoteLike, Field]], similar: bool
           ) -> CommonGround | None:
    by_partnership: dict[int, list[tuple[NoteLike, Field]]] = {}
    for note, field in notes:
        by_partnership.setdefault(note.partnership_id, []).append((note, field))
    if len(by_partnership) < 2:
        return None
    voices = []
    for said in by_partnership.values():
        latest = sorted(said, key=lambda s: s[0].submitted_at, reverse=True)
        quotes: list[Quote] = []
        for note, field in latest:
            if len(quotes) == QUOTES_PER_PARTNERSHIP:
                break
            quote = quote_as_shared(note.checkin_id, field, note.text, note.person,
                                    note.sharing)
            quotes += [quote] if quote is not None else []
        voices.append(Voice(latest[0][0].partnership_id, latest[0][0].partnership,
                            tuple(quotes)))
    voices.sort(key=lambda v: (v.partnership, v.partnership_id))
    return CommonGround(theme_label(theme), tuple(voices), len(notes), similar)


def common_ground(blockers: Sequence[NoteLike], help_notes: Sequence[NoteLike],
                  vocabulary: dict[str, list[str]]) -> list[CommonGround]:
    """Keyword themes raised by two or more partnerships, then groups of texts that say
    the same thing without sharing a keyword; each with its partnerships' own words."""
    notes: list[tuple[NoteLike, Field]] = [(n, "b") for n in blockers]
    notes += [(n, "h") for n in help_notes if n.text != NO_DETAIL]
    patterns = theme_patterns(vocabulary)
    tags = [frozenset(tag_themes(n.text, patterns)) for n, _ in notes]
    by_theme: dict[str, list[tuple[NoteLike, Field]]] = {}
    for said, themes in zip(notes, tags, strict=True):
        for theme in themes:
            by_theme.setdefault(theme, []).append(said)
    keyword = [g for name, said in by_theme.items() if (g := _group(name, said, False))]
    keyword.sort(key=lambda g: (-len(g.voices), -g.mentions, g.theme))
    alike = [g for found in similar_groups([n.text for n, _ in notes], tags)
             if (g := _group(", ".join(found.words) or "the same problem",
                             [notes[i] for i in found.members], True))]
    alike.sort(key=lambda g: (-len(g.voices), -g.mentions, g.theme))
    return keyword + alike


def as_themes(groups: Sequence[CommonGround]) -> list[Theme]:
    """The keyword groups as the digest's plain themes (names and mention counts)."""
    return [Theme(g.theme, tuple(sorted(g.partnerships)), g.mentions)
            for g in groups if not g.similar]
