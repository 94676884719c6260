"""The words of a visit's lifecycle, defined once for the domain and the repository.

A seat is ``offered`` (held for a company from the waiting list), ``pending_approval`` (after
repeated no-shows an officer decides), or ``confirmed``; on the day it becomes ``arrived`` or
``no_show``. It ends ``cancelled`` (by the company, a reschedule or a closure), ``declined``
(an officer said no, or the company let an offer go) or ``expired`` (an offer not taken in
time). A place on a waiting list is ``waiting`` until it is offered a seat, or dropped.
"""

from __future__ import annotations

from enum import StrEnum


class BookingStatus(StrEnum):
    OFFERED = "offered"
    PENDING_APPROVAL = "pending_approval"
    CONFIRMED = "confirmed"
    ARRIVED = "arrived"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"
    DECLINED = "declined"
    EXPIRED = "expired"


class WaitStatus(StrEnum):
    WAITING = "waiting"


# Holds a seat that is still to come.
LIVE = (BookingStatus.OFFERED, BookingStatus.PENDING_APPROVAL, BookingStatus.CONFIRMED)
# Counts against a slot's seats.
SEATED = (*LIVE, BookingStatus.ARRIVED, BookingStatus.NO_SHOW)
