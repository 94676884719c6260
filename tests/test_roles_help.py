"""Officers and admins are users too: each role its own help and its own "/" menu."""

from __future__ import annotations

from tests.harness import BotUnderTest, matches


async def test_help_and_start_in_the_staff_group_answer_officers(bot: BotUnderTest) -> None:
    li = bot.officers[0]
    for command in ("/help", "/start"):
        bot.emu.send_text(li, command, chat=bot.staff)
        answer = await bot.emu.next_message(bot.staff)
        assert matches("help_officer", answer.text), command
        assert not matches("help", answer.text)


async def test_each_role_reads_its_own_help_in_private(bot: BotUnderTest) -> None:
    company_person = bot.user("Alice")
    plain = await bot.say(company_person, "/help")
    assert matches("help", plain.text)
    assert not matches("help_officer", plain.text)
    officer = await bot.say(bot.officers[0], "/help")
    assert matches("help", officer.text)
    assert matches("help_officer", officer.text)
    admin = await bot.say(bot.admin, "/help")
    assert "/reload" in admin.text
    assert "/audit" in admin.text
    assert "/notice" in admin.text
    assert "/settings" in plain.text


async def test_each_audience_gets_its_own_command_menu(bot: BotUnderTest) -> None:
    private = {c["command"] for c in bot.emu.commands({"type": "all_private_chats"})}
    staff = {c["command"] for c in bot.emu.commands({"type": "chat", "chat_id": bot.staff.id})}
    admin = {c["command"] for c in bot.emu.commands({"type": "chat", "chat_id": bot.admin.id})}
    assert {"start", "new", "book", "requests", "settings"} <= private
    assert "queue" not in private
    assert "notice" not in private
    assert {"queue", "mine", "find", "history", "today"} <= staff
    assert "new" not in staff
    assert {"reload", "audit", "new", "notice", "notices"} <= admin
    english = bot.emu.commands({"type": "all_private_chats"}, language_code="en")
    assert english
    assert english != bot.emu.commands({"type": "all_private_chats"})
