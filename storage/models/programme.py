"""The programme and who is in it: its calendar and lulls, partnerships and their
objectives, people and their memberships."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, UTCDateTime

ROLES = ("member", "lead")

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
