"""Cutting HTML to Telegram's limits: counted in UTF-16 units, never inside a tag or entity."""

from __future__ import annotations

import html
import re

import pytest

from bot.core.limits import shorten_html, split_html, utf16_len, visible_len


def plain(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]*>", "", markup))


def balanced(markup: str) -> bool:
    opened = re.findall(r"<([a-z-]+)(?:\s[^>]*)?>", markup)
    closed = re.findall(r"</([a-z-]+)>", markup)
    return sorted(opened) == sorted(closed)


@pytest.mark.parametrize("markup", [
    "短消息",
    "<b>标题</b>\n" + "内容😀" * 2000,
    "<i>" + "斜体" * 3000 + "</i>",
    "&lt;" * 5000,
    "行\n" * 5000,
    '<a href="tg://user?id=1">李科员</a> ' + "😀" * 5000,
])
def test_parts_fit_keep_every_character_and_stay_balanced(markup: str) -> None:
    parts = split_html(markup, 4096)
    assert all(visible_len(p) <= 4096 for p in parts)
    assert "".join(plain(p) for p in parts) == plain(markup)
    assert all(balanced(p) for p in parts)


def test_an_emoji_counts_twice() -> None:
    assert utf16_len("😀") == 2
    assert visible_len("<b>😀</b>&amp;") == 3


def test_a_line_break_near_the_limit_is_the_cut() -> None:
    markup = "甲" * 4000 + "\n" + "乙" * 500
    first, second = split_html(markup, 4096)
    assert first.endswith("\n")
    assert second == "乙" * 500


def test_shortened_text_ends_with_its_marker_and_fits() -> None:
    short = shorten_html("<b>" + "字" * 5000 + "</b>", 1024, "…（续）")
    assert visible_len(short) <= 1024
    assert short.endswith("…（续）")
    assert balanced(short)
