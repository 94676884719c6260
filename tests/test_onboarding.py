"""Registering a company through the bot, as an enterprise user would."""

from __future__ import annotations

from tests.harness import ACME_CODE, BotUnderTest


async def test_new_user_is_greeted_in_chinese_and_asked_for_the_company(bot: BotUnderTest) -> None:
    alice = bot.user("Alice")
    welcome = await bot.say(alice, "/start")
    assert "企业服务直通站" in welcome.text
    first = await bot.emu.next_message(alice)
    assert "企业全称" in first.text


async def test_full_registration_links_the_user_to_the_company(bot: BotUnderTest) -> None:
    alice = bot.user("Alice")
    await bot.register(alice)
    profile = await bot.say(alice, "/profile")
    assert "上海示例科技有限公司" in profile.text
    assert ACME_CODE in profile.text
    assert "上海机器人产业园" in profile.text
