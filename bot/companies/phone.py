"""Mainland China phone numbers: mobiles and landlines with an area code."""

from __future__ import annotations

import re

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}\d{7,8}$")
_EXTENSION = re.compile(r"(?:转|ext\.?|x|#)\s*(\d{1,6})$", re.IGNORECASE)


def normalize_phone(raw: str) -> str | None:
    """A display form of a valid number (``13800138000``, ``021-66661234``), else None."""
    text = raw.strip().translate(str.maketrans("０１２３４５６７８９－（）＋", "0123456789-()+"))
    ext = None
    m = _EXTENSION.search(text)
    if m:
        ext, text = m.group(1), text[: m.start()]
    digits = re.sub(r"[\s\-()]", "", text)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    if not digits.isdigit():
        return None
    if _MOBILE.match(digits):
        return digits
    if _LANDLINE.match(digits):
        # Beijing, Shanghai, Tianjin, Chongqing and 02x cities have 3-digit area codes.
        split = 3 if digits[1] in "12" else 4
        number = f"{digits[:split]}-{digits[split:]}"
        return f"{number}-{ext}" if ext else number
    return None


def normalize_shared_contact(raw: str) -> str:
    """A number Telegram verified: keep it, written the mainland way when it is one."""
    local = normalize_phone(raw)
    if local:
        return local
    digits = re.sub(r"[^\d+]", "", raw)
    return digits if digits.startswith("+") else f"+{digits}"
