"""Companies and their people: the front desk, registration, joining, the catalogue walk.

Lives here: /start and deep links, /help, /language, /profile, /services, the onboarding flow,
credit codes and phone numbers, joining a registered company, and the answer to a message
nobody else took.
"""

from __future__ import annotations

from bot.companies import front, onboarding
from bot.core.features import Features


def setup(features: Features) -> None:
    """Register the front desk's commands, the onboarding flow and the last-word fallback."""
    features.add_command("start", front.start)
    features.add_command("help", front.help_, menu_label="btn_help")
    features.add_command("cancel", front.cancel)
    features.add_command("language", front.language)
    features.add_command("profile", front.profile, menu_label="btn_profile")
    features.add_command("services", front.services, menu_label="btn_services")
    features.add_flow(onboarding.Onboarding())
    # Whatever no feature took: a hint, and the menu for a registered person.
    features.add_fallback(front.stray, last=True)
