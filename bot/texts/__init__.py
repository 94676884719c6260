"""Every user-visible string, one table per language (zh first, en second).

``t(lang, key, **values)`` HTML-escapes every value it is given, so user text can never
change the formatting of a message; pass :class:`Raw` for a value that is already HTML.
"""

from __future__ import annotations

import html
from typing import Any

from bot.texts.en import EN
from bot.texts.zh import ZH

LANGUAGES = ("zh", "en")
# The staff group reads one language; each officer's own toasts follow their language.
STAFF_LANG = "zh"
TABLES = {"zh": ZH, "en": EN}


class Raw(str):
    """A string that is already safe HTML."""

    __slots__ = ()


def esc(value: object) -> str:
    return value if isinstance(value, Raw) else html.escape(str(value), quote=False)


def language_of(code: str | None) -> str:
    """Telegram's ``language_code`` to one of ours: English speakers get en, others zh."""
    return "en" if code and code.lower().startswith("en") else "zh"


def t(lang: str, key: str, /, **values: Any) -> str:
    table = TABLES.get(lang, ZH)
    template = table.get(key) or ZH[key]
    if not values:
        return template
    return template.format(**{k: esc(v) for k, v in values.items()})


def has(key: str) -> bool:
    return key in ZH
