"""sync change feed: one (scope, seq) index over every synced table, so a pull page costs the same
queries however many tables are registered. The server fills it (and keeps it) with triggers.

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sync_change',
    sa.Column('table_name', sa.String(length=60), nullable=False),
    sa.Column('row_id', sa.String(length=36), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('scope', sa.String(length=80), nullable=False),
    sa.PrimaryKeyConstraint('table_name', 'row_id', name=op.f('pk_sync_change'))
    )
    op.create_index('ix_sync_change_scope_seq', 'sync_change', ['scope', 'seq'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_sync_change_scope_seq', table_name='sync_change')
    op.drop_table('sync_change')
