"""follow-ups: the request a 差评回访 is about, and the outcome written when it is done

Revision ID: 0013_follow_up_request
Revises: 0012_send_slots
Create Date: 2026-12-03 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013_follow_up_request'
down_revision: str | None = '0012_send_slots'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('follow_ups') as batch:
        batch.add_column(sa.Column('request_id', sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column('outcome', sa.String(length=300), nullable=True))
    op.create_index('ix_follow_ups_request', 'follow_ups', ['request_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_follow_ups_request', table_name='follow_ups')
    with op.batch_alter_table('follow_ups') as batch:
        batch.drop_column('outcome')
        batch.drop_column('request_id')
