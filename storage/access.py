"""Who someone is to lpbot: outsider, member, lead or staff, decided from the database only."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import Connection, Select, bindparam, select
from sqlalchemy.orm import Session

from storage.db import SessionFactory
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
    return _viewer_of(session.connection(), slack_id)


def _viewer_of(connection: Connection, slack_id: str) -> Viewer | None:
    rows = connection.execute(_viewer_statement(), {"slack_id": slack_id}).all()
    if not rows:
        return None
    person_id, slack_user_id, name, is_staff = rows[0][:4]
    seats = tuple(Seat(pid, slug, partnership, role)
                  for *_, role, pid, slug, partnership in rows if pid is not None)
    return Viewer(person_id, slack_user_id, name, bool(is_staff), seats)


@lru_cache(maxsize=1)
def _viewer_statement() -> Select:  # type: ignore[type-arg]
    """Built once (every request asks it): the person's columns and their seats."""
    return (select(Person.id, Person.slack_user_id, Person.name, Person.is_staff,
                   Membership.role, Partnership.id, Partnership.slug, Partnership.name)
            .outerjoin(Membership, (Membership.person_id == Person.id) & Membership.active)
            .outerjoin(Partnership, (Partnership.id == Membership.partnership_id)
                       & Partnership.active)
            .where(Person.slack_user_id == bindparam("slack_id"), Person.active)
            .order_by(Partnership.name))


def viewer(db: SessionFactory, slack_id: str) -> Viewer | None:
    """The viewer behind a request, read fresh from the database on every request (one
    statement, so on a bare connection: no ORM session to set up and tear down)."""
    with db.connect() as connection:
        return _viewer_of(connection, slack_id)


def person_zone(session: Session, person_id: int, fallback: str) -> str:
    """The person's own time zone as Slack reported it, else ``fallback``."""
    tz = session.connection().execute(_zone_statement(), {"person": person_id}).scalar()
    return tz or fallback


@lru_cache(maxsize=1)
def _zone_statement() -> Select:  # type: ignore[type-arg]
    return select(Person.tz).where(Person.id == bindparam("person"))


@dataclass(frozen=True)
class Listed:
    """Someone the playground lets you act as."""

    slack_id: str
    name: str
    role: str
    partnership: str


def everyone(db: SessionFactory) -> list[Listed]:
    """Every active person with their main role, staff first within no partnership."""
    with db() as session:
        rows = session.execute(
            select(Person.slack_user_id, Person.name, Person.is_staff, Membership.role,
                   Partnership.name)
            .outerjoin(Membership, (Membership.person_id == Person.id) & Membership.active)
            .outerjoin(Partnership, Partnership.id == Membership.partnership_id)
            .where(Person.active).order_by(Partnership.name, Membership.role, Person.name))
        out: dict[str, Listed] = {}
        for slack_id, name, is_staff, role, partnership in rows:
            known = out.get(slack_id)
            if known is None:
                out[slack_id] = Listed(slack_id, name, "staff" if is_staff else role or "",
                                       partnership or "Programme team")
            elif role == "lead" and known.role != "staff":
                out[slack_id] = Listed(slack_id, name, "lead", known.partnership)
    return list(out.values())
