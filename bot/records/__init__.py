"""Growth records (成长档案): each company's profile, tier, tags and timeline for officers,
follow-ups (跟踪服务), the export, and the company's own summary in /profile.

Every feature writes to a company's timeline through ``bot.core.timeline.on_record`` in its own
unit of work; this feature reads it and adds officers' notes, tiers, tags and follow-ups.
Other features use nothing of it: they see it only through the hooks registered below.
"""

from __future__ import annotations

from bot.core.features import Features
from bot.records import follow_ups, record, return_visits, summary

# Staff commands, typed in the staff group (the Telegram side holds the staff gate).
STAFF_COMMANDS = {
    "company": record.company_command,
    "tag": record.tag_command,
    "untag": record.untag_command,
    "note": record.note_command,
    "followup": return_visits.followup_command,
}


def setup(features: Features) -> None:
    """Register the follow-ups' job and lines, the 差评回访, and the company's summary in
    /profile."""
    features.add_job(follow_ups.escalate_overdue)
    features.add_officer_items(follow_ups.officer_items)
    features.add_roster_lines(follow_ups.roster_lines)
    features.add_profile_lines(summary.profile_lines)
    # A 差评 opens a 回访 for the officer who handled the request.
    features.on_poor_rating(return_visits.poor_rating)
