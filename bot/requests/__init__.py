"""Requests: from a company's question to an officer's answer, through the staff group.

Lives here: the intake flow, free questions (the services offered for what a company typed,
or the question filed as it is), the company's side (/new, /requests, adding information,
withdraw, rate, reopen, messages for the officer), the officers' side (cards, claim, relay,
transfer, resolve, saved answers with /s, /queue, /mine, /find, /history), the
first-response promise in working hours, and the timers that re-announce, escalate and close.

Other features use only the names exported below.
"""

from __future__ import annotations

from bot.core.features import Features
from bot.requests import cards, enterprise, intake, questions, timers
from bot.requests.cards import refresh_card, relay_edit, status_label

# Reports count first-response and resolution times in the same working hours.
from bot.requests.workhours import WorkClock

__all__ = [
    "WorkClock", "refresh_card", "relay_edit", "setup", "status_label",
]


def setup(features: Features) -> None:
    """Register the company's request commands, the request flows, the relay and the timers."""
    features.add_command("new", enterprise.new_command, menu_label="btn_new_request")
    features.add_command("requests", enterprise.requests_command, menu_label="btn_requests")
    features.add_flow(intake.Intake())
    features.add_flow(enterprise.AddInfo())
    features.add_flow(enterprise.PickRequest())
    features.add_flow(enterprise.RatingComment())
    features.add_flow(questions.Ask())
    # A message that is no command or answer goes to the officer of the company's request;
    # without an open request, it is a question, answered with the services it may mean.
    features.add_fallback(enterprise.route_message)
    features.add_fallback(questions.free_question)
    features.add_job(timers.requests_job)
    features.on_staff_group_moved(cards.repost_open_cards)
