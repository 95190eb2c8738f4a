"""A partnership's sharing setting, read and written (the rule itself is storage.sharing)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from storage import audit
from storage.db import SessionFactory
from storage.models import Partnership
from storage.sharing import Sharing, parse_sharing


@dataclass(frozen=True)
class SharingSetting:
    """What a partnership shares, and where (its channel, if it has one)."""

    partnership_id: int
    name: str
    sharing: Sharing
    channel_id: str | None


def sharing_setting(db: SessionFactory, partnership_id: int) -> SharingSetting | None:
    """The partnership's setting, or None if it does not exist (one query)."""
    with db() as session:
        row = session.execute(select(Partnership.id, Partnership.name, Partnership.sharing,
                                     Partnership.channel_id)
                              .where(Partnership.id == partnership_id)).first()
    if row is None:
        return None
    return SharingSetting(row[0], row[1], parse_sharing(row[2]), row[3])


def set_sharing(db: SessionFactory, partnership_id: int, sharing: Sharing, *, actor: str,
                now: datetime) -> SharingSetting | None:
    """Store what the partnership's channel may see from the next summary on; a change is
    logged as ``actor``'s in the same transaction, as the programme's other changes are."""
    with db.begin() as session:
        partnership = session.get(Partnership, partnership_id, with_for_update=True)
        if partnership is None:
            return None
        before = parse_sharing(partnership.sharing)
        if partnership.sharing != sharing:
            partnership.sharing = sharing
            audit.record(session, action=audit.PROGRAMME, actor=actor, now=now, detail={
                "what": f"partnership {partnership.slug}", "before": {"sharing": before},
                "after": {"sharing": sharing}})
    return sharing_setting(db, partnership_id)
