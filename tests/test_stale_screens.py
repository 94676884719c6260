"""Screens that stay true: answers recorded on their questions, keyboards taken away, drafts
never dropped silently, and visits that can no longer be changed saying why."""

from __future__ import annotations

import datetime as dt

from bot.texts import t
from tests.harness import BotUnderTest, matches, shown
from tests.requests_steps import open_service
from tests.test_booking_flow import book_first_slot


async def test_a_chosen_answer_is_written_on_its_question_and_its_buttons_go(
        bot: BotUnderTest) -> None:
    alice = bot.user("Alice")
    await bot.register(alice)
    ask_count = await open_service(bot, alice, "ip-pledge-financing")
    ask_amount = await bot.say(alice, "3")
    ask_bank = await bot.press(alice, ask_amount, t("zh", "btn_skip"))
    assert not ask_amount.buttons
    assert ask_amount.text.endswith(shown("chosen_answer", answer=t("zh", "btn_skip")))
    await bot.press(alice, ask_bank, "还没有，希望推荐")
    assert not ask_bank.buttons
    assert matches("chosen_answer", ask_bank.text)
    assert "还没有，希望推荐" in ask_bank.text
    # A typed answer moves on without touching the typed question.
    assert ask_count.buttons


async def test_a_typed_phone_number_takes_the_share_keyboard_away(bot: BotUnderTest) -> None:
    alice = bot.user("Alice")
    await bot.say(alice, "/start")
    await bot.emu.next_message(alice)
    await bot.say(alice, "上海示例科技有限公司")
    from tests.harness import ACME_CODE

    await bot.say(alice, ACME_CODE)
    await bot.say(alice, "王经理")
    assert bot.emu.chat(alice).reply_keyboard is not None  # 📱 share my number
    noted = await bot.say(alice, "13800138000")
    assert noted.text == shown("phone_noted", phone="13800138000")
    ask_station = await bot.emu.next_message(alice)
    assert matches("ask_station", ask_station.text)
    assert bot.emu.chat(alice).reply_keyboard is None


async def test_a_menu_tap_in_the_middle_of_a_form_asks_before_dropping_it(
        clocked_bot: BotUnderTest) -> None:
    bot = clocked_bot
    alice = bot.user("Alice")
    await bot.register(alice)
    await open_service(bot, alice, "ip-pledge-financing")
    ask_amount = await bot.say(alice, "3")
    asked = await bot.say(alice, "/book")
    assert asked.text == shown("draft_pending", what=t("zh", "flow_title_req"))
    # Going on: the same question again, the answer so far kept.
    query = bot.emu.press_button(alice, asked, t("zh", "btn_draft_keep"))
    assert (await bot.emu.wait_for_callback_answer(query)).text == t("zh", "draft_kept")
    again = await bot.emu.next_message(alice)
    assert "拟融资金额" in again.text
    ask_bank = await bot.say(alice, "500")
    assert "意向银行" in ask_bank.text
    assert ask_amount.text
    # Giving it up: the booking starts, and the form is gone for good.
    asked = await bot.say(alice, "/book")
    drop = t("zh", "btn_draft_drop", what=t("zh", "flow_title_bk"))
    days = await bot.press(alice, asked, drop)
    assert "上海机器人产业园" in days.text
    assert days.message_id == asked.message_id  # the question became the first screen
    resumed = await bot.say(alice, "/start")
    assert "意向银行" not in resumed.text


async def test_a_form_at_its_first_question_is_simply_replaced(bot: BotUnderTest) -> None:
    alice = bot.user("Alice")
    await bot.register(alice)
    await bot.say(alice, "/new")  # nothing chosen yet
    days = await bot.say(alice, "/book")
    assert not matches("draft_pending", days.text)


async def test_a_visit_called_off_before_its_day_is_not_listed_as_past(
        clocked_bot: BotUnderTest) -> None:
    bot = clocked_bot
    alice = bot.user("Alice")
    await bot.register(alice)
    await book_first_slot(bot, alice)
    listing = await bot.say(alice, "/bookings")
    sure = await bot.press(alice, listing, "✖ 取消 BK000001")
    await bot.press(alice, sure, t("zh", "bk_btn_cancel_yes"))
    await bot.emu.next_message(alice)  # the cancellation's calendar file
    listing = await bot.say(alice, "/bookings")
    called_off = listing.text.index(shown("bk_list_called_off"))
    assert listing.text.index("BK000001") > called_off
    assert shown("bk_list_past") not in listing.text


async def test_inside_the_cutoff_the_listing_says_why_and_whom_to_call(
        clocked_bot: BotUnderTest) -> None:
    bot = clocked_bot
    alice = bot.user("Alice")
    await bot.register(alice)
    await book_first_slot(bot, alice)
    # Thursday 09:00 Shanghai minus 1 hour: inside the robot park's 120-minute cutoff.
    bot.clock.set(dt.datetime(2026, 12, 3, 0, 0, tzinfo=dt.UTC))  # type: ignore[attr-defined]
    listing = await bot.say(alice, "/bookings")
    assert not any("BK000001" in b.text for b in listing.buttons)
    assert matches("bk_locked", listing.text)
    assert "2 小时" in listing.text
    assert shown("station_reach") in listing.text
