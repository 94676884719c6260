"""Window visits: companies book a seat in a station's weekly window; officers see who comes.

Lives here: the weekly schedule and its slots, booking, cancelling and rescheduling, the
waiting list, reminders, closures, the roster (/today, /week, attendance, approvals), .ics files.
"""

from __future__ import annotations

from bot.core.features import Features
from bot.visits import booking, flow, jobs, roster

# Reports count the seats the windows offered.
from bot.visits.schedule import slots_on

__all__ = ["setup", "slots_on"]


def setup(features: Features) -> None:
    """Register /book and /bookings, the booking flow, visits' jobs and their lines on requests."""
    features.add_command("book", flow.book_command, menu_label="btn_book")
    features.add_command("bookings", flow.bookings_command, menu_label="btn_bookings")
    features.add_flow(flow.BookingFlow())
    # Each job looks at the clock and the database on every tick, so any replica may do the
    # work and none does it twice.
    features.add_job(jobs.send_reminders)
    features.add_job(jobs.expire_holds)
    features.add_job(jobs.displace_closed)
    features.add_job(roster.morning_roster)
    # A request's card, /history and the company's view show the visits booked about it.
    features.add_request_lines(booking.visit_lines)
