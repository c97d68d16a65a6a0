"""petition text index: character bigrams → cases, local and derived, never synced

Revision ID: 0012
Revises: 0011
"""
import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('pet_text_term',
    sa.Column('term', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('case_key', sa.Integer(), autoincrement=False, nullable=False),
    sa.PrimaryKeyConstraint('term', 'case_key', name=op.f('pk_pet_text_term')),
    sqlite_with_rowid=False
    )
    op.create_table('pet_text_df',
    sa.Column('term', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('df', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('term', name=op.f('pk_pet_text_df'))
    )
    op.create_table('pet_text_doc',
    sa.Column('case_key', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('fingerprint', sa.BigInteger(), nullable=False),
    sa.Column('terms', sa.Integer(), nullable=False),
    sa.Column('live', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('case_key', name=op.f('pk_pet_text_doc')),
    sa.UniqueConstraint('case_id', name=op.f('uq_pet_text_doc_case_id'))
    )
    op.create_table('pet_text_state',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last_seq', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pet_text_state'))
    )


def downgrade() -> None:
    op.drop_table('pet_text_state')
    op.drop_table('pet_text_doc')
    op.drop_table('pet_text_df')
    op.drop_table('pet_text_term')
