"""Calendar files for visits: one event per booking line, updated in place by SEQUENCE.

A reschedule keeps the event's UID and raises SEQUENCE, so calendar programs move the event
instead of adding a second one; a cancellation is METHOD:CANCEL with a higher SEQUENCE.
The event is at the station's address and reminds an hour before; the file is named after
the station and the day, so it can be told apart in a chat or a downloads folder.
"""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, vText

from bot.catalogue import Station
from bot.core.replies import FileOut
from bot.texts import t

PRODID = "-//Frontdoor//Window visits//ZH"
# When the calendar program reminds of the visit.
ALARM_BEFORE: Final = timedelta(hours=1)
# Characters file systems or Telegram clients refuse or misread in a file name.
_UNSAFE: Final = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
_NAME_LIMIT: Final = 60  # characters of the station's name


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
    if not cancelled:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary)
        alarm.add("trigger", -ALARM_BEFORE)
        event.add_component(alarm)
    cal.add_component(event)
    return FileOut(file_name(station, start, lang, cancelled=cancelled), cal.to_ical(),
                   "text/calendar")


def file_name(station: Station, start: datetime, lang: str, *, cancelled: bool = False) -> str:
    """``上海机器人产业园 2026-12-03.ics``: the station and the visit's day where it is held."""
    day = start.astimezone(ZoneInfo(station.timezone)).date().isoformat()
    key = "bk_ics_file_cancelled" if cancelled else "bk_ics_file"
    name = station.name.get(lang)[:_NAME_LIMIT]
    # t() escapes for HTML; a file name is plain text.
    stem = html.unescape(t(lang, key, station=name, date=day))
    stem = " ".join(_UNSAFE.sub(" ", stem).split()).strip(" .")
    return f"{stem or 'visit'}.ics"
