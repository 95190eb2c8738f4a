"""partnership standing: what ranking a partnership needs of its last rounds, one row each

Revision ID: 0007
Revises: 0006
"""
from collections import deque
from typing import Any

from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

WINDOW = 8  # storage.insight.TREND_ROUNDS when this was written
KNOWN = 3
COUNTS = ['answered', 'momentum_total', 'earlier_rounds', 'answered_1', 'answered_2',
          'known_total_1', 'known_answered_1', 'known_total_2', 'known_answered_2',
          'known_total_3', 'known_answered_3']
MOMENTS = ['opens_at', 'due_at', 'last_checkin_at', 'first_opens_at', 'earlier_due_at',
           'earlier_last_checkin_at']


def _standing(pid: int, window: list[Any]) -> dict[str, Any]:
    """As storage.standing.standing_of, frozen here so the migration keeps meaning what
    it meant when it was written."""
    out: dict[str, Any] = {'partnership_id': pid, 'round_id': None, **{c: 0 for c in COUNTS},
           **{c: None for c in MOMENTS}}
    if not window:
        return out
    latest, recent = window[-1], list(reversed(window[:-1]))
    out.update(round_id=latest[0], opens_at=latest[2], due_at=latest[3], answered=latest[5],
               momentum_total=latest[6], last_checkin_at=latest[7],
               first_opens_at=window[0][2], earlier_rounds=len(recent),
               earlier_due_at=max((r[3] for r in recent), default=None),
               earlier_last_checkin_at=max((r[7] for r in recent if r[7] is not None),
                                           default=None))
    for k, row in enumerate(recent[:2], start=1):
        out[f'answered_{k}'] = row[5]
    for k, row in enumerate([r for r in recent if r[5]][:KNOWN], start=1):
        out[f'known_total_{k}'], out[f'known_answered_{k}'] = row[6], row[5]
    return out


def upgrade() -> None:
    table = op.create_table('partnership_standing',
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=True),
    sa.Column('opens_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answered', sa.Integer(), server_default='0', nullable=False),
    sa.Column('momentum_total', sa.Integer(), server_default='0', nullable=False),
    sa.Column('last_checkin_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('first_opens_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('earlier_rounds', sa.Integer(), server_default='0', nullable=False),
    sa.Column('earlier_due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('earlier_last_checkin_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answered_1', sa.Integer(), server_default='0', nullable=False),
    sa.Column('answered_2', sa.Integer(), server_default='0', nullable=False),
    sa.Column('known_total_1', sa.Integer(), server_default='0', nullable=False),
    sa.Column('known_answered_1', sa.Integer(), server_default='0', nullable=False),
    sa.Column('known_total_2', sa.Integer(), server_default='0', nullable=False),
    sa.Column('known_answered_2', sa.Integer(), server_default='0', nullable=False),
    sa.Column('known_total_3', sa.Integer(), server_default='0', nullable=False),
    sa.Column('known_answered_3', sa.Integer(), server_default='0', nullable=False),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'], name=op.f('fk_partnership_standing_partnership_id_partnership')),
    sa.ForeignKeyConstraint(['round_id'], ['checkin_round.id'], name=op.f('fk_partnership_standing_round_id_checkin_round')),
    sa.PrimaryKeyConstraint('partnership_id', name=op.f('pk_partnership_standing')),
    sa.UniqueConstraint('round_id', name=op.f('uq_partnership_standing_round_id'))
    )
    # Back-fill from the rounds' tallies (0006): each partnership's last rounds.
    conn = op.get_bind()
    windows: dict[int, deque[Any]] = {pid: deque(maxlen=WINDOW) for pid, in conn.execute(sa.text(
        'SELECT id FROM partnership ORDER BY id'))}
    rounds = sa.table('checkin_round', *[sa.column(name) for name in (
        'id', 'partnership_id', 'kind', 'answered', 'momentum_total')],
        *[sa.column(name, sa.DateTime(timezone=True))
          for name in ('opens_at', 'due_at', 'last_checkin_at')])
    c = rounds.c
    for row in conn.execute(sa.select(c.id, c.partnership_id, c.opens_at, c.due_at, c.kind,
                                      c.answered, c.momentum_total, c.last_checkin_at)
                            .order_by(c.partnership_id, c.opens_at)):
        windows[row[1]].append(tuple(row))
    rows = [_standing(pid, list(window)) for pid, window in windows.items()]
    if rows:
        op.bulk_insert(table, rows)


def downgrade() -> None:
    op.drop_table('partnership_standing')
