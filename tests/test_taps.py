"""How many taps the common tasks cost a company: each message or button press counts one."""

from __future__ import annotations

from dataclasses import dataclass

from bot.texts import t
from frontdoor_emulator import ChatMessage, User
from tests.harness import BotUnderTest, matches
from tests.requests_steps import reference_in


@dataclass
class Taps:
    """A person using the bot, counting what they send."""

    bot: BotUnderTest
    user: User
    count: int = 0

    async def say(self, text: str) -> ChatMessage:
        self.count += 1
        return await self.bot.say(self.user, text)

    async def press(self, message: ChatMessage, label: str) -> ChatMessage:
        self.count += 1
        return await self.bot.press(self.user, message, label)


async def test_booking_a_visit_at_the_own_station_takes_four_taps(
        clocked_bot: BotUnderTest) -> None:
    bot = clocked_bot
    alice = bot.user("Alice")
    await bot.register(alice)
    taps = Taps(bot, alice)
    days = await taps.say("/book")
    assert "上海机器人产业园" in days.text  # the company's own station, preselected
    slots = await taps.press(days, next(b.text for b in days.buttons
                                        if b.text.startswith("12-03")))
    summary = await taps.press(slots, slots.buttons[0].text)
    assert matches("bk_summary_hint", summary.text)
    done = await taps.press(summary, t("zh", "btn_confirm"))
    assert matches("bk_confirmed", done.text)
    assert taps.count == 4


async def test_topic_and_note_are_changed_on_the_summary_and_another_station_is_near(
        clocked_bot: BotUnderTest) -> None:
    bot = clocked_bot
    alice = bot.user("Alice")
    await bot.register(alice)
    taps = Taps(bot, alice)
    days = await taps.say("/book")
    stations = await taps.press(days, t("zh", "bk_btn_other_station"))
    assert matches("bk_ask_station", stations.text)
    days = await taps.press(stations, "上海超能新材料科创园")
    assert "上海超能新材料科创园" in days.text
    slots = await taps.press(days, days.buttons[0].text)
    summary = await taps.press(slots, slots.buttons[0].text)
    summary = await taps.say("想咨询专利质押")  # typed on the summary: the note
    assert matches("bk_note_saved", summary.text)
    assert "想咨询专利质押" in summary.text
    topics = await taps.press(summary, t("zh", "bk_btn_topic"))
    summary = await taps.press(topics, "知识产权质押融资")
    assert "知识产权质押融资" in summary.text
    assert "想咨询专利质押" in summary.text  # the note stays
    done = await taps.press(summary, t("zh", "btn_confirm"))
    assert matches("bk_confirmed", done.text)
    assert "上海超能新材料科创园" in done.text
    assert taps.count == 9


async def test_a_request_for_a_three_question_service_takes_four_taps_plus_the_answers(
        clocked_bot: BotUnderTest) -> None:
    bot = clocked_bot
    alice = bot.user("Alice")
    await bot.register(alice)
    taps = Taps(bot, alice)
    categories = await taps.say("/new")
    services = await taps.press(categories, "知识产权保护及利用")
    await taps.press(services, "知识产权质押融资")
    asked = await bot.emu.next_message(alice)  # the first question follows the intro
    assert "几件" in asked.text
    fixed = taps.count + 1  # the confirm press still to come
    asked = await taps.say("3")
    asked = await taps.say("500")
    asked = await taps.press(asked, "还没有，希望推荐")
    summary = await taps.say("希望用专利质押贷款")  # the description: an answer too
    assert matches("rq_summary_files_hint", summary.text)
    answers = taps.count - fixed + 1
    done = await taps.press(summary, t("zh", "btn_confirm"))
    assert matches("rq_submitted", done.text)
    assert fixed == 4
    assert answers == 4  # three questions and the description
    assert taps.count == fixed + answers


async def test_a_service_found_in_the_catalogue_starts_at_its_first_question(
        bot: BotUnderTest) -> None:
    alice = bot.user("Alice")
    await bot.register(alice)
    taps = Taps(bot, alice)
    card = await taps.say("/start svc-ip-pledge-financing")  # a shared link to the service
    await taps.press(card, t("zh", "btn_need_this"))
    first = await bot.emu.next_message(alice)
    assert "几件" in first.text
    assert taps.count == 2


async def test_files_sent_on_the_summary_are_attached_without_a_step_of_their_own(
        bot: BotUnderTest) -> None:
    alice = bot.user("Alice")
    await bot.register(alice)
    card = await bot.say(alice, "/start svc-other-needs")
    await bot.press(alice, card, t("zh", "btn_need_this"))
    await bot.emu.next_message(alice)
    bot.emu.send_document(alice, filename="early.pdf", content=b"%PDF-1.4 early")
    early = await bot.emu.next_message(alice)
    assert matches("rq_file_then_description", early.text)
    summary = await bot.say(alice, "请看附件")
    bot.emu.send_document(alice, filename="licence.pdf", content=b"%PDF-1.4 licence")
    summary = await bot.emu.next_message(alice)
    assert matches("rq_file_attached", summary.text)
    assert "early.pdf" in summary.text
    assert "licence.pdf" in summary.text
    done = await bot.press(alice, summary, t("zh", "btn_confirm"))
    reference = reference_in(done.text)
    card = await bot.emu.next_message(bot.staff, lambda m: reference in m.content)
    assert "附件：2 个" in card.text
