"""Check-ins and what is derived from them: rounds with their tallies, the institutions
that answered, objective updates and stall episodes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, UTCDateTime

ROUND_KINDS = ("regular", "lull", "report_back", "adhoc")
CHECKIN_SOURCES = ("modal", "pulse")

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


class PartnershipStanding(Base):
    """What ranking a partnership "most in need first" needs of its last rounds, one row
    per partnership (storage/standing.py): its latest round and that round's tally (moved
    by every check-in, as the round's own tally is), and what the earlier rounds of the
    window came to (fixed until the next round opens). ``round_id`` NULL: recount it."""

    __tablename__ = "partnership_standing"

    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id"), primary_key=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("checkin_round.id"), unique=True)
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answered: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    momentum_total: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_checkin_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The earlier rounds of the window (TREND_ROUNDS in all), most recent first.
    first_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    earlier_rounds: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    earlier_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # the latest due
    earlier_last_checkin_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answered_1: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    answered_2: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The last three earlier rounds with answers: momentum total and answers of each.
    known_total_1: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    known_answered_1: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    known_total_2: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    known_answered_2: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    known_total_3: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    known_answered_3: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
