"""What storage hands out about companies: frozen dataclasses, no sessions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class CompanyDTO:
    id: int
    credit_code: str
    name: str
    contact_name: str
    phone: str
    station_id: str
    tier: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class JoinRequestDTO:
    id: int
    company_id: int
    user_id: int
    status: str
    created_at: datetime
