"""The two text tables say the same things: same keys, same placeholders, valid HTML tags."""

from __future__ import annotations

import re
import string

import pytest

from bot.texts import TABLES, t
from bot.texts.en import EN
from bot.texts.zh import ZH


def placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


def test_both_tables_have_the_same_keys() -> None:
    assert sorted(set(ZH) - set(EN)) == [], "missing in en.py"
    assert sorted(set(EN) - set(ZH)) == [], "missing in zh.py"


@pytest.mark.parametrize("key", sorted(ZH))
def test_each_text_takes_the_same_placeholders_in_both_languages(key: str) -> None:
    assert placeholders(ZH[key]) == placeholders(EN.get(key, "")), key


@pytest.mark.parametrize(("lang", "key"), [(lang, key) for lang, table in TABLES.items()
                                           for key in sorted(table)])
def test_each_text_opens_and_closes_its_html_tags(lang: str, key: str) -> None:
    template = TABLES[lang][key]
    opened = re.findall(r"<(b|i|u|s|code|pre|a)\b[^>]*>", template)
    closed = re.findall(r"</(b|i|u|s|code|pre|a)>", template)
    assert sorted(opened) == sorted(closed), f"{lang}:{key}"


def test_a_message_is_recognised_by_its_key_and_not_by_another() -> None:
    """The tests' ``matches`` checks a whole message, its values left open."""
    from tests.harness import matches

    sent = t("zh", "claim_lost", owner="李科员")
    assert matches("claim_lost", sent)
    assert matches("claim_lost", "前文\n" + sent + "\n后文")
    assert not matches("claim_won", sent)
    assert not matches("claim_lost", sent[: len(sent) // 2])


# The Chinese table read as a government service desk writes it: full-width punctuation,
# no question mark beside a colon, no zone ids, no needless exclamation, names unspaced.
NAME_FIELDS = ("who", "owner", "name", "company", "contact", "by", "station", "admins")
# Where an exclamation mark is a real success, the only place one belongs.
EXCLAIM_ALLOWED = {"registered"}


def _visible(template: str) -> str:
    """The words people read: no tags, placeholders as a neutral X, quoted symbols dropped."""
    text = re.sub(r"<[^>]*>", "", template)
    text = re.sub(r"\{[^}]*\}", "X", text)
    return re.sub(r"“[^”]{1,2}”", "", text)  # “!” names a symbol, it is no punctuation


@pytest.mark.parametrize("key", sorted(ZH))
def test_chinese_texts_use_full_width_punctuation(key: str) -> None:
    text = _visible(ZH[key])
    assert not re.search(r"[\u4e00-\u9fff][,;:?!()]|[,;:?!()][\u4e00-\u9fff]", text), text


@pytest.mark.parametrize("key", sorted(ZH))
def test_a_question_mark_and_a_colon_never_stand_together(key: str) -> None:
    assert "？：" not in ZH[key]
    assert "?：" not in ZH[key]


@pytest.mark.parametrize("key", sorted(ZH))
def test_chinese_texts_name_no_iana_zone(key: str) -> None:
    assert not re.search(r"\b(Asia|Europe|America)/", ZH[key])


@pytest.mark.parametrize("key", sorted(ZH))
def test_exclamation_marks_only_for_a_real_success(key: str) -> None:
    if key not in EXCLAIM_ALLOWED:
        assert "！" not in _visible(ZH[key])


@pytest.mark.parametrize("key", sorted(ZH))
def test_no_spaces_around_chinese_names(key: str) -> None:
    fields = "|".join(NAME_FIELDS)
    template = re.sub(r"</?b>", "", ZH[key])
    cjk = r"[\u4e00-\u9fff，。：；（）、]"
    assert not re.search(rf"{cjk} +\{{({fields})\}}|\{{({fields})\}} +{cjk}", template), template
