"""catalogue versions: the catalogue in service, recorded for every replica to serve

Revision ID: 0016_catalogue_versions
Revises: 0015_notices
Create Date: 2026-12-01 14:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.core.base

revision: str = '0016_catalogue_versions'
down_revision: str | None = '0015_notices'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table(
        'catalogue_versions',
        sa.Column('id', ID, autoincrement=True, nullable=False),
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.Column('content', sa.Text(), nullable=False),
        sa.Column('source', sa.String(length=255), nullable=False),
        sa.Column('recorded_by', sa.String(length=32), nullable=False),
        sa.Column('admin_id', sa.BigInteger(), nullable=True),
        sa.Column('recorded_at', storage.core.base.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_catalogue_versions')),
    )
    op.create_index('ix_catalogue_versions_digest', 'catalogue_versions', ['digest'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_catalogue_versions_digest', table_name='catalogue_versions')
    op.drop_table('catalogue_versions')
