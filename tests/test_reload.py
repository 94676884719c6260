"""Admins edit catalogue.yaml while the bot runs: good edits go live, bad ones never do."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.texts import t
from frontdoor_emulator import BotApiEmulator
from storage.core.db import Database
from tests.conftest import make_bot
from tests.harness import BotUnderTest, matches


def edit_catalogue(bot: BotUnderTest, old: str, new: str) -> None:
    text = bot.catalogue_path.read_text(encoding="utf-8")
    assert old in text, old
    bot.catalogue_path.write_text(text.replace(old, new, 1), encoding="utf-8")


async def test_reload_puts_a_valid_edit_in_service_and_summarises_it(bot: BotUnderTest) -> None:
    edit_catalogue(bot, "name: {zh: 知识产权质押融资", "name: {zh: 知识产权质押融资服务 & <咨询>")
    answer = await bot.say(bot.admin, "/reload")
    assert "Catalogue updated" in answer.text
    assert "ip-pledge-financing" in answer.text
    assert "融资服务 & <咨询>" in answer.text  # escaped once: shown as written
    alice = bot.user("Alice")
    card = await bot.say(alice, "/start svc-ip-pledge-financing")
    assert "知识产权质押融资服务 & <咨询>" in card.text


async def test_broken_edit_keeps_the_running_catalogue_and_names_the_line(bot: BotUnderTest) -> None:
    edit_catalogue(bot, "stations: [bio-park, materials-park, robot-park, university-park]",
                   "stations: [bio-park, materials-park, robot-prk, university-park]")
    answer = await bot.say(bot.admin, "/reload")
    assert "previous one stays in service" in answer.text
    assert "catalogue.yaml:" in answer.text
    assert "did you mean 'robot-park'" in answer.text
    alice = bot.user("Alice")
    listing = await bot.say(alice, "/services")
    assert len(listing.buttons) == len(bot.runtime.cat.categories)
    assert bot.runtime.cat.station("robot-park") is not None


async def test_yaml_syntax_error_is_reported_with_its_line(bot: BotUnderTest) -> None:
    edit_catalogue(bot, "version: 1", "version: 1\nstations: [unclosed")
    answer = await bot.say(bot.admin, "/reload")
    assert "catalogue.yaml:" in answer.text
    assert "previous one stays in service" in answer.text


async def test_only_admins_may_reload(bot: BotUnderTest) -> None:
    mallory = bot.user("Mallory")
    answer = await bot.say(mallory, "/reload")
    assert t("zh", "not_allowed") in answer.text


@pytest.fixture
async def watching_bot(
    emu: BotApiEmulator, sqlite_db: Database, tmp_path: Path
) -> AsyncIterator[BotUnderTest]:
    under_test = make_bot(emu, sqlite_db, tmp_path, catalogue_watch_seconds=0.1)
    await under_test.start()
    yield under_test
    await under_test.stop()


async def test_edit_on_disk_is_picked_up_and_admins_are_told(watching_bot: BotUnderTest) -> None:
    bot = watching_bot
    await bot.say(bot.admin, "/help")  # the admin has talked to the bot
    edit_catalogue(bot, "name: {zh: 知识产权保险", "name: {zh: 知识产权保险服务")
    told = await bot.emu.next_message(bot.admin, timeout=5)
    assert "changed on disk" in told.text
    assert "ip-insurance" in told.text
    edit_catalogue(bot, "version: 1", "version: 2")
    refused = await bot.emu.next_message(bot.admin, timeout=5)
    assert "has errors" in refused.text
    assert bot.runtime.cat.service("ip-insurance").name.zh == "知识产权保险服务"  # type: ignore[union-attr]


async def test_registration_continues_when_its_station_disappears(bot: BotUnderTest) -> None:
    alice = bot.user("Alice")
    await bot.say(alice, "/start st-bureau")
    await bot.emu.next_message(alice)
    await bot.emu.next_message(alice)
    await bot.say(alice, "上海示例科技有限公司")
    from tests.harness import ACME_CODE

    await bot.say(alice, ACME_CODE)
    await bot.say(alice, "王经理")
    await bot.say(alice, "13800138000")
    summary = await bot.emu.next_message(alice)
    assert "宝山区市场监管局" in summary.text
    text = bot.catalogue_path.read_text(encoding="utf-8")
    assert "id: bureau" in text
    # Hide the station by renaming its id everywhere it is referenced.
    bot.catalogue_path.write_text(text.replace("bureau", "bureau-hall"), encoding="utf-8")
    answer = await bot.say(bot.admin, "/reload")
    assert "Catalogue updated" in answer.text, answer.text
    bot.emu.press_button(alice, summary, t("zh", "btn_confirm"))
    again = await bot.emu.wait_for_message(alice)
    assert matches("ask_station", again.text)  # asked for the station again, nothing registered
