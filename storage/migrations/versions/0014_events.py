"""events: seats taken per event, registrations with attendees, check-in tokens, reminders

Revision ID: 0014_events
Revises: 0013_follow_up_request
Create Date: 2026-12-01 14:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.core.base

revision: str = '0014_events'
down_revision: str | None = '0013_follow_up_request'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
LIVE = "status IN ('confirmed', 'waiting')"


def upgrade() -> None:
    op.create_table(
        'event_seats',
        sa.Column('event_id', sa.String(length=32), nullable=False),
        sa.Column('taken', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('event_id', name=op.f('pk_event_seats')),
    )
    op.create_table(
        'event_registrations',
        sa.Column('id', ID, autoincrement=True, nullable=False),
        sa.Column('event_id', sa.String(length=32), nullable=False),
        sa.Column('company_id', ID, nullable=False),
        sa.Column('user_id', sa.BigInteger(), nullable=False),
        sa.Column('seats', sa.Integer(), nullable=False),
        sa.Column('attendees', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('token', sa.String(length=32), nullable=False),
        sa.Column('attended_at', storage.core.base.UTCDateTime(), nullable=True),
        sa.Column('attended_by', sa.BigInteger(), nullable=True),
        sa.Column('day_reminded_at', storage.core.base.UTCDateTime(), nullable=True),
        sa.Column('hour_reminded_at', storage.core.base.UTCDateTime(), nullable=True),
        sa.Column('told_version', sa.String(length=64), nullable=False),
        sa.Column('sequence', sa.Integer(), nullable=False),
        sa.Column('created_at', storage.core.base.UTCDateTime(), nullable=False),
        sa.Column('updated_at', storage.core.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['company_id'], ['companies.id'], ondelete='CASCADE',
                                name=op.f('fk_event_registrations_company_id_companies')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_event_registrations')),
        sa.UniqueConstraint('token', name=op.f('uq_event_registrations_token')),
    )
    op.create_index('uq_event_registrations_company', 'event_registrations',
                    ['event_id', 'company_id'], unique=True,
                    sqlite_where=sa.text(LIVE), postgresql_where=sa.text(LIVE))
    op.create_index('ix_event_registrations_event', 'event_registrations',
                    ['event_id', 'status', 'id'], unique=False)
    op.create_index('ix_event_registrations_company', 'event_registrations',
                    ['company_id', 'status'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_event_registrations_company', table_name='event_registrations')
    op.drop_index('ix_event_registrations_event', table_name='event_registrations')
    op.drop_index('uq_event_registrations_company', table_name='event_registrations')
    op.drop_table('event_registrations')
    op.drop_table('event_seats')
