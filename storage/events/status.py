"""The words of an event registration's lifecycle, defined once for the domain and the
repository.

A registration is ``confirmed`` (it holds its seats) or ``waiting`` (on the waiting list of a
full event, promoted to ``confirmed`` when seats free up, in order of joining); it ends
``cancelled`` (by the company, or because the event was called off). Attendance is a moment
on a confirmed registration (``attended_at``), not a status of its own.
"""

from __future__ import annotations

from enum import StrEnum


class RegistrationStatus(StrEnum):
    CONFIRMED = "confirmed"
    WAITING = "waiting"
    CANCELLED = "cancelled"


# A registration that still counts: one per company and event.
LIVE = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING)
