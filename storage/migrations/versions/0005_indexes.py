"""indexes for the lists, the background polls and the company name search

Revision ID: 0005_indexes
Revises: 0004_join_requests
Create Date: 2026-11-27 18:00:00

- /queue and a company's /requests read the first page of an index in the order they show
  (the id breaks ties in the index, so PostgreSQL no longer sorts the company's requests);
- the jobs that look every second for due reminders, escalations and closings, held seats
  that ran out and reminders of visits, find the few rows in question by index instead of
  reading every submitted, resolved or confirmed row;
- company names are searched by substring through a trigram index: SQLite's FTS5 with the
  trigram tokenizer (a shadow table kept in step by triggers), PostgreSQL's pg_trgm where the
  server has that extension. Without either, the search still works, by a scan.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005_indexes'
down_revision: str | None = '0004_join_requests'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FTS = "companies_name_fts"
TRGM = "ix_companies_name_trgm"


def upgrade() -> None:
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.drop_index('ix_requests_queue')
        batch_op.drop_index('ix_requests_company')
        batch_op.create_index('ix_requests_queue', ['status', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_requests_company', ['company_id', 'created_at', 'id'],
                              unique=False)
        batch_op.create_index('ix_requests_due', ['status', 'announced', 'due_at'],
                              unique=False)
        batch_op.create_index('ix_requests_escalate', ['status', 'escalated', 'escalate_at'],
                              unique=False)
        batch_op.create_index('ix_requests_resolved', ['status', 'resolved_at'], unique=False)
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.create_index('ix_bookings_status_start', ['status', 'starts_at'], unique=False)
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        _sqlite_name_index()
    elif bind.dialect.name == "postgresql":
        _postgresql_name_index()


def _sqlite_name_index() -> None:
    bind = op.get_bind()
    try:
        bind.exec_driver_sql(
            f"CREATE VIRTUAL TABLE {FTS} USING fts5(name, content='companies', "
            "content_rowid='id', tokenize='trigram')"
        )
    except sa.exc.OperationalError:
        return  # an SQLite without FTS5 or its trigram tokenizer (before 3.34): scans
    bind.exec_driver_sql(f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')")
    bind.exec_driver_sql(
        f"CREATE TRIGGER {FTS}_ai AFTER INSERT ON companies BEGIN "
        f"INSERT INTO {FTS}(rowid, name) VALUES (new.id, new.name); END"
    )
    bind.exec_driver_sql(
        f"CREATE TRIGGER {FTS}_ad AFTER DELETE ON companies BEGIN "
        f"INSERT INTO {FTS}({FTS}, rowid, name) VALUES ('delete', old.id, old.name); END"
    )
    bind.exec_driver_sql(
        f"CREATE TRIGGER {FTS}_au AFTER UPDATE OF name ON companies BEGIN "
        f"INSERT INTO {FTS}({FTS}, rowid, name) VALUES ('delete', old.id, old.name); "
        f"INSERT INTO {FTS}(rowid, name) VALUES (new.id, new.name); END"
    )


def _postgresql_name_index() -> None:
    bind = op.get_bind()
    available = bind.exec_driver_sql(
        "SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'").first()
    if available is None:
        return
    # In public, once per database: every schema's index uses the same operator class.
    try:
        with bind.begin_nested():
            bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public")
    except sa.exc.DBAPIError:
        return  # not allowed to create extensions here: the search scans
    schema = bind.exec_driver_sql(
        "SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'pg_trgm'"
    ).scalar_one()
    bind.exec_driver_sql(
        f'CREATE INDEX {TRGM} ON companies USING gin (lower(name) "{schema}".gin_trgm_ops)'
    )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for suffix in ("ai", "ad", "au"):
            bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS {FTS}_{suffix}")
        bind.exec_driver_sql(f"DROP TABLE IF EXISTS {FTS}")
    elif bind.dialect.name == "postgresql":
        bind.exec_driver_sql(f"DROP INDEX IF EXISTS {TRGM}")
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.drop_index('ix_bookings_status_start')
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.drop_index('ix_requests_resolved')
        batch_op.drop_index('ix_requests_escalate')
        batch_op.drop_index('ix_requests_due')
        batch_op.drop_index('ix_requests_company')
        batch_op.drop_index('ix_requests_queue')
        batch_op.create_index('ix_requests_company', ['company_id', 'created_at'], unique=False)
        batch_op.create_index('ix_requests_queue', ['status', 'created_at'], unique=False)
