"""round tallies: answers, momentum and institutions per round, kept as check-ins arrive

Revision ID: 0006
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0001'
branch_labels = None
depends_on = None

# The same set-based recomputation as storage.tallies.RETALLY_ALL, frozen here so the
# migration keeps meaning what it meant when it was written.
BACKFILL = [
    """UPDATE checkin_round SET
         answered = (SELECT count(*) FROM checkin c WHERE c.round_id = checkin_round.id),
         momentum_total = (SELECT coalesce(sum(c.momentum), 0) FROM checkin c
                           WHERE c.round_id = checkin_round.id),
         last_checkin_at = (SELECT max(c.submitted_at) FROM checkin c
                            WHERE c.round_id = checkin_round.id)""",
    """INSERT INTO round_institution (round_id, institution)
       SELECT DISTINCT c.round_id, p.institution FROM checkin c
       JOIN person p ON p.id = c.person_id
       WHERE p.institution IS NOT NULL AND p.institution <> ''""",
]


def upgrade() -> None:
    with op.batch_alter_table('checkin_round') as batch:
        batch.add_column(sa.Column('answered', sa.Integer(), server_default='0',
                                   nullable=False))
        batch.add_column(sa.Column('momentum_total', sa.Integer(), server_default='0',
                                   nullable=False))
        batch.add_column(sa.Column('last_checkin_at', sa.DateTime(timezone=True), nullable=True))
    op.create_table('round_institution',
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('institution', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['checkin_round.id'], name=op.f('fk_round_institution_round_id_checkin_round'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('round_id', 'institution', name=op.f('pk_round_institution'))
    )
    for statement in BACKFILL:
        op.execute(statement)


def downgrade() -> None:
    op.drop_table('round_institution')
    with op.batch_alter_table('checkin_round') as batch:
        batch.drop_column('last_checkin_at')
        batch.drop_column('momentum_total')
        batch.drop_column('answered')
