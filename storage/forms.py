"""What the modals open with: the check-in (with this round's earlier answers) and the
leads' objectives editor. Plain values for the builders in ``bot.blocks``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.checkins import current_round, version
from storage.db import SessionFactory
from storage.models import Checkin, Objective, Partnership
from storage.sharing import DEFAULT_SHARING, Sharing, parse_sharing


@dataclass(frozen=True)
class ObjectiveChoice:
    objective_id: int
    title: str
    status: str | None = None


@dataclass(frozen=True)
class CheckinPrefill:
    """Answers to show again (an earlier check-in this round, or a failed submission)."""

    momentum: int | None = None
    highlights: str = ""
    blockers: str = ""
    help_wanted: bool = False
    help_text: str = ""
    next_steps: str = ""


@dataclass(frozen=True)
class CheckinForm:
    partnership_id: int
    partnership_name: str
    challenge: str
    objectives: list[ObjectiveChoice]
    prefill: CheckinPrefill | None
    base: str = ""
    """The version of the check-in the form shows (see ``storage.checkins.version``)."""
    sharing: Sharing = DEFAULT_SHARING
    channel_id: str | None = None
    """What the partnership's channel will see of these answers, and which channel."""


@dataclass(frozen=True)
class ObjectivesForm:
    partnership_id: int
    challenge: str
    objectives: list[ObjectiveChoice]


def _active_objectives(session: Session, partnership_id: int) -> list[Objective]:
    return list(session.scalars(select(Objective).where(
        Objective.partnership_id == partnership_id, Objective.active)
        .order_by(Objective.position)))


def checkin_form(db: SessionFactory, person_id: int, partnership_id: int,
                 now: datetime) -> CheckinForm:
    """The check-in, pre-filled with this round's earlier answers if there are any (the
    round is opened ad hoc when the scheduler has opened none, hence a write)."""
    with db.begin() as session:
        rnd = current_round(session, partnership_id, now)
        earlier = session.scalar(select(Checkin).where(
            Checkin.person_id == person_id, Checkin.round_id == rnd.id))
        return form_for(session, partnership_id, earlier)


def form_for(session: Session, partnership_id: int, earlier: Checkin | None) -> CheckinForm:
    """The check-in form of a partnership, filled with ``earlier``'s answers if given."""
    partnership = session.get_one(Partnership, partnership_id)
    statuses: dict[int, str] = {}
    prefill = None
    if earlier is not None:
        statuses = {u.objective_id: u.status for u in earlier.updates}
        prefill = CheckinPrefill(earlier.momentum, earlier.highlights, earlier.blockers,
                                 earlier.help_wanted, earlier.help_text, earlier.next_steps)
    choices = [ObjectiveChoice(o.id, o.title, statuses.get(o.id))
               for o in _active_objectives(session, partnership_id)]
    return CheckinForm(partnership.id, partnership.name, partnership.challenge, choices,
                       prefill, version(earlier), parse_sharing(partnership.sharing),
                       partnership.channel_id)


def objectives_form(db: SessionFactory, partnership_id: int) -> ObjectivesForm:
    """The leads' editor for one partnership's challenge and objectives."""
    with db() as session:
        partnership = session.get_one(Partnership, partnership_id)
        return ObjectivesForm(partnership_id, partnership.challenge,
                              [ObjectiveChoice(o.id, o.title)
                               for o in _active_objectives(session, partnership_id)])
