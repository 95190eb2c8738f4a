"""Who someone is to lpbot: outsider, member, lead or staff, decided from the database only."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Membership, Partnership, Person


@dataclass(frozen=True)
class Seat:
    """One partnership a person belongs to, and their role in it."""

    partnership_id: int
    slug: str
    name: str
    role: str


@dataclass(frozen=True)
class Viewer:
    """The person behind a request; every surface asks it before showing anything."""

    person_id: int
    slack_id: str
    name: str
    is_staff: bool
    seats: tuple[Seat, ...]

    @property
    def role(self) -> str:
        if self.is_staff:
            return "staff"
        if any(s.role == "lead" for s in self.seats):
            return "lead"
        return "member" if self.seats else "outsider"

    def seat(self, partnership_id: int) -> Seat | None:
        return next((s for s in self.seats if s.partnership_id == partnership_id), None)

    def is_member_of(self, partnership_id: int) -> bool:
        return self.seat(partnership_id) is not None

    def leads(self, partnership_id: int) -> bool:
        seat = self.seat(partnership_id)
        return seat is not None and seat.role == "lead"

    def may_see_partnership(self, partnership_id: int) -> bool:
        """Staff see every partnership; a lead sees their own; a member sees only themselves."""
        return self.is_staff or self.leads(partnership_id)

    @property
    def led(self) -> tuple[Seat, ...]:
        return tuple(s for s in self.seats if s.role == "lead")


def is_outsider(viewer: Viewer | None) -> bool:
    """Someone lpbot does not know, or who is in no active partnership and not staff."""
    return viewer is None or viewer.role == "outsider"


def load_viewer(session: Session, slack_id: str) -> Viewer | None:
    """The viewer for a Slack user id, or None for someone lpbot does not know (an outsider)."""
    rows = session.execute(
        select(Person, Membership.role, Partnership.id, Partnership.slug, Partnership.name)
        .outerjoin(Membership, (Membership.person_id == Person.id) & Membership.active)
        .outerjoin(Partnership, (Partnership.id == Membership.partnership_id)
                   & Partnership.active)
        .where(Person.slack_user_id == slack_id, Person.active)
        .order_by(Partnership.name)
    ).all()
    if not rows:
        return None
    person = rows[0][0]
    seats = tuple(Seat(pid, slug, name, role) for _, role, pid, slug, name in rows
                  if pid is not None)
    return Viewer(person.id, person.slack_user_id, person.name, person.is_staff, seats)
