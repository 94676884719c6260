"""Calendar files for visits: one event per booking line, updated in place by SEQUENCE.

A reschedule keeps the event's UID and raises SEQUENCE, so calendar programs move the event
instead of adding a second one; a cancellation is METHOD:CANCEL with a higher SEQUENCE.
"""

from __future__ import annotations

from datetime import datetime

from icalendar import Calendar, Event, vText

from bot.catalogue import Station
from bot.core.replies import FileOut

PRODID = "-//Frontdoor//Window visits//ZH"


def visit_ics(
    *, uid: str, sequence: int, station: Station, start: datetime, end: datetime,
    summary: str, description: str, stamp: datetime, lang: str, cancelled: bool = False,
) -> FileOut:
    """The .ics file that adds (or, with ``cancelled``, removes) a visit in a calendar."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", stamp)
    # UTC instants: every calendar program shows them in its own zone, correctly.
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", summary)
    event.add("description", description)
    event["location"] = vText(station.address.get(lang))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    cal.add_component(event)
    name = "visit-cancelled.ics" if cancelled else "visit.ics"
    return FileOut(name, cal.to_ical(), "text/calendar")
