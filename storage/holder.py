"""Every repository over one session: all that a unit of work may touch in the database.

The domain asks ``ctx.requests``, ``ctx.bookings``, … and never sees a session; a savepoint,
the one transaction control the domain needs (try a booking, roll back just that attempt),
is opened here too.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from storage.companies.repo import Companies, JoinRequests
from storage.core.catalogue import CatalogueVersions
from storage.core.repos import ChatAliases, Dialogs, MessageRefs, Outbox, Updates, Users
from storage.events.repo import Registrations
from storage.notices.repo import Notices
from storage.privacy.repo import Privacy
from storage.records.repo import Records, Timeline
from storage.requests.repo import Requests
from storage.requests.snippets import SnippetUses
from storage.visits.repo import Bookings


class Repositories:
    """One holder per unit of work, every repository sharing its session."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self.users = Users(session)
        self.companies = Companies(session)
        self.dialogs = Dialogs(session)
        self.updates = Updates(session)
        self.outbox = Outbox(session)
        self.refs = MessageRefs(session)
        self.aliases = ChatAliases(session)
        self.joins = JoinRequests(session)
        self.requests = Requests(session)
        self.bookings = Bookings(session)
        self.privacy = Privacy(session)
        self.snippets = SnippetUses(session)
        self.timeline = Timeline(session)
        self.records = Records(session)
        self.notices = Notices(session)
        self.registrations = Registrations(session)
        self.catalogue_versions = CatalogueVersions(session)

    @asynccontextmanager
    async def savepoint(self) -> AsyncIterator[Any]:
        """A nested transaction: leaving it with an exception undoes only what it did."""
        try:
            async with self._session.begin_nested() as nested:
                yield nested
        except BaseException:
            self.dialogs.forget_known()  # a dialog written inside may be undone
            raise
