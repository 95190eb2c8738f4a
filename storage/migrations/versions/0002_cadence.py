"""cadence: reminder settings on the programme, and who was prompted in which round

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('programme') as batch:
        batch.add_column(sa.Column('lull_reminders', sa.Integer(), server_default='1',
                                   nullable=False))
        batch.add_column(sa.Column('back_off_after', sa.Integer(), server_default='3',
                                   nullable=False))
        batch.add_column(sa.Column('show_progress', sa.Boolean(), server_default=sa.true(),
                                   nullable=False))
        batch.add_column(sa.Column('working_day_ends', sa.Integer(), server_default='17',
                                   nullable=False))
    op.create_index('ix_delivery_round_person', 'delivery', ['round_id', 'person_id'])
    # Prompts queued before this revision name their round only in the dedupe key
    # ("prompt:<round>:<person>"); record it, so the back-off counts them too.
    delivery = sa.table('delivery', sa.column('id', sa.Integer()),
                        sa.column('dedupe_key', sa.String()),
                        sa.column('round_id', sa.Integer()))
    bind = op.get_bind()
    rows = bind.execute(sa.select(delivery.c.id, delivery.c.dedupe_key).where(
        delivery.c.dedupe_key.like('prompt:%'), delivery.c.round_id.is_(None))).all()
    for delivery_id, key in rows:
        parts = key.split(':')
        if len(parts) == 3 and parts[1].isdigit():
            bind.execute(delivery.update().where(delivery.c.id == delivery_id)
                         .values(round_id=int(parts[1])))


def downgrade() -> None:
    op.drop_index('ix_delivery_round_person', table_name='delivery')
    with op.batch_alter_table('programme') as batch:
        for column in ('working_day_ends', 'show_progress', 'back_off_after',
                       'lull_reminders'):
            batch.drop_column(column)
