"""The domain rules of momentum, in one place: plain functions over plain values.

The scheduler's lead alerts, `/lp status`, App Home and the weekly digest all ask these
functions, so "stalling" means the same thing everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

OBJECTIVE_STATUSES = ("on_track", "at_risk", "stalled", "done")
SPARK = "▁▂▃▄▅▆▇█"
TREND_ROUNDS = 8
QUIET_GRACE = timedelta(days=2)


@dataclass(frozen=True)
class Thresholds:
    """When a partnership counts as stalling; shared by status, digest and lead alerts."""

    stall_days: int = 21
    low_response: float = 1 / 3
    momentum_drop: float = 1.0


class RoundFigures(NamedTuple):
    """One round's answers: how many of the eligible members answered, and their momentum.
    A named tuple: `/lp status all` makes eight thousand of them, and a frozen dataclass
    took four times as long to build."""

    round_id: int
    opens_at: datetime
    due_at: datetime
    kind: str
    answered: int
    eligible: int
    momentum: float | None

    @property
    def response_rate(self) -> float | None:
        return response_rate(self.answered, self.eligible)


def response_rate(answered: int, eligible: int) -> float | None:
    """Share of eligible (active, unpaused) members who answered; None when nobody was asked."""
    if eligible <= 0:
        return None
    return min(1.0, answered / eligible)


def sparkline(values: Sequence[float | None]) -> str:
    """Momentum 1–5 per round as a text sparkline; a round with no answers shows as ·."""
    out = []
    for value in values:
        if value is None:
            out.append("·")
        else:
            clamped = min(5.0, max(1.0, value))
            out.append(SPARK[round((clamped - 1) / 4 * (len(SPARK) - 1))])
    return "".join(out)


def _known(values: Sequence[float | None]) -> list[float]:
    return [v for v in values if v is not None]


def trend_arrow(values: Sequence[float | None]) -> str:
    """↗ rising, ↘ falling, → steady, over the last three rounds with answers."""
    known = _known(values)[-3:]
    if len(known) < 2:
        return "→"
    change = known[-1] - known[0]
    return "↗" if change >= 0.5 else "↘" if change <= -0.5 else "→"


def momentum_falling(values: Sequence[float | None], drop: float) -> bool:
    """True when mean momentum fell by ``drop`` or more over the last three rounds."""
    known = _known(values)[-3:]
    return len(known) == 3 and known[0] - known[-1] >= drop


def stall_reasons(*, now: datetime, rounds: Sequence[RoundFigures],
                  last_checkin_at: datetime | None, thresholds: Thresholds) -> list[str]:
    """Why a partnership counts as stalling (empty when it does not); rounds oldest first.
    See ``judge_stall``, which takes only what it needs of them."""
    closed = [rate for r in rounds if r.due_at <= now and (rate := r.response_rate) is not None]
    return judge_stall(now=now, window=StallWindow(
        rounds[0].opens_at if rounds else None, rounds[-1].opens_at if rounds else None,
        last_checkin_at, closed[-2:], [r.momentum for r in rounds]), thresholds=thresholds)


class StallWindow(NamedTuple):
    """What the stall rules read of a partnership's last rounds (oldest first): when the
    first and the latest opened, its last check-in, the response rates of the last two
    closed rounds, and the momentum series (at least its last three known values).
    ``storage.standing`` keeps these per partnership so ranking reads one row each."""

    first_opens_at: datetime | None
    latest_opens_at: datetime | None
    last_checkin_at: datetime | None
    closed_rates: Sequence[float]
    momenta: Sequence[float | None]


def judge_stall(*, now: datetime, window: StallWindow, thresholds: Thresholds) -> list[str]:
    """Why a partnership counts as stalling (empty when it does not).

    A partnership is only judged quiet once its first round is older than the quiet
    period, and never in the first two days of a round: members have not had a fair
    chance to answer the new prompt yet.
    """
    reasons = []
    quiet_since = now - timedelta(days=thresholds.stall_days)
    first, latest, last_checkin_at = window[:3]
    fair_chance = latest is not None and now - latest >= QUIET_GRACE
    if first is not None and fair_chance and first <= quiet_since and (
        last_checkin_at is None or last_checkin_at <= quiet_since
    ):
        weeks = thresholds.stall_days // 7
        reasons.append(f"no check-in for {weeks} weeks" if weeks * 7 == thresholds.stall_days
                       else f"no check-in for {thresholds.stall_days} days")
    rates = window.closed_rates[-2:]
    if len(rates) >= 2 and all(rate < thresholds.low_response for rate in rates):
        reasons.append("low response two rounds running")
    if momentum_falling(window.momenta, thresholds.momentum_drop):
        reasons.append("momentum falling")
    return reasons


def days_at(status_since: datetime | None, now: datetime) -> int | None:
    """Whole days an objective has held its status."""
    return None if status_since is None else max(0, (now - status_since).days)


def single_institution(member_institutions: Iterable[str | None],
                       answering_institutions: Iterable[str | None]) -> str | None:
    """The one institution doing all the answering in a partnership of several, else None.

    Connected leadership means every anchor institution takes part, not one carrying it.
    """
    members = {i for i in member_institutions if i}
    answering = {i for i in answering_institutions if i}
    if len(members) >= 2 and len(answering) == 1:
        return next(iter(answering))
    return None


def theme_patterns(vocabulary: dict[str, list[str]]) -> dict[str, re.Pattern[str]]:
    """One compiled pattern per theme: any of its keywords as a whole word, any case.

    Built once per digest, not once per note and keyword: a digest tags tens of
    thousands of notes.
    """
    return {theme: re.compile(r"(?<![\w])(?:" + "|".join(re.escape(w.lower()) for w in words)
                              + r")(?![\w])")
            for theme, words in vocabulary.items() if words}


def tag_themes(text: str, patterns: dict[str, re.Pattern[str]]) -> set[str]:
    """The themes (from ``theme_patterns``) whose keywords appear in ``text``."""
    lowered = text.lower()
    return {theme for theme, pattern in patterns.items() if pattern.search(lowered)}


@dataclass(frozen=True)
class Theme:
    name: str
    partnerships: tuple[str, ...]
    mentions: int


def common_themes(items: Iterable[tuple[str, str]], vocabulary: dict[str, list[str]]
                  ) -> list[Theme]:
    """Themes raised by two or more partnerships; ``items`` are (partnership name, text)."""
    seen: dict[str, dict[str, int]] = {}
    patterns = theme_patterns(vocabulary)
    for partnership, text in items:
        for theme in tag_themes(text, patterns):
            counts = seen.setdefault(theme, {})
            counts[partnership] = counts.get(partnership, 0) + 1
    themes = [Theme(name, tuple(sorted(counts)), sum(counts.values()))
              for name, counts in seen.items() if len(counts) >= 2]
    return sorted(themes, key=lambda t: (-len(t.partnerships), -t.mentions, t.name))


def risk_score(reasons: Sequence[str], rate: float | None, momentum: float | None,
               at_risk_objectives: int) -> float:
    """Orders partnerships worst first: stall reasons weigh most, then low momentum."""
    return (len(reasons) * 10 + at_risk_objectives * 2 + (5 - (momentum or 0))
            + (1 - (rate if rate is not None else 0)) * 3)
