"""personal data: retention setting, erasure and Slack-status marks on people, audit log

Revision ID: 0004
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('programme') as batch:
        batch.add_column(sa.Column('free_text_retention_days', sa.Integer(),
                                   server_default='365', nullable=False))
    with op.batch_alter_table('person') as batch:
        batch.add_column(sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('left_slack_at', sa.DateTime(timezone=True),
                                   nullable=True))
        batch.add_column(sa.Column('slack_checked_at', sa.DateTime(timezone=True),
                                   nullable=True))
    op.create_table(
        'audit_event',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('action', sa.String(length=32), nullable=False),
        sa.Column('actor', sa.String(length=64), nullable=False),
        sa.Column('subject_id', sa.Integer(), nullable=True),
        sa.Column('fingerprint', sa.String(length=100), nullable=True),
        sa.Column('detail', sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event')),
    )
    op.create_index('ix_audit_event_subject', 'audit_event', ['subject_id', 'action', 'at'])


def downgrade() -> None:
    op.drop_index('ix_audit_event_subject', table_name='audit_event')
    op.drop_table('audit_event')
    with op.batch_alter_table('person') as batch:
        for column in ('slack_checked_at', 'left_slack_at', 'erased_at'):
            batch.drop_column(column)
    with op.batch_alter_table('programme') as batch:
        batch.drop_column('free_text_retention_days')
