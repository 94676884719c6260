"""Numbers as people type them: 3, ３, 1,000, 12.5, 三件, 二十五人, 500万, 五百万, 1.2万.

A count is a whole number ("12.5 patents" is refused with a hint that says so); an amount
may have decimals. A question asked in 万元 takes "500万" as 500 — what the person meant —
and a plain 500 as 500 too.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
           "七": 7, "八": 8, "九": 9}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
# Measure words and currency that may follow a number; they change nothing.
_TRAILING = re.compile(r"(?:件|个|人|名|位|项|家|次|份|张|台|套|元|块|左右|以上|约)+$")
_ARABIC = re.compile(r"^\d+(?:\.\d+)?$")
_MIXED = re.compile(r"^(\d+(?:\.\d+)?)([千万亿]+)$")


def _chinese(text: str) -> Decimal | None:
    """十二, 二十五, 一百零五, 两千三, 五百万, 一万二千 (read as Chinese numerals)."""
    if not text or any(ch not in _DIGITS and ch not in _SMALL_UNITS and ch not in _BIG_UNITS
                       for ch in text):
        return None
    total, section, digit = 0, 0, None
    last_unit, zero = 1, False
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
            zero = zero or digit == 0
        elif ch in _SMALL_UNITS:
            unit = _SMALL_UNITS[ch]
            section += (1 if digit is None else digit) * unit
            digit, last_unit, zero = None, unit, False
        else:
            big = _BIG_UNITS[ch]
            section += digit or 0
            total += (section or 1) * big
            section, digit, last_unit, zero = 0, None, big, False
    if digit is not None:
        # 两千三 is 2,300 and 一万二 is 12,000: a last digit right after a unit counts one
        # step below it; after a 零 (一百零五) it counts as itself.
        step = last_unit // 10 if last_unit >= 100 and not zero else 1
        section += digit * step
    return Decimal(total + section)


def read_number(text: str) -> tuple[Decimal, bool] | None:
    """(value, written with 万/千/亿) for a non-negative number as typed, or None."""
    raw = unicodedata.normalize("NFKC", text).strip().replace(",", "").replace(" ", "")
    raw = _TRAILING.sub("", raw)
    if not raw or len(raw) > 24:
        return None
    if _ARABIC.match(raw):
        return Decimal(raw), False
    mixed = _MIXED.match(raw)
    if mixed:
        value = Decimal(mixed.group(1))
        for unit in mixed.group(2):
            value *= {"千": 1000, "万": 10_000, "亿": 100_000_000}[unit]
        return value, True
    chinese = _chinese(raw)
    if chinese is None:
        return None
    return chinese, any(unit in raw for unit in "千万亿")


def parse_count(text: str) -> str | None:
    """A whole number of things, as digits, or None."""
    read = read_number(text)
    if read is None or read[0] != read[0].to_integral_value():
        return None
    return str(int(read[0]))


def parse_amount(text: str, *, in_wan: bool) -> str | None:
    """An amount, as digits; in a question asked in 万元, "500万" is 500."""
    read = read_number(text)
    if read is None:
        return None
    value, scaled = read
    if in_wan and scaled:
        value = value / 10_000
    try:
        normal = value.normalize()
    except InvalidOperation:
        return None
    return format(normal, "f")
