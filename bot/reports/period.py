"""What a typed period means: a month, an ISO week, or ``from..to`` dates (docs/reports.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

MAX_DAYS = 366


class BadPeriod(ValueError):
    """The period could not be read; ``key`` names the text that says why."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


@dataclass(frozen=True, slots=True)
class Period:
    """Local dates ``first`` to ``last``, both included; ``label`` as shown."""

    first: date
    last: date
    label: str

    @property
    def after(self) -> date:
        return self.last + timedelta(days=1)

    def weeks(self) -> list[date]:
        """The Mondays of the weeks the period touches."""
        monday = self.first - timedelta(days=self.first.weekday())
        out = []
        while monday <= self.last:
            out.append(monday)
            monday += timedelta(days=7)
        return out


def _month_end(year: int, month: int) -> date:
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def month(year: int, month_: int) -> Period:
    return Period(date(year, month_, 1), _month_end(year, month_), f"{year}-{month_:02d}")


def last_full_month(today: date) -> Period:
    first = today.replace(day=1) - timedelta(days=1)
    return month(first.year, first.month)


_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_MONTH_ZH = re.compile(r"^(?:(\d{4})年)?(\d{1,2})月$")
_WEEK = re.compile(r"^(\d{4})-?[Ww](\d{1,2})$")
_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def _one(text: str, today: date) -> Period:
    """A single month, week or day."""
    if m := _MONTH.match(text):
        year, mon = int(m[1]), int(m[2])
        if not 1 <= mon <= 12:
            raise BadPeriod("rp_bad_month")
        return month(year, mon)
    if m := _MONTH_ZH.match(text):
        mon = int(m[2])
        if not 1 <= mon <= 12:
            raise BadPeriod("rp_bad_month")
        if m[1]:
            return month(int(m[1]), mon)
        # 11月 alone: the latest November that has begun.
        year = today.year if mon <= today.month else today.year - 1
        return month(year, mon)
    if m := _WEEK.match(text):
        year, week = int(m[1]), int(m[2])
        try:
            monday = date.fromisocalendar(year, week, 1)
        except ValueError:
            raise BadPeriod("rp_bad_week") from None
        return Period(monday, monday + timedelta(days=6), f"{year}-W{week:02d}")
    if m := _DAY.match(text):
        try:
            day = date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            raise BadPeriod("rp_bad_date") from None
        return Period(day, day, day.isoformat())
    raise BadPeriod("rp_bad_period")


def parse_period(text: str | None, today: date) -> Period:
    """The period ``text`` names (None or empty: the last full month); raises BadPeriod."""
    if not text or not text.strip():
        return last_full_month(today)
    text = text.strip().replace("～", "..").replace("~", "..").replace("至", "..")
    if ".." in text:
        left, _, right = text.partition("..")
        a, b = _one(left.strip(), today), _one(right.strip(), today)
        if b.last < a.first:
            raise BadPeriod("rp_bad_order")
        period = Period(a.first, b.last, f"{a.first.isoformat()}..{b.last.isoformat()}")
    else:
        period = _one(text, today)
    if (period.last - period.first).days + 1 > MAX_DAYS:
        raise BadPeriod("rp_too_long")
    return period


def looks_like_period(word: str) -> bool:
    """Does this word try to be a period (so it is not taken for a station's name)?"""
    return bool(re.match(r"^\d{4}-|^\d{4}年|^\d{1,2}月|^\d{4}[Ww]", word)) or ".." in word \
        or "～" in word or "~" in word
