"""Every table, imported so that ``Base.metadata`` knows them all."""

from storage.companies.models import Company, JoinRequest
from storage.core.base import Base, UTCDateTime
from storage.core.catalogue import CatalogueVersion
from storage.core.models import (
    ChatAlias,
    Dialog,
    MessageRef,
    OutboxMessage,
    ProcessedUpdate,
    SendSlot,
    User,
)
from storage.events.models import EventRegistration, EventSeats
from storage.notices.models import CompanyInterest, Notice, NoticeOptOut, NoticeRecipient
from storage.privacy.models import AuditEntry
from storage.records.models import CompanyTag, FollowUp, TimelineEntry
from storage.requests.models import ReferenceSequence, Request, RequestEvent, SnippetUse
from storage.visits.models import Booking, BookingSlot, BookingWait

__all__ = [
    "AuditEntry",
    "Base",
    "Booking",
    "BookingSlot",
    "BookingWait",
    "CatalogueVersion",
    "ChatAlias",
    "Company",
    "CompanyInterest",
    "CompanyTag",
    "Dialog",
    "EventRegistration",
    "EventSeats",
    "FollowUp",
    "JoinRequest",
    "MessageRef",
    "Notice",
    "NoticeOptOut",
    "NoticeRecipient",
    "OutboxMessage",
    "ProcessedUpdate",
    "ReferenceSequence",
    "Request",
    "RequestEvent",
    "SendSlot",
    "SnippetUse",
    "TimelineEntry",
    "UTCDateTime",
    "User",
]
