"""The 统一社会信用代码 check (GB 32100-2015)."""

from __future__ import annotations

import pytest

from bot.companies.credit_code import (
    CHARSET,
    WEIGHTS,
    CreditCodeResult,
    make_credit_code,
    normalize_credit_code,
    validate_credit_code,
)

# Codes of well-known companies (Huawei, Tencent, Baidu, Alibaba) as printed in public
# sources. That all of them pass is evidence for the algorithm: a mistyped code passes the check
# only once in 31 times.
PUBLISHED = (
    "914403001922038216",
    "9144030071526726XG",
    "91440300708461136T",
    "91110000802100433B",
    "91330100799655058B",
)

# A made-up Baoshan (310113) company used by the other tests.
BAOSHAN_FIRST17 = "91310113MA1GN7LQ2"


def test_the_standard_tables() -> None:
    """31 characters without I, O, Z, S, V; weights are 3^i mod 31."""
    assert len(CHARSET) == 31
    assert not set("IOZSV") & set(CHARSET)
    assert WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


@pytest.mark.parametrize("code", sorted(PUBLISHED))
def test_published_codes_are_valid(code: str) -> None:
    assert validate_credit_code(code) == CreditCodeResult(ok=True, code=code)
    assert make_credit_code(code[:17]) == code


def test_check_character_can_be_a_letter_or_zero() -> None:
    """Sums that are multiples of 31 give check 0; others map into the letters."""
    checks = {make_credit_code(f"91310113MA1GN7L{a}{b}")[-1] for a in CHARSET for b in CHARSET}
    assert checks == set(CHARSET)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("9144 0300 1922 0382 16", "914403001922038216"),
        ("91440300-708461136-t", "91440300708461136T"),
        ("９１４４０３００７１５２６７２６ＸＧ", "9144030071526726XG"),  # full-width
        ("\u300091110000802100433b\n", "91110000802100433B"),  # ideographic space
    ],
)
def test_what_people_type_is_normalised(raw: str, expected: str) -> None:
    assert normalize_credit_code(raw) == expected
    assert validate_credit_code(raw).ok
    assert validate_credit_code(raw).code == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "length"),
        ("91440300192203821", "length"),  # one short
        ("9144030019220382166", "length"),  # one too many
        ("91440300192203821I", "charset"),  # I is not used
        ("9144030019220382O6", "charset"),  # nor O
        ("914403001922038S16", "charset"),  # nor S
        ("91440300192203821?", "charset"),
        ("91A40300192203821" + "6", "division"),  # positions 3-8 are digits
        ("914403001922038217", "check"),
    ],
)
def test_invalid_codes_say_why(raw: str, reason: str) -> None:
    result = validate_credit_code(raw)
    assert not result.ok
    assert result.reason == reason
    assert (result.expected_check is not None) is (reason == "check")


def test_a_wrong_check_character_names_the_right_one() -> None:
    result = validate_credit_code("91330100799655058C")
    assert result == CreditCodeResult(
        ok=False, code="91330100799655058C", reason="check", expected_check="B"
    )


def test_every_single_character_change_is_detected() -> None:
    """Changing any one character to any other character of the alphabet fails the check."""
    for code in [*PUBLISHED, make_credit_code(BAOSHAN_FIRST17)]:
        for position in range(18):
            for replacement in CHARSET:
                if replacement == code[position]:
                    continue
                changed = code[:position] + replacement + code[position + 1 :]
                result = validate_credit_code(changed)
                assert not result.ok, (code, position, replacement)
                assert result.reason in {"check", "division"}


def test_every_swap_of_neighbouring_characters_is_detected() -> None:
    """Transposing two different neighbours among the first 17 (a common slip) fails the check."""
    code = make_credit_code(BAOSHAN_FIRST17)
    for position in range(16):
        a, b = code[position], code[position + 1]
        if a == b:
            continue
        swapped = code[:position] + b + a + code[position + 2 :]
        assert not validate_credit_code(swapped).ok, position


def test_make_credit_code_appends_the_check_character() -> None:
    code = make_credit_code(BAOSHAN_FIRST17.lower())
    assert code[:17] == BAOSHAN_FIRST17
    assert len(code) == 18
    assert validate_credit_code(code).ok


@pytest.mark.parametrize(
    "bad", ["9131011", "91310113MA1GN7LQ2X", "91A10113MA1GN7LQ2", "913101130A1GN7LQI"]
)
def test_make_credit_code_refuses_bad_input(bad: str) -> None:
    with pytest.raises(ValueError, match="cannot make a credit code"):
        make_credit_code(bad)
