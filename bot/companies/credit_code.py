"""The 统一社会信用代码 (Unified Social Credit Code) of GB 32100-2015.

An enterprise is identified by this 18-character code. Its layout:

    position 1       registration authority (登记管理部门), e.g. 9 = market regulation
    position 2       entity category (机构类别) within that authority, e.g. 1 = company
    positions 3-8    administrative division code (登记管理机关行政区划码), six digits
    positions 9-17   organisation code (主体标识码)
    position 18      check character

Every character comes from a 31-character alphabet (digits and capital letters without
I, O, Z, S and V, which are too easily confused with 1, 0, 2, 5 and U). The check character
is computed from the first 17: with weights 3^i mod 31 the weighted sum of their values is
taken modulo 31, and the check is (31 - sum mod 31) mod 31 mapped back to the alphabet.

Positions 1 and 2 are only checked against the alphabet: the list of authorities and
categories has grown by amendment since 2015, and a code the register issued must not be
refused because this table is out of date. The check character catches typos.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Final, Literal

__all__ = [
    "CHARSET",
    "LENGTH",
    "WEIGHTS",
    "CreditCodeResult",
    "check_character",
    "make_credit_code",
    "normalize_credit_code",
    "validate_credit_code",
]

CHARSET: Final = "0123456789ABCDEFGHJKLMNPQRTUWXY"
LENGTH: Final = 18
WEIGHTS: Final = tuple(pow(3, i, 31) for i in range(LENGTH - 1))

_VALUE: Final = {ch: i for i, ch in enumerate(CHARSET)}
# Separators people type or paste between groups of characters; all are dropped.
_SEPARATORS: Final = frozenset(" \t\r\n\u00a0\u3000-‐‑‒–—−﹣－_")

Reason = Literal["length", "charset", "division", "check"]


@dataclass(frozen=True, slots=True)
class CreditCodeResult:
    """The outcome of checking one code.

    ``code`` is the normalised input (whatever its validity), ``reason`` says what is wrong
    (checked in the order length, charset, division, check), and ``expected_check`` is the
    check character the first 17 characters call for when only the check character is wrong.
    """

    ok: bool
    code: str
    reason: Reason | None = None
    expected_check: str | None = None


def normalize_credit_code(raw: str) -> str:
    """Return ``raw`` with separators removed, full-width forms folded, in upper case."""
    folded = unicodedata.normalize("NFKC", raw)
    return "".join(ch for ch in folded if ch not in _SEPARATORS).upper()


def check_character(first17: str) -> str:
    """Return the check character for 17 characters already known to be in the alphabet."""
    if len(first17) != LENGTH - 1:
        raise ValueError(f"expected {LENGTH - 1} characters, got {len(first17)}")
    total = sum(_VALUE[ch] * weight for ch, weight in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def _problem(code: str, length: int) -> Reason | None:
    """Name the first structural problem of a normalised code of the given length."""
    if len(code) != length:
        return "length"
    if any(ch not in _VALUE for ch in code):
        return "charset"
    if not code[2:8].isdigit():
        return "division"
    return None


def validate_credit_code(raw: str) -> CreditCodeResult:
    """Check a code as an enterprise typed or pasted it."""
    code = normalize_credit_code(raw)
    reason = _problem(code, LENGTH)
    if reason is not None:
        return CreditCodeResult(ok=False, code=code, reason=reason)
    expected = check_character(code[:-1])
    if code[-1] != expected:
        return CreditCodeResult(ok=False, code=code, reason="check", expected_check=expected)
    return CreditCodeResult(ok=True, code=code)


def make_credit_code(first17: str) -> str:
    """Append the check character to 17 characters (for tests and data factories)."""
    body = normalize_credit_code(first17)
    reason = _problem(body, LENGTH - 1)
    if reason is not None:
        raise ValueError(f"cannot make a credit code from {first17!r}: bad {reason}")
    return body + check_character(body)
