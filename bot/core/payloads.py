"""Button payloads (``callback_data``): every feature's prefix, defined in one place.

A payload is ``<prefix><action>:<ids…>``, at most 64 bytes as Telegram allows. The handlers
route by prefix; the domain builds and parses the rest and treats every payload as possibly
forged (ids are checked against what the person pressing may touch).
"""

from __future__ import annotations

import re

# A step of the conversation in progress: f:<flow>~<rev>:<step>:<value>.
FLOW = "f:"
CATEGORY = "c:"  # the catalogue: a category …
SERVICE = "s:"  # … and a service in it
# A service offered for a question the person typed: its card, as a new message under the
# offer, so the other services offered stay on screen.
SUGGESTION = "sg:"
LANGUAGE = "lang:"
PROFILE_EDIT = "pf:edit"
JOIN = "jn:"  # let a colleague join the company, or not
# A request: the company's buttons in private, the card's in the staff group.
REQUEST = "rq:"
BOOKING = "bk:"  # a window visit: book, cancel, reschedule, accept a held seat
ROSTER = "ro:"  # officers: attendance and approvals
PRIVACY = "pv:"  # leave a company, be forgotten, remove a member
DRAFT = "dr:"  # keep or give up a half-filled form before another one starts
RECORD = "gr:"  # officers: a company's growth record, its pages, tier, export, follow-ups
EVENT = "ev:"  # events: the list, an event's card, sign up, cancel, the check-in pass
EVENT_STAFF = "ea:"  # officers: an event's attendee list, attendance, the export
NOTICE = "nt:"  # notices: an admin pauses or cancels a send; anyone's /settings toggles

ALL = (FLOW, CATEGORY, SERVICE, SUGGESTION, LANGUAGE, PROFILE_EDIT, JOIN, REQUEST, BOOKING,
       ROSTER, PRIVACY, DRAFT, RECORD, NOTICE, EVENT, EVENT_STAFF)


def pattern(*prefixes: str) -> str:
    """A regular expression matching payloads that start with any of ``prefixes``."""
    return "^(?:" + "|".join(re.escape(p) for p in prefixes) + ")"
