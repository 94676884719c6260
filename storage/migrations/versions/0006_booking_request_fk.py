"""a booking's request becomes a foreign key

Revision ID: 0006_booking_request_fk
Revises: 0005_indexes
Create Date: 2026-12-01 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006_booking_request_fk'
down_revision: str | None = '0005_indexes'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FK = 'fk_bookings_request_id_requests'


def upgrade() -> None:
    # Rows written before the link existed may name a request that is gone: the constraint
    # would refuse them, so they lose the link (the visit itself stays).
    op.execute(sa.text(
        'UPDATE bookings SET request_id = NULL WHERE request_id IS NOT NULL '
        'AND request_id NOT IN (SELECT id FROM requests)'
    ))
    # SQLite cannot add a constraint to a table: batch mode copies it (indexes included).
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.create_foreign_key(FK, 'requests', ['request_id'], ['id'], ondelete='SET NULL')
        batch_op.create_index('ix_bookings_request', ['request_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.drop_index('ix_bookings_request')
        batch_op.drop_constraint(FK, type_='foreignkey')
