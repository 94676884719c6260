"""relay sources: which staff message a relayed copy and its thread entry came from, so
an officer's reply can be marked delivered and recalled

Revision ID: 0009_outbox_sources
Revises: 0008_outbox_lanes
Create Date: 2026-12-02 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009_outbox_sources'
down_revision: str | None = '0008_outbox_lanes'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_chat_id', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('source_message_id', sa.BigInteger(), nullable=True))
        batch_op.create_index('ix_outbox_source', ['source_chat_id', 'source_message_id'],
                              unique=False)
    with op.batch_alter_table('request_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_message_id', sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('request_events', schema=None) as batch_op:
        batch_op.drop_column('source_message_id')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_source')
        batch_op.drop_column('source_message_id')
        batch_op.drop_column('source_chat_id')
