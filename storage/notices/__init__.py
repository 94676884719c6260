"""Notices (broadcasts): their tables and repository, and who asked not to receive them."""

from __future__ import annotations

TABLES = ("notices", "notice_recipients", "notice_opt_outs", "company_interests")


class NotWired(Exception):
    """The notices' tables are not part of the schema the migrations and tests build."""


def setup() -> None:
    """Check at start-up that the notices' tables are in ``Base.metadata``.

    The repository is offered to every unit of work as ``ctx.notices`` (storage/holder.py);
    importing this package registers nothing.
    """
    from storage.tables import Base

    missing = [name for name in TABLES if name not in Base.metadata.tables]
    if missing:
        raise NotWired(f"tables missing from storage/tables.py: {', '.join(missing)}")
