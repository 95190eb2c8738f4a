"""The audit log of what was done with personal data."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UTCDateTime


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
