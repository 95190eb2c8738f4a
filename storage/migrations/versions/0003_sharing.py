"""sharing: what a partnership's own channel and report-back copy may show

Revision ID: 0003
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('partnership') as batch:
        batch.add_column(sa.Column('sharing', sa.String(length=16), server_default='summary',
                                   nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('partnership') as batch:
        batch.drop_column('sharing')
