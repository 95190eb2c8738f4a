"""Stall episodes: when a partnership starts and stops stalling, and whom to alert.

An episode opens the first time a partnership is judged stalling and closes when it
recovers; its id is part of each alert's dedupe key, so leads hear once per episode.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Membership, Person, StallEpisode
from storage.planning_inputs import AlertTarget


def track_stall_episodes(session: Session, now: datetime, stalling: dict[int, list[str]]
                         ) -> dict[int, tuple[int, list[str]]]:
    """Open an episode for each newly stalling partnership and close those that recovered;
    returns each open episode as partnership id -> (episode id, reasons it opened with)."""
    open_episodes = {e.partnership_id: e for e in session.scalars(
        select(StallEpisode).where(StallEpisode.ended_at.is_(None)))}
    for partnership_id, episode in open_episodes.items():
        if partnership_id not in stalling:
            episode.ended_at = now
    for partnership_id, reasons in stalling.items():
        if partnership_id not in open_episodes:
            episode = StallEpisode(partnership_id=partnership_id, started_at=now,
                                   reasons=reasons)
            session.add(episode)
            open_episodes[partnership_id] = episode
    session.flush()
    return {pid: (e.id, list(e.reasons)) for pid, e in open_episodes.items()
            if e.ended_at is None}


def alert_targets(session: Session, episodes: dict[int, tuple[int, list[str]]]
                  ) -> list[AlertTarget]:
    """Every active lead of the partnerships with an open episode (one query)."""
    return [AlertTarget(pid, episodes[pid][0], person_id, slack_id, tz)
            for pid, person_id, slack_id, tz in session.execute(
                select(Membership.partnership_id, Person.id, Person.slack_user_id, Person.tz)
                .join(Person, Person.id == Membership.person_id)
                .where(Membership.role == "lead", Membership.active, Person.active,
                       Membership.partnership_id.in_(list(episodes))))]
