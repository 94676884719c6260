"""Every table, imported so that ``Base.metadata`` knows them all."""

from storage.models.base import Base, UTCDateTime
from storage.models.bookings import Booking, BookingSlot, BookingWait
from storage.models.core import (
    ChatAlias,
    Company,
    Dialog,
    JoinRequest,
    MessageRef,
    OutboxMessage,
    ProcessedUpdate,
    User,
)
from storage.models.requests import ReferenceSequence, Request, RequestEvent

__all__ = [
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
