"""budget query layer: local payment roll-up with its staleness flag and triggers, index for the payment list

Revision ID: 0005
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

from core.budget.query.rollup import TRIGGERS

revision = '0005'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('bgt_query_payment_rollup',
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('department_code', sa.String(length=20), nullable=False),
    sa.Column('project_code', sa.String(length=40), nullable=False),
    sa.Column('indicator_no', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=4), nullable=False),
    sa.Column('application_no', sa.String(length=40), nullable=False),
    sa.Column('month', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('method', sa.String(length=12), nullable=False),
    sa.Column('book', sa.String(length=10), nullable=False),
    sa.Column('functional_code', sa.String(length=16), nullable=False),
    sa.Column('economic_code', sa.String(length=16), nullable=False),
    sa.Column('unit_code', sa.String(length=20), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('payments', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('year', 'department_code', 'project_code', 'indicator_no', 'kind', 'application_no',
                            'month', 'method', 'book', 'functional_code', 'economic_code', 'unit_code',
                            name=op.f('pk_bgt_query_payment_rollup')),
    sqlite_with_rowid=False
    )
    op.create_table('bgt_query_state',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('dirty', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bgt_query_state'))
    )
    op.execute("INSERT INTO bgt_query_state (id, dirty) VALUES (1, true)")
    op.create_index('ix_bgt_payment_year_paid_on_payment_no', 'bgt_payment', ['year', 'paid_on', 'payment_no'])
    if op.get_bind().dialect.name == 'sqlite':
        for sql in TRIGGERS:
            op.execute(sql)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        for name in [sql.split()[5] for sql in TRIGGERS]:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_index('ix_bgt_payment_year_paid_on_payment_no', table_name='bgt_payment')
    op.drop_table('bgt_query_state')
    op.drop_table('bgt_query_payment_rollup')
