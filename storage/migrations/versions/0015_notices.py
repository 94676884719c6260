"""notices: broadcasts, who each was queued for, opt-outs per kind, companies' interests

Revision ID: 0015_notices
Revises: 0014_events
Create Date: 2026-12-01 14:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.core.base

revision: str = '0015_notices'
down_revision: str | None = '0014_events'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table(
        'notices',
        sa.Column('id', ID, autoincrement=True, nullable=False),
        sa.Column('author_id', sa.BigInteger(), nullable=False),
        sa.Column('author_lang', sa.String(length=8), nullable=False),
        sa.Column('kind', sa.String(length=8), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('file_id', sa.String(length=256), nullable=True),
        sa.Column('file_kind', sa.String(length=16), nullable=True),
        sa.Column('audience', sa.String(length=16), nullable=False),
        sa.Column('audience_values', sa.JSON(), nullable=False),
        sa.Column('services', sa.JSON(), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('send_at', storage.core.base.UTCDateTime(), nullable=False),
        sa.Column('cursor', sa.BigInteger(), nullable=False),
        sa.Column('queued_all', sa.Boolean(), nullable=False),
        sa.Column('created_at', storage.core.base.UTCDateTime(), nullable=False),
        sa.Column('started_at', storage.core.base.UTCDateTime(), nullable=True),
        sa.Column('finished_at', storage.core.base.UTCDateTime(), nullable=True),
        sa.Column('progress_outbox_id', sa.BigInteger(), nullable=True),
        sa.Column('progress_at', storage.core.base.UTCDateTime(), nullable=True),
        sa.Column('progress_text', sa.Text(), nullable=True),
        sa.Column('companies', sa.Integer(), nullable=False),
        sa.Column('sent', sa.Integer(), nullable=False),
        sa.Column('failed', sa.Integer(), nullable=False),
        sa.Column('blocked', sa.Integer(), nullable=False),
        sa.Column('skipped', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notices')),
    )
    op.create_index('ix_notices_status', 'notices', ['status', 'send_at'], unique=False)
    op.create_table(
        'notice_recipients',
        sa.Column('notice_id', ID, nullable=False),
        sa.Column('user_id', sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column('company_id', sa.BigInteger(), nullable=True),
        sa.Column('outbox_id', sa.BigInteger(), nullable=True),
        sa.Column('skipped', sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(['notice_id'], ['notices.id'], ondelete='CASCADE',
                                name=op.f('fk_notice_recipients_notice_id_notices')),
        sa.PrimaryKeyConstraint('notice_id', 'user_id', name=op.f('pk_notice_recipients')),
    )
    op.create_table(
        'notice_opt_outs',
        sa.Column('user_id', sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column('kind', sa.String(length=8), nullable=False),
        sa.Column('at', storage.core.base.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('user_id', 'kind', name=op.f('pk_notice_opt_outs')),
    )
    op.create_table(
        'company_interests',
        sa.Column('company_id', ID, nullable=False),
        sa.Column('category_id', sa.String(length=32), nullable=False),
        sa.Column('at', storage.core.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['company_id'], ['companies.id'], ondelete='CASCADE',
                                name=op.f('fk_company_interests_company_id_companies')),
        sa.PrimaryKeyConstraint('company_id', 'category_id', name=op.f('pk_company_interests')),
    )


def downgrade() -> None:
    op.drop_table('company_interests')
    op.drop_table('notice_opt_outs')
    op.drop_table('notice_recipients')
    op.drop_index('ix_notices_status', table_name='notices')
    op.drop_table('notices')
