"""machine room: latest values for consoles on other computers (mon_live, synced in scope machine_room)

One row per point (its id is the point's id) with the value the collector last snapshotted, and one heartbeat
row per room saying when the collector last took a snapshot and how often it does.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 20:05:00.000000
"""
from alembic import op
import sqlalchemy as sa
import core.models.base


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('mon_live',
    sa.Column('device', sa.String(length=40), nullable=False),
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('text', sa.String(length=80), nullable=False),
    sa.Column('quality', sa.String(length=8), nullable=False),
    sa.Column('sampled_at', core.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('room', sa.String(length=40), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('changed_by', sa.String(length=64), nullable=True),
    sa.Column('changed_at', core.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('scope', sa.String(length=80), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mon_live'))
    )
    with op.batch_alter_table('mon_live', schema=None) as batch_op:
        batch_op.create_index('ix_mon_live_room', ['room'], unique=False)
        batch_op.create_index('ix_mon_live_scope_seq', ['scope', 'seq'], unique=False)
        batch_op.create_index('ix_mon_live_seq', ['seq'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('mon_live', schema=None) as batch_op:
        batch_op.drop_index('ix_mon_live_seq')
        batch_op.drop_index('ix_mon_live_scope_seq')
        batch_op.drop_index('ix_mon_live_room')

    op.drop_table('mon_live')
