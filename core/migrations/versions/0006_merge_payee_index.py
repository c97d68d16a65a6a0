"""join the conference and budget-query branches; payments indexed by payee for the payee rankings and filters

Revision ID: 0006
Revises: 0004, 0005
Create Date: 2026-11-28 04:30:00
"""
from alembic import op


revision = '0006'
down_revision = ('0004', '0005')
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('bgt_payment', schema=None) as batch_op:
        batch_op.create_index('ix_bgt_payment_year_payee', ['year', 'payee'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('bgt_payment', schema=None) as batch_op:
        batch_op.drop_index('ix_bgt_payment_year_payee')
