"""Events (讲座, 宣贯会, 培训): companies sign up for the catalogue's events, officers check
them in.

Lives here: the list and cards, sign-up with the waiting list, cancelling, the pass (.ics and
check-in QR code), reminders, telling companies of changes, check-in, the attendee list and
its export, and the guard that keeps registered events in the catalogue.
"""

from __future__ import annotations

from bot.core.features import Features
from bot.events import checkin, flow, guard, jobs, signup

__all__ = ["STAFF_COMMANDS", "checkin", "setup", "signup"]

# Staff commands, routed by handlers/events in the staff group.
STAFF_COMMANDS = {"attendees": checkin.attendees}


def setup(features: Features) -> None:
    """Register /events (with its main-menu button), the sign-up flow, the jobs, the guard."""
    features.add_command("events", signup.events_command, menu_label="ev_btn_menu")
    features.add_flow(flow.SignUpFlow())
    # Each job looks at the clock, the catalogue and the database on every tick; claims are
    # conditional updates, so any replica may do the work and none does it twice.
    features.add_job(jobs.send_reminders)
    features.add_job(jobs.announce_changes)
    features.add_catalogue_check(guard.check_catalogue)
    # The day's events at a station appear on its roster (/today and the 08:00 list).
    features.add_roster_lines(checkin.roster_lines)
    # The company's /profile lists the events it signed up for.
    features.add_profile_lines(signup.profile_lines)
