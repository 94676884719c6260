"""processed updates keep the answer sent for them, so a redelivered update gets it again

Revision ID: 0017_update_answers
Revises: 0016_catalogue_versions
Create Date: 2026-12-01 15:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0017_update_answers'
down_revision: str | None = '0016_catalogue_versions'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('processed_updates') as batch:
        batch.add_column(sa.Column('answer', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('processed_updates') as batch:
        batch.drop_column('answer')
