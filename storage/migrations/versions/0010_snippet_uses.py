"""snippet uses: each officers' saved answer sent on a request, for the monthly report

Revision ID: 0010_snippet_uses
Revises: 0009_outbox_sources
Create Date: 2026-12-01 11:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010_snippet_uses'
down_revision: str | None = '0009_outbox_sources'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'snippet_uses',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True,
                  nullable=False),
        sa.Column('snippet_id', sa.String(length=32), nullable=False),
        sa.Column('request_id', sa.BigInteger(), nullable=False),
        sa.Column('officer_id', sa.BigInteger(), nullable=True),
        sa.Column('used_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_snippet_uses')),
    )
    op.create_index('ix_snippet_uses_period', 'snippet_uses', ['used_at', 'snippet_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_snippet_uses_period', table_name='snippet_uses')
    op.drop_table('snippet_uses')
