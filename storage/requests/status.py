"""The words of a request's lifecycle, defined once for the domain and the repository.

submitted → claimed ⇄ waiting → resolved → closed (rated, or the reopening window passed);
withdrawn while nobody has claimed it; a resolved request can be reopened (→ claimed).
``waiting`` means the officer answered and the company's turn has come.
The values are what the ``requests.status`` column holds; a status event's text is the status
the request moved to.
"""

from __future__ import annotations

from enum import StrEnum


class RequestStatus(StrEnum):
    SUBMITTED = "submitted"
    CLAIMED = "claimed"
    WAITING = "waiting"
    RESOLVED = "resolved"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


# Someone still has to act on it.
OPEN = (RequestStatus.SUBMITTED, RequestStatus.CLAIMED, RequestStatus.WAITING)
# An officer holds it.
WORKING = (RequestStatus.CLAIMED, RequestStatus.WAITING)
