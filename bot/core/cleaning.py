"""What people type, cleaned at the edge before anything stores or shows it.

Control characters have no place in a name or a message (PostgreSQL refuses U+0000 outright,
which made every later read of the row fail), and bidirectional overrides or invisible
characters in a company or person's name let it pose as another on a card.
"""

from __future__ import annotations

import re

# C0 and C1 controls but tab and newline; bidi embeddings, overrides and isolates; invisible
# spaces and the byte-order mark. The zero-width joiner stays: emoji sequences are built on it.
_UNWANTED = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u200c\u200e\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u2069\ufeff]"
)


def clean_text(text: str) -> str:
    """``text`` without control, bidi-override and invisible characters."""
    return _UNWANTED.sub("", text)


def clean_name(text: str) -> str:
    """A name as shown on cards: cleaned, one line, no surrounding spaces."""
    return " ".join(clean_text(text).split())
