"""Typed ORM models: the programme, its partnerships and people, check-ins and the outbox."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ROLES = ("member", "lead")
ROUND_KINDS = ("regular", "lull", "report_back", "adhoc")
CHECKIN_SOURCES = ("modal", "pulse")
DELIVERY_STATUSES = ("pending", "in_flight", "sent", "failed", "dropped")


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on SQLite (naive storage) and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def result_processor(self, dialect: Any, coltype: Any) -> Any:
        """On SQLite, parse the stored text straight into an aware UTC datetime in one
        step: status reads tens of thousands of these, and the general path (parse, then
        ``process_result_value``) was a quarter of `/lp status all`'s time."""
        if dialect.name != "sqlite":
            return super().result_processor(dialect, coltype)
        parse = datetime.fromisoformat

        def process(value: str | None) -> datetime | None:
            return None if value is None else parse(value).replace(tzinfo=UTC)

        return process


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Programme(Base):
    """The one programme this install serves: its calendar, digest and thresholds."""

    __tablename__ = "programme"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64))
    holiday_region: Mapped[str] = mapped_column(String(16))
    start_date: Mapped[date] = mapped_column(Date)
    report_back_date: Mapped[date] = mapped_column(Date)
    cadence_weeks: Mapped[int] = mapped_column(Integer)
    cadence_weekday: Mapped[int] = mapped_column(Integer)
    local_hour: Mapped[int] = mapped_column(Integer)
    reminder_days: Mapped[list[int]] = mapped_column(JSON)
    report_back_prompt_days: Mapped[int] = mapped_column(Integer)
    digest_channel: Mapped[str | None] = mapped_column(String(32))
    digest_weekday: Mapped[int] = mapped_column(Integer)
    digest_hour: Mapped[int] = mapped_column(Integer)
    digest_dm_staff: Mapped[bool] = mapped_column(Boolean, default=False)
    stall_days: Mapped[int] = mapped_column(Integer)
    low_response: Mapped[float] = mapped_column(Float)
    momentum_drop: Mapped[float] = mapped_column(Float)
    themes: Mapped[dict[str, list[str]]] = mapped_column(JSON)
    # How gently the bot nudges (storage.programme.Cadence); defaults for older rows.
    lull_reminders: Mapped[int] = mapped_column(Integer, server_default="1")
    back_off_after: Mapped[int] = mapped_column(Integer, server_default="3")
    show_progress: Mapped[bool] = mapped_column(Boolean, server_default=true())
    working_day_ends: Mapped[int] = mapped_column(Integer, server_default="17")
    # Free text is removed this many days after the report-back (storage.retention).
    free_text_retention_days: Mapped[int] = mapped_column(Integer, server_default="365")

    lulls: Mapped[list[LullWindow]] = relationship(
        back_populates="programme", cascade="all, delete-orphan", order_by="LullWindow.starts"
    )


class LullWindow(Base):
    """A stretch (summer hiatus, winter pressure) in which the bot nudges more often."""

    __tablename__ = "lull_window"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    starts: Mapped[date] = mapped_column(Date)
    ends: Mapped[date] = mapped_column(Date)
    cadence_weeks: Mapped[int] = mapped_column(Integer)
    cadence_weekday: Mapped[int] = mapped_column(Integer)

    programme: Mapped[Programme] = relationship(back_populates="lulls")


class Partnership(Base):
    __tablename__ = "partnership"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    place: Mapped[str] = mapped_column(String(200))
    challenge: Mapped[str] = mapped_column(Text)
    channel_id: Mapped[str | None] = mapped_column(String(32))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # off | summary | full (storage.sharing): what the partnership's own copy may show.
    sharing: Mapped[str] = mapped_column(String(16), default="summary",
                                         server_default="summary")

    objectives: Mapped[list[Objective]] = relationship(
        back_populates="partnership", order_by="Objective.position"
    )
    memberships: Mapped[list[Membership]] = relationship(back_populates="partnership")


class Objective(Base):
    __tablename__ = "objective"

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The latest reported status, kept current on every check-in so that status and the
    # digest read one row per objective instead of scanning every update ever made.
    status: Mapped[str | None] = mapped_column(String(16))
    status_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status_note: Mapped[str | None] = mapped_column(Text)

    partnership: Mapped[Partnership] = relationship(back_populates="objectives")


class ObjectiveRevision(Base):
    """Every wording an objective has had, so rewording keeps the history."""

    __tablename__ = "objective_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    objective_id: Mapped[int] = mapped_column(ForeignKey("objective.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    action: Mapped[str] = mapped_column(String(16))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    changed_by: Mapped[str | None] = mapped_column(String(32))


class Person(Base):
    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    slack_user_id: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    institution: Mapped[str | None] = mapped_column(String(200))
    tz: Mapped[str | None] = mapped_column(String(64))
    is_staff: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    paused_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    snoozed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reminders_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    # Personal data (storage.erasure, storage.leavers): when the person was erased, when
    # Slack said their account was deactivated, when users.info was last asked.
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    left_slack_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    slack_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    memberships: Mapped[list[Membership]] = relationship(back_populates="person")


class Membership(Base):
    __tablename__ = "membership"
    __table_args__ = (
        UniqueConstraint("person_id", "partnership_id"),
        CheckConstraint("role IN ('member', 'lead')", name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    person: Mapped[Person] = relationship(back_populates="memberships")
    partnership: Mapped[Partnership] = relationship(back_populates="memberships")


class CheckinRound(Base):
    """One prompt cycle of one partnership."""

    __tablename__ = "checkin_round"
    __table_args__ = (UniqueConstraint("partnership_id", "opens_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id"))
    kind: Mapped[str] = mapped_column(String(16))
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime())
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # The round's tally, kept up to date as check-ins arrive (storage/tallies.py), so
    # status and the digest never re-read every check-in of the programme.
    answered: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    momentum_total: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_checkin_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class RoundInstitution(Base):
    """An institution with at least one check-in in a round (connected leadership)."""

    __tablename__ = "round_institution"

    round_id: Mapped[int] = mapped_column(ForeignKey("checkin_round.id", ondelete="CASCADE"),
                                          primary_key=True)
    institution: Mapped[str] = mapped_column(String(200), primary_key=True)


class Checkin(Base):
    """A member's answer for one round; a second answer in the same round amends it."""

    __tablename__ = "checkin"
    __table_args__ = (
        UniqueConstraint("person_id", "round_id"),
        CheckConstraint("momentum BETWEEN 1 AND 5", name="momentum"),
        Index("ix_checkin_partnership_round", "partnership_id", "round_id"),
        Index("ix_checkin_round", "round_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id"))
    round_id: Mapped[int] = mapped_column(ForeignKey("checkin_round.id"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    momentum: Mapped[int] = mapped_column(Integer)
    highlights: Mapped[str] = mapped_column(Text, default="")
    blockers: Mapped[str] = mapped_column(Text, default="")
    help_wanted: Mapped[bool] = mapped_column(Boolean, default=False)
    help_text: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(16))
    view_id: Mapped[str | None] = mapped_column(String(64), unique=True)

    updates: Mapped[list[ObjectiveUpdate]] = relationship(
        back_populates="checkin", cascade="all, delete-orphan"
    )


class ObjectiveUpdate(Base):
    __tablename__ = "objective_update"
    __table_args__ = (UniqueConstraint("checkin_id", "objective_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    checkin_id: Mapped[int] = mapped_column(ForeignKey("checkin.id", ondelete="CASCADE"))
    objective_id: Mapped[int] = mapped_column(ForeignKey("objective.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")

    checkin: Mapped[Checkin] = relationship(back_populates="updates")


class StallEpisode(Base):
    """A stretch in which a partnership counts as stalling; leads are alerted once per episode."""

    __tablename__ = "stall_episode"

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reasons: Mapped[list[str]] = mapped_column(JSON)


class Delivery(Base):
    """The outbox: one row per intended message, made unique by its dedupe key."""

    __tablename__ = "delivery"
    __table_args__ = (Index("ix_delivery_due", "status", "next_attempt_at"),
                      # Who was prompted in which round: the back-off reads it.
                      Index("ix_delivery_round_person", "round_id", "person_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    recipient: Mapped[str] = mapped_column(String(32))
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    channel: Mapped[str | None] = mapped_column(String(32))
    slack_ts: Mapped[str | None] = mapped_column(String(32))
    last_error: Mapped[str | None] = mapped_column(String(200))
    round_id: Mapped[int | None] = mapped_column(ForeignKey("checkin_round.id"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))


class AuditEvent(Base):
    """What was done with personal data (exports, erasures, retention), never the data:
    ids and counts only; an erasure keeps a salted fingerprint of the Slack id so that a
    re-import can ask before re-creating the person."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_subject", "subject_id", "action", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    action: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(64))
    subject_id: Mapped[int | None] = mapped_column(Integer)
    fingerprint: Mapped[str | None] = mapped_column(String(100))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
