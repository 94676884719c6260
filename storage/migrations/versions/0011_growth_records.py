"""growth records: the timeline every feature writes to, company tags, follow-ups

Revision ID: 0011_growth_records
Revises: 0010_snippet_uses
Create Date: 2026-12-01 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.core.base

revision: str = '0011_growth_records'
down_revision: str | None = '0010_snippet_uses'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table(
        'timeline_entries',
        sa.Column('id', ID, autoincrement=True, nullable=False),
        sa.Column('company_id', ID, nullable=False),
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('at', storage.core.base.UTCDateTime(), nullable=False),
        sa.Column('actor_id', sa.BigInteger(), nullable=True),
        sa.Column('actor_name', sa.String(length=128), nullable=False),
        sa.Column('text', sa.String(length=2000), nullable=False),
        sa.Column('ref_kind', sa.String(length=16), nullable=True),
        sa.Column('ref_id', sa.BigInteger(), nullable=True),
        sa.Column('visibility', sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(['company_id'], ['companies.id'], ondelete='CASCADE',
                                name=op.f('fk_timeline_entries_company_id_companies')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_timeline_entries')),
    )
    op.create_index('ix_timeline_company', 'timeline_entries', ['company_id', 'at', 'id'],
                    unique=False)
    op.create_table(
        'company_tags',
        sa.Column('company_id', ID, nullable=False),
        sa.Column('tag', sa.String(length=32), nullable=False),
        sa.Column('added_at', storage.core.base.UTCDateTime(), nullable=False),
        sa.Column('added_by', sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(['company_id'], ['companies.id'], ondelete='CASCADE',
                                name=op.f('fk_company_tags_company_id_companies')),
        sa.PrimaryKeyConstraint('company_id', 'tag', name=op.f('pk_company_tags')),
    )
    op.create_table(
        'follow_ups',
        sa.Column('id', ID, autoincrement=True, nullable=False),
        sa.Column('company_id', ID, nullable=False),
        sa.Column('officer_id', sa.BigInteger(), nullable=True),
        sa.Column('officer_name', sa.String(length=128), nullable=False),
        sa.Column('due_on', sa.Date(), nullable=False),
        sa.Column('text', sa.String(length=500), nullable=False),
        sa.Column('status', sa.String(length=8), nullable=False),
        sa.Column('created_at', storage.core.base.UTCDateTime(), nullable=False),
        sa.Column('done_at', storage.core.base.UTCDateTime(), nullable=True),
        sa.Column('escalated_at', storage.core.base.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['company_id'], ['companies.id'], ondelete='CASCADE',
                                name=op.f('fk_follow_ups_company_id_companies')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_ups')),
    )
    op.create_index('ix_follow_ups_officer', 'follow_ups', ['officer_id', 'status', 'due_on'],
                    unique=False)
    op.create_index('ix_follow_ups_due', 'follow_ups', ['status', 'escalated_at', 'due_on'],
                    unique=False)
    op.create_index('ix_follow_ups_company', 'follow_ups', ['company_id', 'status'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_follow_ups_company', table_name='follow_ups')
    op.drop_index('ix_follow_ups_due', table_name='follow_ups')
    op.drop_index('ix_follow_ups_officer', table_name='follow_ups')
    op.drop_table('follow_ups')
    op.drop_table('company_tags')
    op.drop_index('ix_timeline_company', table_name='timeline_entries')
    op.drop_table('timeline_entries')
