"""Admins: reload the catalogue and hear what changed or what is wrong."""

from __future__ import annotations

from bot.admin import reload
from bot.core.features import Features


def setup(features: Features) -> None:
    """Register /reload."""
    features.add_command("reload", reload.reload)
