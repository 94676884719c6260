"""The day an officer means: 2026-12-15, 12月15日, 3天后, 2周后, 明天, 下周."""

from __future__ import annotations

import re
from datetime import date, timedelta

_NUMERALS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
             "九": 9, "十": 10}
_ISO = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_MONTH_DAY = re.compile(r"^(\d{1,2})[月/.-](\d{1,2})[日号]?$")
_AFTER = re.compile(
    r"^(\d{1,3}|[一二两三四五六七八九十]{1,2})(?:个)?(天|日|周|星期|礼拜|个月|月)后$")
_WORDS = {"今天": 0, "明天": 1, "后天": 2, "下周": 7}


def _number(raw: str) -> int | None:
    if raw.isdigit():
        return int(raw)
    if raw == "十":
        return 10
    if len(raw) == 2 and raw[0] == "十":
        return 10 + _NUMERALS.get(raw[1], 0) if raw[1] in _NUMERALS else None
    if len(raw) == 2 and raw[1] == "十":
        return _NUMERALS[raw[0]] * 10 if raw[0] in _NUMERALS else None
    return _NUMERALS.get(raw)


def parse_day(raw: str, today: date) -> date | None:
    """The day ``raw`` names, seen from ``today``; None when it names none.

    A month and day without a year is the next such day (12月15日 typed on 12月20日 is next
    year's); "N 个月后" keeps the day of the month where that month has it.
    """
    text = raw.strip().replace(" ", "")
    if text in _WORDS:
        return today + timedelta(days=_WORDS[text])
    try:
        found = _ISO.match(text)
        if found:
            return date(int(found[1]), int(found[2]), int(found[3]))
        found = _MONTH_DAY.match(text)
        if found:
            day = date(today.year, int(found[1]), int(found[2]))
            return day if day >= today else date(today.year + 1, day.month, day.day)
    except ValueError:
        return None
    found = _AFTER.match(text)
    if not found:
        return None
    count = _number(found[1])
    if count is None or count <= 0:
        return None
    unit = found[2]
    if unit in ("天", "日"):
        return today + timedelta(days=count)
    if unit in ("周", "星期", "礼拜"):
        return today + timedelta(weeks=count)
    month = today.month - 1 + count
    year, month = today.year + month // 12, month % 12 + 1
    for day_of_month in range(today.day, 27, -1):
        try:
            return date(year, month, day_of_month)
        except ValueError:
            continue
    return date(year, month, min(today.day, 28))
