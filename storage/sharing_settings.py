"""A partnership's sharing setting, read and written (the rule itself is storage.sharing)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update

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


def set_sharing(db: SessionFactory, partnership_id: int, sharing: Sharing
                ) -> SharingSetting | None:
    """Store what the partnership's channel may see from the next summary on."""
    with db.begin() as session:
        session.execute(update(Partnership).where(Partnership.id == partnership_id)
                        .values(sharing=sharing))
    return sharing_setting(db, partnership_id)
