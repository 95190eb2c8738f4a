"""The outbox: insert intended messages once, claim due ones, record what Slack said."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, Update, bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.id_lists import arity, ids_in, ids_params
from storage.models import Base, Delivery


def insert_ignoring_duplicates(session: Session, model: type[Base],
                               rows: Sequence[dict[str, Any]]) -> list[int]:
    """INSERT … ON CONFLICT DO NOTHING: the database, not a check-then-insert, decides
    which of two racing schedulers wins. Returns the ids of the rows that were new."""
    if not rows:
        return []
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(model).values(list(rows)).on_conflict_do_nothing()
    return list(session.scalars(statement.returning(model.id)))  # type: ignore[attr-defined]


def queue_rows(session: Session, rows: Sequence[dict[str, Any]]) -> int:
    """Add outbox rows, skipping keys another scheduler queued first; returns how many
    were new."""
    return len(insert_ignoring_duplicates(session, Delivery, rows))


def existing_keys(session: Session, keys: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        found.update(session.scalars(select(Delivery.dedupe_key).where(
            Delivery.dedupe_key.in_(keys[start:start + 500]))))
    return found


@dataclass(frozen=True)
class Claimed:
    """A delivery taken by this worker, with everything needed to send it."""

    id: int
    kind: str
    recipient: str
    dedupe_key: str
    payload: dict[str, Any]
    attempts: int
    expires_at: datetime | None


def claim_due(session: Session, now: datetime, limit: int,
              ids: Sequence[int] | None = None) -> list[Claimed]:
    """Mark up to ``limit`` due rows (of ``ids``, when given) in flight and return them. On
    PostgreSQL rows locked by another worker are skipped; SQLite's write lock (BEGIN
    IMMEDIATE) serialises claims. Core statements built once: every confirmation of a
    check-in is claimed here, one by one."""
    conn = session.connection()
    find = _find_statement(session.get_bind().dialect.name,
                           None if ids is None else arity(ids))
    params: dict[str, Any] = {"now": now, "limit": limit}
    if ids is not None:
        params.update(ids_params("ids", ids))
    rows = conn.execute(find, params).all()
    if rows:
        claimed = [r.id for r in rows]
        conn.execute(_claim_statement(arity(claimed)), {**ids_params("ids", claimed),
                                                         "now": now})
    return [Claimed(r.id, r.kind, r.recipient, r.dedupe_key, r.payload, r.attempts + 1,
                    r.expires_at) for r in rows]


@lru_cache(maxsize=16)
def _find_statement(dialect: str, shape: int | None) -> Select:  # type: ignore[type-arg]
    """Due rows, of the ids bound in ``shape`` (storage/id_lists.py) unless None."""
    find = (select(Delivery.id, Delivery.kind, Delivery.recipient, Delivery.dedupe_key,
                   Delivery.payload, Delivery.attempts, Delivery.expires_at)
            .where(Delivery.status == "pending", Delivery.next_attempt_at <= bindparam("now"))
            .order_by(Delivery.id).limit(bindparam("limit")))
    if shape is not None:
        find = find.where(ids_in(Delivery.id, "ids", shape))
    if dialect == "postgresql":
        find = find.with_for_update(skip_locked=True)
    return find


@lru_cache(maxsize=8)
def _claim_statement(shape: int) -> Update:
    return update(Delivery).where(ids_in(Delivery.id, "ids", shape)).values(
        status="in_flight", claimed_at=bindparam("now", type_=Delivery.claimed_at.type),
        attempts=Delivery.attempts + 1)


def mark_sent(session: Session, delivery_id: int, *, channel: str, ts: str,
              now: datetime) -> None:
    session.connection().execute(_sent_statement(), {
        "delivery": delivery_id, "sent_channel": channel, "ts": ts, "now": now})


@lru_cache(maxsize=1)
def _sent_statement() -> Update:
    return update(Delivery).where(Delivery.id == bindparam("delivery")).values(
        status="sent", channel=bindparam("sent_channel"), slack_ts=bindparam("ts"),
        sent_at=bindparam("now", type_=Delivery.sent_at.type), last_error=None)


def mark_failed(session: Session, delivery_id: int, error: str) -> None:
    session.execute(update(Delivery).where(Delivery.id == delivery_id).values(
        status="failed", last_error=error[:200]))


def mark_dropped(session: Session, delivery_id: int, reason: str) -> None:
    session.execute(update(Delivery).where(Delivery.id == delivery_id).values(
        status="dropped", last_error=reason[:200]))


def mark_retry(session: Session, delivery_id: int, error: str, at: datetime) -> None:
    session.execute(update(Delivery).where(Delivery.id == delivery_id).values(
        status="pending", last_error=error[:200], next_attempt_at=at))


def stale_in_flight(session: Session, now: datetime, lease: timedelta) -> list[Delivery]:
    """Rows claimed longer ago than the lease: their worker died mid-send."""
    return list(session.scalars(select(Delivery).where(
        Delivery.status == "in_flight", Delivery.claimed_at <= now - lease)
        .order_by(Delivery.id)))


def parent_ts(session: Session, dedupe_key: str) -> tuple[str | None, str | None]:
    """(channel, ts) of a sent parent message, for threading a reply under it."""
    row = session.execute(select(Delivery.channel, Delivery.slack_ts).where(
        Delivery.dedupe_key == dedupe_key, Delivery.status == "sent")).first()
    return (row[0], row[1]) if row else (None, None)


def parent_gone(session: Session, dedupe_key: str) -> bool:
    """Whether a parent message failed or was dropped for good (its replies never can go)."""
    return session.scalar(select(Delivery.status).where(
        Delivery.dedupe_key == dedupe_key)) in ("failed", "dropped")


def queue_message(session: Session, *, kind: str, recipient: str, dedupe_key: str,
                  payload: dict[str, Any], now: datetime) -> int | None:
    """Queue one message in the caller's transaction (so it exists iff the change it
    reports does); returns its id, or None when that key was queued before."""
    return session.connection().execute(_queue_statement(session.get_bind().dialect.name), {
        "kind": kind, "recipient": recipient, "dedupe_key": dedupe_key, "payload": payload,
        "status": "pending", "attempts": 0, "created_at": now, "next_attempt_at": now}
    ).scalar()


@lru_cache(maxsize=2)
def _queue_statement(dialect: str) -> Any:
    """INSERT … ON CONFLICT DO NOTHING RETURNING id, built once (see above)."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(Delivery).on_conflict_do_nothing().returning(Delivery.id)


def ever_queued(session: Session, dedupe_key: str) -> bool:
    """Whether a message with this key was queued (sent or not): what a check-in's
    confirmation key says of the form it answers, since the form is stored exactly when
    its confirmation is queued."""
    return session.scalar(select(Delivery.id).where(Delivery.dedupe_key == dedupe_key)
                          .limit(1)) is not None


def pending_with_prefix(session: Session, prefix: str) -> list[int]:
    """Ids of pending rows whose key starts with ``prefix`` (a confirmation not yet sent)."""
    return list(session.scalars(select(Delivery.id).where(
        Delivery.status == "pending", Delivery.dedupe_key.startswith(prefix, autoescape=True))))
