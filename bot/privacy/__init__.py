"""People's data has an end: /leave, /forget, /members (a contact removes a colleague),
/audit for admins, and the retention purge. Every act is on the audit log."""

from __future__ import annotations

from bot.core.features import Features
from bot.privacy import people


def setup(features: Features) -> None:
    """Register the privacy commands and the retention job."""
    features.add_command("leave", people.leave_command)
    features.add_command("forget", people.forget_command)
    features.add_command("members", people.members_command)
    features.add_command("audit", people.audit_command)
    features.add_job(people.retention_job)
