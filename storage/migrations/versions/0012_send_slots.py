"""send slots: one send budget for every replica (PostgreSQL)

Revision ID: 0012_send_slots
Revises: 0011_growth_records
Create Date: 2026-12-02 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.core.base

revision: str = '0012_send_slots'
down_revision: str | None = '0011_growth_records'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'send_slots',
        sa.Column('scope', sa.String(length=32), nullable=False),
        sa.Column('next_at', storage.core.base.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('scope'),
    )


def downgrade() -> None:
    op.drop_table('send_slots')
