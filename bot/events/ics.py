"""Calendar files for event registrations: one event per registration, updated by SEQUENCE.

A change of time or place keeps the UID and raises SEQUENCE, so calendar programs move the
entry instead of adding a second one; a cancellation is METHOD:CANCEL.
"""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta
from typing import Final

from icalendar import Alarm, Calendar
from icalendar import Event as CalendarEvent

from bot.catalogue.model import Event
from bot.core.replies import FileOut
from bot.texts import t

PRODID = "-//Frontdoor//Events//ZH"
ALARM_BEFORE: Final = timedelta(hours=2)
_UNSAFE: Final = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
_NAME_LIMIT: Final = 60


def event_ics(*, event: Event, registration_id: int, sequence: int, place: str,
              description: str, stamp: datetime, lang: str, day: str,
              cancelled: bool = False) -> FileOut:
    """The .ics that adds (or, with ``cancelled``, removes) the event in a calendar."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancelled else "PUBLISH")
    entry = CalendarEvent()
    entry.add("uid", f"event-{event.id}-{registration_id}@frontdoor")
    entry.add("sequence", sequence)
    entry.add("dtstamp", stamp)
    entry.add("dtstart", event.start)
    entry.add("dtend", event.end)
    entry.add("summary", event.title.get(lang))
    entry.add("description", description)
    entry.add("location", place)
    entry.add("status", "CANCELLED" if cancelled or event.cancelled else "CONFIRMED")
    if not cancelled:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", event.title.get(lang))
        alarm.add("trigger", -ALARM_BEFORE)
        entry.add_component(alarm)
    cal.add_component(entry)
    stem = html.unescape(t(lang, "ev_ics_file", title=event.title.get(lang)[:_NAME_LIMIT],
                           date=day))
    stem = " ".join(_UNSAFE.sub(" ", stem).split()).strip(" .")
    return FileOut(f"{stem or 'event'}.ics", cal.to_ical(), "text/calendar")
