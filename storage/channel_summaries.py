"""What a partnership's channel is told when a round closes: a read model in a fixed
number of queries (four, plus the five of ``storage.summaries``), whatever the number of
partnerships.

Privacy is decided here, not in the presentation: free text leaves storage only when the
partnership's sharing shows it, and names only under ``full``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.calendar import CalendarDay
from storage.models import (
    Checkin,
    CheckinRound,
    Delivery,
    Partnership,
    Person,
    RoundInstitution,
)
from storage.planning_inputs import ClosedRound
from storage.sharing import Sharing, parse_sharing, shows_names, shows_text
from storage.summaries import summaries

KIND = "channel_summary"


@dataclass(frozen=True)
class SharedAnswer:
    """One member's answers as ``full`` sharing shows them in the channel."""

    name: str
    momentum: int
    highlights: str
    blockers: str
    help_text: str
    next_steps: str


@dataclass(frozen=True)
class RoundSummary:
    """A closed round as its partnership's channel may see it."""

    round_id: int
    partnership_id: int
    partnership_name: str
    channel_id: str
    sharing: Sharing
    answered: int
    eligible: int
    institutions: tuple[str, ...]
    momentum: float | None
    previous_momentum: float | None
    objectives: tuple[tuple[str, str | None], ...]  # (title, status)
    highlights: tuple[str, ...] = ()  # summary: without names, in no one's order
    blockers: tuple[str, ...] = ()
    answers: tuple[SharedAnswer, ...] = ()  # full only


def closed_rounds(session: Session, now: datetime, window: timedelta) -> list[ClosedRound]:
    """Rounds closed in the last ``window`` of active partnerships with a channel and
    sharing not ``off``: one query (the outbox's keys say which were summarised)."""
    rows = session.execute(
        select(CheckinRound.id, CheckinRound.partnership_id, Partnership.channel_id,
               CheckinRound.due_at)
        .join(Partnership, Partnership.id == CheckinRound.partnership_id)
        .where(CheckinRound.due_at <= now, CheckinRound.due_at > now - window,
               Partnership.active, Partnership.channel_id.is_not(None),
               Partnership.channel_id != "", Partnership.sharing != "off")
        .order_by(CheckinRound.due_at, CheckinRound.id))
    return [ClosedRound(rid, pid, str(channel), due) for rid, pid, channel, due in rows]


def round_summaries(session: Session, now: datetime, today: CalendarDay,
                    round_ids: list[int]) -> list[RoundSummary]:
    """These closed rounds as their channels may see them (sharing read now, so a change
    made before the round closed applies)."""
    if not round_ids:
        return []
    rounds = {row[0]: row for row in session.execute(
        select(CheckinRound.id, CheckinRound.partnership_id, CheckinRound.answered,
               CheckinRound.momentum_total, Partnership.name, Partnership.channel_id,
               Partnership.sharing, CheckinRound.opens_at)
        .join(Partnership, Partnership.id == CheckinRound.partnership_id)
        .where(CheckinRound.id.in_(round_ids)))}
    found = {s.partnership_id: s for s in summaries(
        session, now, today, sorted({row[1] for row in rounds.values()}))}
    institutions: dict[int, list[str]] = {}
    for rid, name in session.execute(
            select(RoundInstitution.round_id, RoundInstitution.institution)
            .where(RoundInstitution.round_id.in_(round_ids))
            .order_by(RoundInstitution.institution)):
        institutions.setdefault(rid, []).append(name)
    answers = _answers(session, round_ids)
    out = []
    for rid, pid, answered, total, name, channel, stored, opens in rounds.values():
        sharing = parse_sharing(stored)
        summary = found.get(pid)
        earlier = [r.momentum for r in (summary.rounds if summary else [])
                   if r.opens_at < opens and r.momentum is not None]
        texts = answers.get(rid, []) if shows_text(sharing) else []
        out.append(RoundSummary(
            rid, pid, name, str(channel or ""), sharing, int(answered),
            summary.eligible if summary else 0, tuple(institutions.get(rid, [])),
            total / answered if answered else None, earlier[-1] if earlier else None,
            tuple((o.title, o.status) for o in summary.objectives) if summary else (),
            tuple(sorted(a.highlights for a in texts if a.highlights.strip())),
            tuple(sorted(a.blockers for a in texts if a.blockers.strip())),
            tuple(texts) if shows_names(sharing) else ()))
    return out


def _answers(session: Session, round_ids: list[int]) -> dict[int, list[SharedAnswer]]:
    """Every check-in of these rounds with its author's name: one query."""
    out: dict[int, list[SharedAnswer]] = {}
    for rid, name, momentum, highlights, blockers, help_text, next_steps in session.execute(
            select(Checkin.round_id, Person.name, Checkin.momentum, Checkin.highlights,
                   Checkin.blockers, Checkin.help_text, Checkin.next_steps)
            .join(Person, Person.id == Checkin.person_id)
            .where(Checkin.round_id.in_(round_ids)).order_by(Person.name, Checkin.id)):
        out.setdefault(rid, []).append(SharedAnswer(
            name, int(momentum), highlights or "", blockers or "", help_text or "",
            next_steps or ""))
    return out


@dataclass(frozen=True)
class ChannelProblem:
    """A partnership whose latest round summary Slack refused for good (the bot can't
    post in its channel): its leads are told in App Home until a summary gets through."""

    partnership_id: int
    partnership_name: str
    channel_id: str
    error: str


def channel_problems(session: Session, partnership_ids: list[int]) -> list[ChannelProblem]:
    """Of these partnerships, those whose latest channel summary failed: one query."""
    if not partnership_ids:
        return []
    latest: dict[int, ChannelProblem | None] = {}
    for pid, name, channel, status, error in session.execute(
            select(CheckinRound.partnership_id, Partnership.name, Delivery.recipient,
                   Delivery.status, Delivery.last_error)
            .join(CheckinRound, CheckinRound.id == Delivery.round_id)
            .join(Partnership, Partnership.id == CheckinRound.partnership_id)
            .where(Delivery.kind == KIND, CheckinRound.partnership_id.in_(partnership_ids),
                   Delivery.status.in_(("sent", "failed")),
                   Delivery.dedupe_key.not_like("%#%"))
            .order_by(CheckinRound.due_at)):
        latest[pid] = ChannelProblem(pid, name, channel, error or "") \
            if status == "failed" else None
    return [problem for problem in latest.values() if problem is not None]
