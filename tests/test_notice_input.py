"""Notices refuse what they cannot take: a non-admin's /notice, forged buttons, an overlong
text, a schedule in the past. Each gets a short, specific answer and nothing changes."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.core.payloads import NOTICE
from tests.harness import BotUnderTest, matches
from tests.notices_support import (
    compose,
    en,
    labels,
    notice_row,
    notices_count,
    press_new,
    received,
    seed_people,
)


async def test_a_company_person_cannot_write_or_list_notices(bot: BotUnderTest) -> None:
    (alice,) = await seed_people(bot.runtime, bot.emu, 1)
    refused = await bot.say(alice.user, "/notice")
    assert matches("nt_admins_only", refused.text)
    refused = await bot.say(alice.user, "/notices")
    assert matches("nt_admins_only", refused.text)
    # Nothing was started: a message now is not taken as a notice's text.
    assert await notices_count(bot) == 0
    async with bot.db.reader() as s:
        from storage.core.repos import Dialogs

        assert await Dialogs(s).get(alice.user.id, alice.user.id) is None


async def test_forged_buttons_steer_no_notice(bot: BotUnderTest) -> None:
    people = await seed_people(bot.runtime, bot.emu, 2)
    preview = await compose(bot, kind="events")
    await press_new(bot, bot.admin, preview, en("nt_btn_schedule"))
    scheduled = await bot.say(bot.admin, "2099-01-01 09:00")
    assert en("nt_when_far", days=90) in scheduled.text  # and the form still waits
    later = datetime.now(ZoneInfo("Asia/Shanghai")) + timedelta(days=30)
    await bot.say(bot.admin, f"{later:%Y-%m-%d %H:%M}")
    mallory = people[0].user
    screen = await bot.say(mallory, "/settings")  # any message of the bot's will carry it
    for data in (f"{NOTICE}x:1", f"{NOTICE}p:1", f"{NOTICE}c:1", f"{NOTICE}o:spam",
                 f"{NOTICE}i:no-such-category"):
        query = bot.emu.press(mallory, screen, data, forged=True)
        answer = await bot.emu.wait_for_callback_answer(query)
        assert answer.text, data
    row = await notice_row(bot)
    assert row.status == "scheduled"
    assert received(bot.emu, mallory) == []


async def test_an_overlong_text_is_refused_and_the_form_waits_for_a_shorter_one(
        bot: BotUnderTest) -> None:
    await bot.say(bot.admin, "/notice")
    refused = await bot.say(bot.admin, "长" * 3501)
    assert en("nt_too_long", length=3501, limit=3500) in refused.text
    ask_file = await bot.say(bot.admin, "短通知")
    assert en("nt_ask_file") in ask_file.text
    assert await notices_count(bot) == 0


async def test_a_schedule_in_the_past_is_refused(clocked_bot: BotUnderTest) -> None:
    bot = clocked_bot
    await seed_people(bot.runtime, bot.emu, 1)
    preview = await compose(bot)
    ask_when = await press_new(bot, bot.admin, preview, en("nt_btn_schedule"))
    assert en("nt_ask_when") in ask_when.text
    # The clock stands at 2026-12-01 09:00 in Beijing.
    refused = await bot.say(bot.admin, "2026-12-01 08:59")
    assert en("nt_when_past", now="2026-12-01 09:00") in refused.text
    unreadable = await bot.say(bot.admin, "tomorrow-ish")
    assert en("nt_when_unreadable") in unreadable.text
    assert await notices_count(bot) == 0


async def test_a_scheduled_notice_goes_out_at_its_time_or_not_at_all_once_cancelled(
        clocked_bot: BotUnderTest) -> None:
    bot = clocked_bot
    (alice,) = await seed_people(bot.runtime, bot.emu, 1)
    preview = await compose(bot)
    await press_new(bot, bot.admin, preview, en("nt_btn_schedule"))
    done = await bot.say(bot.admin, "2026-12-01 10:00")
    assert en("nt_scheduled", id=1, when="2026-12-01 10:00") in done.text
    preview = await compose(bot, body="第二条通知")
    await press_new(bot, bot.admin, preview, en("nt_btn_schedule"))
    await bot.say(bot.admin, "2026-12-01 10:00")

    bot.clock.advance(timedelta(minutes=59))  # type: ignore[attr-defined]
    listing = await bot.say(bot.admin, "/notices")
    bot.emu.press_button(bot.admin, listing, text=en("nt_btn_cancel_scheduled", id=2))
    relisted = await bot.emu.wait_for_message(
        bot.admin, lambda m: m.message_id == listing.message_id and "(cancelled)" in m.text)
    assert en("nt_btn_cancel_scheduled", id=2) not in labels(relisted)
    assert (await notice_row(bot, 2)).status == "cancelled"
    assert (await notice_row(bot, 1)).status == "scheduled"
    assert received(bot.emu, alice.user) == []

    bot.clock.advance(timedelta(minutes=1))  # type: ignore[attr-defined]
    await wait_status_of(bot, 1, "done")
    await bot.drained()
    assert len(received(bot.emu, alice.user)) == 1
    assert received(bot.emu, alice.user, "第二条通知") == []


async def wait_status_of(bot: BotUnderTest, notice_id: int, status: str) -> None:
    import asyncio

    for _ in range(600):
        row = await notice_row(bot, notice_id)
        if row.status == status:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"notice {notice_id} still {row.status}")
