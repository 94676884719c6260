"""A company types a question in its own words: the bot offers the services it may mean, or
files the question as it is for an officer to answer."""

from __future__ import annotations

from bot.texts import t
from frontdoor_emulator import ChatMessage, User
from tests.harness import BotUnderTest, join_company, matches
from tests.requests_steps import card_of, forge_press, reference_in, submit

QUESTION = "专利质押怎么办理？"
JUST_ASK = t("zh", "btn_ask_direct")


async def offer_for(bot: BotUnderTest, user: User, text: str) -> ChatMessage:
    offer = await bot.say(user, text)
    assert matches("ask_offer", offer.text), offer.text
    return offer


def just_ask_data(offer: ChatMessage) -> str:
    data = offer.button(JUST_ASK).callback_data
    assert data is not None
    return data


async def staff_cards(bot: BotUnderTest) -> list[ChatMessage]:
    await bot.drained()
    return [m for m in bot.emu.messages(bot.staff) if m.inline_keyboard is not None]


async def test_a_question_in_the_companys_own_words_is_offered_three_services_and_just_ask(
    bot: BotUnderTest,
) -> None:
    alice = bot.user("Alice")
    await bot.register(alice)
    offer = await offer_for(bot, alice, QUESTION)
    labels = [b.text for b in offer.buttons]
    assert labels[0] == "知识产权质押融资"
    assert len(labels) == 4
    assert labels[-1] == JUST_ASK
    assert all((b.callback_data or "").startswith("sg:") for b in offer.buttons[:3])
    assert not matches("stray_text", offer.text)


async def test_an_offered_service_opens_its_card_under_the_offer_and_can_be_started(
    bot: BotUnderTest,
) -> None:
    alice = bot.user("Alice")
    await bot.register(alice)
    offer = await offer_for(bot, alice, "我们想用公司的发明专利向银行贷款，可以吗？")
    card = await bot.press(alice, offer, "知识产权质押融资")
    assert card.message_id != offer.message_id  # the offer stays on screen
    assert matches("service_card", card.text)
    assert "知识产权质押融资" in card.text
    assert offer.edit_count == 0
    intro = await bot.press(alice, card, t("zh", "btn_need_this"))
    assert matches("rq_intake_intro", intro.text), intro.text


async def test_just_ask_files_the_question_as_a_request_with_a_card_in_the_staff_group(
    bot: BotUnderTest,
) -> None:
    alice = bot.user("Alice")
    await bot.register(alice)
    question = "商标被别人抢注了，我们还能拿回来吗？"
    offer = await offer_for(bot, alice, question)
    done = await bot.press(alice, offer, JUST_ASK)
    assert done.message_id == offer.message_id  # the offer becomes the confirmation
    assert matches("rq_submitted", done.text), done.text
    card = await card_of(bot, reference_in(done.text))
    assert question in card.text
    assert "上海示例科技有限公司" in card.text
    assert "其他需求" in card.text
    assert [b.text for b in card.buttons] == [t("zh", "btn_claim")]


async def test_a_question_matching_no_service_still_offers_to_just_ask(
    bot: BotUnderTest,
) -> None:
    alice = bot.user("Alice")
    await bot.register(alice)
    offer = await bot.say(alice, "你好")
    assert matches("ask_offer_none", offer.text), offer.text
    assert [b.text for b in offer.buttons] == [t("zh", "btn_ask_direct_only")]


async def test_someone_not_registered_is_asked_to_register_and_may_read_the_services(
    bot: BotUnderTest,
) -> None:
    visitor = bot.user("Visitor")
    hint = await bot.say(visitor, QUESTION)
    assert matches("stray_text_unregistered", hint.text)
    offer = await bot.emu.next_message(visitor)
    assert matches("ask_offer_plain", offer.text)
    labels = [b.text for b in offer.buttons]
    assert labels[0] == "知识产权质押融资"
    assert JUST_ASK not in labels
    card = await bot.press(visitor, offer, "知识产权质押融资")
    assert matches("service_card", card.text)
    # A "just ask" payload pressed anyway files nothing.
    answer = await bot.emu.wait_for_callback_answer(
        forge_press(bot, visitor, offer, "f:ask~1:offer:direct"))
    assert answer.text == t("zh", "stale_button")
    assert await staff_cards(bot) == []


async def test_just_ask_on_an_older_offer_or_pressed_twice_files_nothing_more(
    bot: BotUnderTest,
) -> None:
    alice = bot.user("Alice")
    await bot.register(alice)
    first = await offer_for(bot, alice, QUESTION)
    second = await offer_for(bot, alice, "想做ISO9001认证，有人指导吗？")
    assert second.buttons[0].text == "质量管理体系辅导"
    # The older offer's question was replaced by the newer one.
    answer = await bot.emu.wait_for_callback_answer(
        bot.emu.press_button(alice, first, JUST_ASK))
    assert answer.text == t("zh", "stale_button")
    assert first.edit_count == 0
    assert await staff_cards(bot) == []
    pressed = just_ask_data(second)
    done = await bot.press(alice, second, JUST_ASK)
    assert matches("rq_submitted", done.text)
    # Pressed again, as a slow client that still shows the offer would.
    again = await bot.emu.wait_for_callback_answer(forge_press(bot, alice, second, pressed))
    assert again.text == t("zh", "stale_button")
    cards = await staff_cards(bot)
    assert len(cards) == 1
    assert "想做ISO9001认证，有人指导吗？" in cards[0].text


async def test_forged_offer_buttons_get_a_polite_answer_and_change_nothing(
    bot: BotUnderTest,
) -> None:
    alice = bot.user("Alice")
    await bot.register(alice)
    offer = await offer_for(bot, alice, QUESTION)
    gone = await bot.emu.wait_for_callback_answer(
        forge_press(bot, alice, offer, "sg:no-such-service"))
    assert gone.text == t("zh", "service_gone")
    # The offer's own step and revision, with a value it never showed.
    forged = just_ask_data(offer).rsplit(":", 1)[0] + ":other-needs"
    odd = await bot.emu.wait_for_callback_answer(forge_press(bot, alice, offer, forged))
    assert odd.text == t("zh", "stale_button")
    await bot.emu.expect_no_message(alice)
    assert offer.edit_count == 0
    assert await staff_cards(bot) == []
    # The offer still works.
    done = await bot.press(alice, offer, JUST_ASK)
    assert matches("rq_submitted", done.text)


async def test_someone_elses_offer_cannot_be_pressed_into_a_request(
    bot: BotUnderTest,
) -> None:
    alice, mallory = bot.user("Alice"), bot.user("Mallory")
    await bot.register(alice)
    offer = await offer_for(bot, alice, QUESTION)
    await bot.say(mallory, "/services")
    mallory_chat = bot.emu.messages(mallory)[-1]
    answer = await bot.emu.wait_for_callback_answer(
        forge_press(bot, mallory, mallory_chat, just_ask_data(offer)))
    assert answer.text == t("zh", "stale_button")
    assert await staff_cards(bot) == []


async def test_a_message_while_a_request_is_open_still_reaches_the_officer(
    bot: BotUnderTest,
) -> None:
    alice = bot.user("Alice")
    await bot.register(alice)
    reference = await submit(bot, alice, "想了解商标续展流程")
    await card_of(bot, reference)
    relayed = await bot.say(alice, QUESTION)
    assert matches("rq_message_queued", relayed.text), relayed.text


async def test_a_message_typed_under_an_offer_goes_where_it_would_have_gone(
    bot: BotUnderTest,
) -> None:
    """The offer waits for no answer: once a colleague's request is open, a message reaches
    its officer, and the offer's "just ask" still files the earlier question."""
    alice, bob = bot.user("Alice"), bot.user("Bob")
    await bot.register(alice)
    await join_company(bot, bob, alice)
    offer = await offer_for(bot, alice, QUESTION)
    reference = await submit(bot, bob, "想了解商标续展流程")
    await card_of(bot, reference)
    relayed = await bot.say(alice, "请问商标续展需要多久？")
    assert matches("rq_message_queued", relayed.text), relayed.text
    done = await bot.press(alice, offer, JUST_ASK)
    assert matches("rq_submitted", done.text)
    filed = await card_of(bot, reference_in(done.text))
    assert QUESTION in filed.text


async def test_start_and_cancel_after_an_offer_take_no_notice_of_it(bot: BotUnderTest) -> None:
    """Nobody is in the middle of anything after an offer: /cancel has nothing to cancel (and
    drops the offer), /start greets and shows the menu (and keeps it)."""
    alice = bot.user("Alice")
    await bot.register(alice)
    dropped = await offer_for(bot, alice, QUESTION)
    cancelled = await bot.say(alice, "/cancel")
    assert matches("nothing_to_cancel", cancelled.text), cancelled.text
    stale = await bot.emu.wait_for_callback_answer(
        bot.emu.press_button(alice, dropped, JUST_ASK))
    assert stale.text == t("zh", "stale_button")
    offer = await offer_for(bot, alice, "想做ISO9001认证，有人指导吗？")
    welcome = await bot.say(alice, "/start")
    assert matches("welcome_back", welcome.text), welcome.text
    menu = await bot.emu.next_message(alice)
    assert matches("main_menu", menu.text)
    done = await bot.press(alice, offer, JUST_ASK)
    assert matches("rq_submitted", done.text)
    assert len(await staff_cards(bot)) == 1


async def test_a_keyword_added_to_the_catalogue_is_found_after_reload(bot: BotUnderTest) -> None:
    alice = bot.user("Alice")
    await bot.register(alice)
    question = "直播带货要办什么手续？"
    before = await bot.say(alice, question)
    assert "跨部门问题协调" not in [b.text for b in before.buttons]
    text = bot.catalogue_path.read_text(encoding="utf-8")
    bot.catalogue_path.write_text(
        text.replace("keywords: [多个部门,", "keywords: [直播带货, 多个部门,"), encoding="utf-8")
    await bot.say(bot.admin, "/reload")
    after = await offer_for(bot, alice, question)
    assert after.buttons[0].text == "跨部门问题协调"
