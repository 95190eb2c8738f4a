"""What ``lpbot doctor`` asks of the database: is the schema at the latest migrations, and
which channels and people the running programme relies on (read in three statements)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, make_url, pool, select

from storage.db import SessionFactory, alembic_config
from storage.models import Membership, Partnership, Person, Programme


@dataclass(frozen=True)
class SchemaState:
    """The database's applied migration heads beside the code's."""

    exists: bool  # False: a SQLite file that is not there (doctor creates nothing)
    current: frozenset[str]
    heads: frozenset[str]
    known: frozenset[str]  # every revision this code ships

    @property
    def up_to_date(self) -> bool:
        return self.exists and self.current == self.heads

    @property
    def missing(self) -> tuple[str, ...]:
        """Heads the database has not reached."""
        return tuple(sorted(self.heads - self.current))

    @property
    def unknown(self) -> tuple[str, ...]:
        """Revisions in the database that this code does not know (a newer lpbot's)."""
        return tuple(sorted(self.current - self.known))


def schema_state(url: str) -> SchemaState:
    """Compare the database's Alembic heads with the scripts'; raises StorageError when the
    database cannot be reached. Opens its own short-lived engine and changes nothing."""
    script = ScriptDirectory.from_config(alembic_config(url))
    heads = frozenset(script.get_heads())
    known = frozenset(rev.revision for rev in script.walk_revisions())
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:") \
            and not Path(parsed.database or "").exists():
        return SchemaState(False, frozenset(), heads, known)
    engine = create_engine(url, poolclass=pool.NullPool, hide_parameters=True)
    try:
        with engine.connect() as conn:
            current = frozenset(MigrationContext.configure(conn).get_current_heads())
    finally:
        engine.dispose()
    return SchemaState(True, current, heads, known)


@dataclass(frozen=True)
class Channel:
    """A channel the bot posts to: the digest channel or a partnership's."""

    channel_id: str
    purpose: str  # "the digest channel" or "blackburn-health's channel"


@dataclass(frozen=True)
class Participant:
    """An active person as the operator knows them: name and where they belong."""

    slack_id: str
    name: str
    belongs: tuple[str, ...]  # partnership slugs, and "staff"


@dataclass(frozen=True)
class Relied:
    """What the running programme relies on in Slack."""

    programme: bool
    channels: tuple[Channel, ...]
    people: tuple[Participant, ...]


def relied_on(db: SessionFactory) -> Relied:
    """The digest channel, every active partnership's channel, and every active person
    (active members of active partnerships, and staff); three statements in all."""
    with db() as session:
        programme = session.scalars(select(Programme.digest_channel).limit(2)).all()
        partnerships = session.execute(
            select(Partnership.slug, Partnership.channel_id).where(Partnership.active)
            .order_by(Partnership.slug)).all()
        rows = session.execute(
            select(Person.slack_user_id, Person.name, Person.is_staff, Partnership.slug)
            .outerjoin(Membership, (Membership.person_id == Person.id) & Membership.active)
            .outerjoin(Partnership, (Partnership.id == Membership.partnership_id)
                       & Partnership.active)
            .where(Person.active, Person.erased_at.is_(None))
            .order_by(Person.name, Person.id, Partnership.slug)).all()
    channels = [Channel(programme[0], "the digest channel")] if programme and programme[0] \
        else []
    channels += [Channel(channel, f"{slug}'s channel") for slug, channel in partnerships
                 if channel]
    belongs: dict[str, tuple[str, list[str]]] = {}
    for slack_id, name, is_staff, slug in rows:
        _, places = belongs.setdefault(slack_id, (name, ["staff"] if is_staff else []))
        if slug:
            places.append(slug)
    people = tuple(Participant(slack_id, name, tuple(places))
                   for slack_id, (name, places) in belongs.items() if places)
    return Relied(bool(programme), tuple(channels), people)
