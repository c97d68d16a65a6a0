"""budget query layer: code-level sums of the roll-up and a per-year payee index, both local and derived

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('bgt_query_code_rollup',
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=4), nullable=False),
    sa.Column('book', sa.String(length=10), nullable=False),
    sa.Column('functional_code', sa.String(length=16), nullable=False),
    sa.Column('economic_code', sa.String(length=16), nullable=False),
    sa.Column('month', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('method', sa.String(length=12), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('payments', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('year', 'kind', 'book', 'functional_code', 'economic_code', 'month', 'method',
                            name=op.f('pk_bgt_query_code_rollup')),
    sqlite_with_rowid=False
    )
    op.create_table('bgt_query_payee',
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('payee', sa.String(length=120), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('payments', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('year', 'payee', name=op.f('pk_bgt_query_payee')),
    sqlite_with_rowid=False
    )
    # the new tables start empty: have the next query rebuild everything derived
    op.execute("UPDATE bgt_query_state SET dirty = true")


def downgrade() -> None:
    op.drop_table('bgt_query_payee')
    op.drop_table('bgt_query_code_rollup')
