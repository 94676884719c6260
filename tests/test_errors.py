"""When something breaks inside, the person is told, and nothing half-done is kept."""

from __future__ import annotations

from sqlalchemy import text

from bot.texts import t
from tests.harness import BotUnderTest, matches


async def break_dialogs(bot: BotUnderTest) -> None:
    async with bot.db.session() as s:
        await s.execute(text("ALTER TABLE dialogs RENAME TO dialogs_away"))


async def mend_dialogs(bot: BotUnderTest) -> None:
    async with bot.db.session() as s:
        await s.execute(text("ALTER TABLE dialogs_away RENAME TO dialogs"))


async def test_a_failing_command_is_answered_with_an_apology(bot: BotUnderTest) -> None:
    alice = bot.user("Alice")
    await break_dialogs(bot)
    apology = await bot.say(alice, "/start")
    assert matches("internal_error", apology.text)
    await mend_dialogs(bot)
    welcome = await bot.say(alice, "/start")
    assert matches("welcome", welcome.text)


async def test_a_failing_button_press_is_answered_not_left_spinning(bot: BotUnderTest) -> None:
    alice = bot.user("Alice")
    await bot.say(alice, "/start")
    first = await bot.emu.next_message(alice)
    await break_dialogs(bot)
    query = bot.emu.press_button(alice, first, t("zh", "btn_cancel"))
    answer = await bot.emu.wait_for_callback_answer(query)
    assert answer.text is not None
    assert matches("internal_error", answer.text)
    assert answer.show_alert
    await mend_dialogs(bot)
