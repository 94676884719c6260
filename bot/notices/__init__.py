"""Notices (通知): an admin sends a policy or events notice to an audience of companies, now
or at a time; it goes out through the outbox's bulk lane, resumably, once per person, with a
live progress message. People choose in /settings which kinds they receive.
"""

from __future__ import annotations

from bot.core.features import Features
from bot.notices import compose, control, deliver, prefs


def setup(features: Features) -> None:
    """Register /notice (its flow), /notices, /settings and the delivery job."""
    features.add_flow(compose.Compose())
    features.add_command("notice", compose.notice_command)
    features.add_command("notices", control.notices_command)
    features.add_command("settings", prefs.settings_command)
    features.add_job(deliver.notices_job)
