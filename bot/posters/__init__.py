"""QR posters: a printable A4 poster per station and per service, whose QR code opens the bot
there (``/start st-<station>`` or ``svc-<service>``). ``frontdoor posters`` writes the set;
an admin gets a station's in the chat with /poster."""

from __future__ import annotations

from bot.core.features import Features
from bot.posters import chat


def setup(features: Features) -> None:
    """Register /poster."""
    features.add_command("poster", chat.poster_command)
