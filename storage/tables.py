"""Every table, imported so that ``Base.metadata`` knows them all."""

from storage.companies.models import Company, JoinRequest
from storage.core.base import Base, UTCDateTime
from storage.core.models import ChatAlias, Dialog, MessageRef, OutboxMessage, ProcessedUpdate, User
from storage.privacy.models import AuditEntry
from storage.requests.models import ReferenceSequence, Request, RequestEvent
from storage.visits.models import Booking, BookingSlot, BookingWait

__all__ = [
    "AuditEntry",
    "Base",
    "Booking",
    "BookingSlot",
    "BookingWait",
    "ChatAlias",
    "Company",
    "Dialog",
    "JoinRequest",
    "MessageRef",
    "OutboxMessage",
    "ProcessedUpdate",
    "ReferenceSequence",
    "Request",
    "RequestEvent",
    "UTCDateTime",
    "User",
]
