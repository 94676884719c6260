"""Registering a company through the bot, as an enterprise user would."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update

from bot.companies.credit_code import make_credit_code
from bot.core.clock import ManualClock
from bot.texts import t
from frontdoor_emulator import ChatMessage
from storage.tables import Company, User
from tests.harness import ACME_CODE, BotUnderTest, matches

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


async def start_registration(bot: BotUnderTest, user: object) -> None:
    welcome = await bot.say(user, "/start")  # type: ignore[arg-type]
    assert matches("welcome", welcome.text)
    first = await bot.emu.next_message(user)  # type: ignore[arg-type]
    assert matches("ask_company_name", first.text)


async def answer_up_to(bot: BotUnderTest, user: object, *answers: str) -> ChatMessage:
    """Start registering and give ``answers`` in order; the bot's reply to the last one."""
    await start_registration(bot, user)
    reply = None
    for text in answers:
        reply = await bot.say(user, text)  # type: ignore[arg-type]
    assert reply is not None
    if matches("phone_noted", reply.text):
        return await bot.emu.next_message(user)  # type: ignore[arg-type]
    return reply


async def count(bot: BotUnderTest, model: type) -> int:
    async with bot.db.reader() as s:
        return int(await s.scalar(select(func.count()).select_from(model)) or 0)


async def test_new_user_is_greeted_in_chinese_and_asked_for_the_company(bot: BotUnderTest) -> None:
    alice = bot.user("Alice")
    await start_registration(bot, alice)


async def test_english_speaking_user_is_greeted_in_english(bot: BotUnderTest) -> None:
    bob = bot.user("Bob", language_code="en-GB")
    welcome = await bot.say(bob, "/start")
    assert "enterprise service stations" in welcome.text
    first = await bot.emu.next_message(bob)
    assert "full registered name" in first.text


async def test_full_registration_links_the_user_to_the_company(bot: BotUnderTest) -> None:
    alice = bot.user("Alice")
    await bot.register(alice)
    profile = await bot.say(alice, "/profile")
    assert "上海示例科技有限公司" in profile.text
    assert ACME_CODE in profile.text
    assert "上海机器人产业园" in profile.text
    assert "一般企业" not in profile.text  # the tier is the bureau's, not shown to the company
    assert await count(bot, Company) == 1


async def test_wrong_check_character_is_refused_with_the_reason(bot: BotUnderTest) -> None:
    alice = bot.user("Alice")
    await start_registration(bot, alice)
    await bot.say(alice, "上海示例科技有限公司")
    wrong = ACME_CODE[:-1] + ("0" if ACME_CODE[-1] != "0" else "1")
    refusal = await bot.say(alice, wrong)
    assert matches("bad_credit_code_check", refusal.text)
    # It does not tell which last character would pass: the typo is as likely in the middle,
    # and the company would type a code that passes the check and is still wrong.
    assert ACME_CODE[-1] not in refusal.text
    short = await bot.say(alice, "9131011")
    assert matches("bad_credit_code_length", short.text)
    letters = await bot.say(alice, "91310113MA1G0000I" + "1")
    assert matches("bad_credit_code_charset", letters.text)
    accepted = await bot.say(alice, ACME_CODE.lower())  # case does not matter
    assert matches("ask_contact_name", accepted.text)


async def test_absurdly_long_company_name_is_refused(bot: BotUnderTest) -> None:
    alice = bot.user("Alice")
    await start_registration(bot, alice)
    refusal = await bot.say(alice, "很" * 3000)
    assert "2–200" in refusal.text
    next_question = await bot.say(alice, "上海示例科技有限公司")
    assert matches("ask_credit_code", next_question.text)


async def test_photo_where_text_is_expected_asks_again(bot: BotUnderTest) -> None:
    alice = bot.user("Alice")
    await start_registration(bot, alice)
    bot.emu.send_photo(alice, content=PNG)
    hint = await bot.emu.next_message(alice)
    assert matches("expect_text", hint.text)
    again = await bot.emu.next_message(alice)
    assert matches("ask_company_name", again.text)


async def test_bad_phone_is_refused_and_shared_contact_is_accepted(bot: BotUnderTest) -> None:
    alice = bot.emu.add_user("Alice", language_code="zh-hans", phone_number="8613912345678")
    await start_registration(bot, alice)
    await bot.say(alice, "上海示例科技有限公司")
    await bot.say(alice, ACME_CODE)
    ask_phone = await bot.say(alice, "王经理")
    assert matches("ask_phone", ask_phone.text)
    refusal = await bot.say(alice, "12345")
    assert matches("bad_phone", refusal.text)
    bot.emu.tap(alice, t("zh", "btn_share_contact"))
    ask_station = await bot.emu.next_message(alice)
    assert matches("ask_station", ask_station.text)
    summary = await bot.press(alice, ask_station, "上海机器人产业园")
    assert "13912345678" in summary.text


async def test_someone_elses_contact_is_not_taken_as_the_phone(bot: BotUnderTest) -> None:
    alice = bot.user("Alice")
    await answer_up_to(bot, alice, "上海示例科技有限公司", ACME_CODE, "王经理")
    bot.emu.send_contact(alice, "8613800000000", user_id=12345)
    refusal = await bot.emu.next_message(alice)
    assert matches("contact_not_own", refusal.text)


async def test_second_user_joins_the_same_company_once_a_contact_agrees(bot: BotUnderTest) -> None:
    alice, carol = bot.user("Alice"), bot.user("Carol")
    await bot.register(alice)
    await start_registration(bot, carol)
    await bot.say(carol, "示例科技")
    question = await bot.say(carol, ACME_CODE)
    assert matches("company_exists", question.text)
    assert "上海示例科技有限公司" in question.text
    requested = await bot.press(carol, question, t("zh", "btn_yes"))
    assert matches("join_requested", requested.text)
    # Not in yet: a public credit code alone opens nothing.
    assert matches("profile_none", (await bot.say(carol, "/profile")).text)
    asked = await bot.emu.next_message(alice, lambda m: matches("join_ask", m.text))
    assert "Carol" in asked.text
    decided = await bot.press(alice, asked, t("zh", "btn_join_approve"))
    assert matches("join_approved_by", decided.text)
    joined = await bot.emu.next_message(carol, lambda m: matches("joined_company", m.text))
    assert "上海示例科技有限公司" in joined.text
    assert await count(bot, Company) == 1
    async with bot.db.reader() as s:
        companies = set(await s.scalars(select(User.company_id).where(User.company_id.is_not(None))))
    assert len(companies) == 1
    profile = await bot.say(carol, "/profile")
    assert "同企业账号：2" in profile.text


async def test_a_declined_join_leaves_the_person_outside(bot: BotUnderTest) -> None:
    alice, mallory = bot.user("Alice"), bot.user("Mallory")
    await bot.register(alice)
    await start_registration(bot, mallory)
    await bot.say(mallory, "示例科技")
    question = await bot.say(mallory, ACME_CODE)
    await bot.press(mallory, question, t("zh", "btn_yes"))
    asked = await bot.emu.next_message(alice, lambda m: matches("join_ask", m.text))
    agree = asked.buttons[0].callback_data or ""
    declined = await bot.press(alice, asked, t("zh", "btn_join_decline"))
    assert matches("join_declined_by", declined.text)
    told = await bot.emu.next_message(mallory, lambda m: matches("join_declined", m.text))
    assert "上海示例科技有限公司" in told.text
    assert matches("profile_none", (await bot.say(mallory, "/profile")).text)
    # The decision is final: pressing again, or agreeing afterwards, changes nothing.
    query = bot.emu.press(alice, asked, agree, forged=True)
    again = await bot.emu.wait_for_callback_answer(query)
    assert matches("join_already_decided", again.text or "")
    assert matches("profile_none", (await bot.say(mallory, "/profile")).text)


async def test_only_the_companys_contacts_may_let_someone_in(bot: BotUnderTest) -> None:
    alice, carol, eve = bot.user("Alice"), bot.user("Carol"), bot.user("Eve")
    await bot.register(alice)
    await bot.register(eve, name="另一家公司", code=make_credit_code("91310113MA1G00009"))
    await start_registration(bot, carol)
    await bot.say(carol, "示例科技")
    await bot.press(carol, await bot.say(carol, ACME_CODE), t("zh", "btn_yes"))
    asked = await bot.emu.next_message(alice, lambda m: matches("join_ask", m.text))
    payload = asked.buttons[0].callback_data or ""
    # Eve copies the payload into her own chat: she is no contact of that company.
    eve_menu = bot.emu.last_message(eve)
    assert eve_menu is not None
    query = bot.emu.press(eve, eve_menu, payload, forged=True)
    refused = await bot.emu.wait_for_callback_answer(query)
    assert matches("not_allowed", refused.text or "")
    # Forged ids and shapes are stale, not errors.
    for forged in ("jn:ok:999999", "jn:maybe:1", "jn:ok:abc"):
        query = bot.emu.press(eve, eve_menu, forged, forged=True)
        assert (await bot.emu.wait_for_callback_answer(query)).text
    assert matches("profile_none", (await bot.say(carol, "/profile")).text)


async def test_a_company_with_no_contact_left_is_decided_by_an_officer(bot: BotUnderTest) -> None:
    alice, carol = bot.user("Alice"), bot.user("Carol")
    await bot.register(alice)
    async with bot.db.session() as s:
        await s.execute(update(User).where(User.id == alice.id).values(company_id=None))
    await start_registration(bot, carol)
    await bot.say(carol, "示例科技")
    await bot.press(carol, await bot.say(carol, ACME_CODE), t("zh", "btn_yes"))
    card = await bot.emu.next_message(bot.staff, lambda m: matches("join_ask_staff", m.text))
    bot.emu.press_button(bot.officers[0], card, t("zh", "btn_join_approve"))
    decided = await bot.emu.wait_for_edit(card)
    assert matches("join_approved_by", decided.text)
    await bot.emu.next_message(carol, lambda m: matches("joined_company", m.text))


async def test_declining_to_join_asks_for_the_code_again(bot: BotUnderTest) -> None:
    alice, carol = bot.user("Alice"), bot.user("Carol")
    await bot.register(alice)
    await start_registration(bot, carol)
    await bot.say(carol, "另一家公司")
    question = await bot.say(carol, ACME_CODE)
    again = await bot.press(carol, question, t("zh", "btn_no"))
    assert matches("ask_credit_code", again.text)
    other = make_credit_code("91310113MA1G00009")
    assert matches("ask_contact_name", (await bot.say(carol, other)).text)


async def test_start_in_the_middle_resumes_at_the_same_question(bot: BotUnderTest) -> None:
    alice = bot.user("Alice")
    await start_registration(bot, alice)
    await bot.say(alice, "上海示例科技有限公司")
    hint = await bot.say(alice, "/start")
    assert matches("resume_hint", hint.text)
    question = await bot.emu.next_message(alice)
    assert matches("ask_credit_code", question.text)


async def test_cancel_leaves_the_flow_and_forgets_the_answers(bot: BotUnderTest) -> None:
    alice = bot.user("Alice")
    await start_registration(bot, alice)
    await bot.say(alice, "上海示例科技有限公司")
    done = await bot.say(alice, "/cancel")
    assert matches("cancelled", done.text)
    stray = await bot.say(alice, "91310113MA1G000011")
    assert "/start" in stray.text
    nothing = await bot.say(alice, "/cancel")
    assert matches("nothing_to_cancel", nothing.text)


async def test_station_deep_link_preselects_the_station(bot: BotUnderTest) -> None:
    alice = bot.user("Alice")
    await bot.say(alice, "/start st-robot-park")
    preselected = await bot.emu.next_message(alice)
    assert "上海机器人产业园" in preselected.text
    await bot.emu.next_message(alice)  # step 1
    await bot.say(alice, "上海示例科技有限公司")
    await bot.say(alice, ACME_CODE)
    await bot.say(alice, "王经理")
    noted = await bot.say(alice, "021-66661234")
    assert matches("phone_noted", noted.text)
    summary = await bot.emu.next_message(alice)
    assert matches("profile_summary", summary.text)  # no station question: it was preselected
    assert "上海机器人产业园" in summary.text


async def test_service_deep_link_opens_the_service(bot: BotUnderTest) -> None:
    alice = bot.user("Alice")
    card = await bot.say(alice, "/start svc-ip-pledge-financing")
    assert "知识产权质押融资" in card.text
    assert matches("service_card", card.text)
    gone = await bot.say(alice, "/start svc-no-such-thing")
    assert matches("service_gone", gone.text)


async def test_language_switch_is_stored_and_survives_a_restart(bot: BotUnderTest) -> None:
    alice = bot.user("Alice")
    pick = await bot.say(alice, "/language")
    switched = await bot.press(alice, pick, "English")
    assert "English" in switched.text
    help_text = await bot.say(alice, "/help")
    assert "registers your company" in help_text.text
    await bot.restart()
    again = await bot.say(alice, "/help")
    assert "registers your company" in again.text


async def test_forged_and_stale_buttons_change_nothing(bot: BotUnderTest) -> None:
    alice = bot.user("Alice")
    ask_station = await answer_up_to(bot, alice, "上海示例科技有限公司", ACME_CODE, "王经理",
                                          "13800138000")
    # A forged station id for the right step is refused and the question asked again.
    prefix = (ask_station.buttons[0].callback_data or "").rsplit(":", 1)[0]
    assert prefix.startswith("f:onb~")
    query = bot.emu.press(alice, ask_station, prefix + ":robot-prk", forged=True)
    answer = await bot.emu.wait_for_callback_answer(query)
    assert answer is not None
    hint = await bot.emu.next_message(alice)
    assert matches("expect_button", hint.text)
    # A button of another step is stale.
    query = bot.emu.press(alice, ask_station, prefix.replace(":station", ":confirm") + ":ok",
                          forged=True)
    stale = await bot.emu.wait_for_callback_answer(query)
    assert stale.text is not None
    assert matches("stale_button", stale.text)
    # A payload nobody knows.
    query = bot.emu.press(alice, ask_station, "zz:" + "x" * 40, forged=True)
    unknown = await bot.emu.wait_for_callback_answer(query)
    assert unknown.text is not None
    assert matches("stale_button", unknown.text)
    assert await count(bot, Company) == 0


async def test_unknown_command_and_stray_text_get_a_hint(bot: BotUnderTest) -> None:
    alice = bot.user("Alice")
    unknown = await bot.say(alice, "/frobnicate")
    assert "/help" in unknown.text
    stray = await bot.say(alice, "你好")
    assert "/start" in stray.text


async def test_help_explains_in_five_lines(bot: BotUnderTest) -> None:
    alice = bot.user("Alice")
    help_text = await bot.say(alice, "/help")
    numbered = [line for line in help_text.text.splitlines() if line[:2] in {"1.", "2.", "3.", "4.", "5."}]
    assert len(numbered) == 5


async def test_profile_can_be_edited(bot: BotUnderTest) -> None:
    alice = bot.user("Alice")
    await bot.register(alice)
    profile = await bot.say(alice, "/profile")
    menu = await bot.press(alice, profile, t("zh", "btn_edit"))
    ask = await bot.press(alice, menu, t("zh", "field_contact"))
    assert matches("ask_contact_name", ask.text)
    await bot.say(alice, "赵主任")
    updated = await bot.emu.next_message(alice)
    assert "赵主任" in updated.text


async def test_company_name_with_html_is_shown_literally(bot: BotUnderTest) -> None:
    alice = bot.user("Alice")
    await bot.register(alice, name="<b>Acme & Co</b>")
    profile = await bot.say(alice, "/profile")
    assert "<b>Acme & Co</b>" in profile.text  # shown as typed, not as bold markup


async def test_confirm_on_an_older_summary_is_stale_and_registers_nothing(
    bot: BotUnderTest,
) -> None:
    alice = bot.user("Alice")
    ask_station = await answer_up_to(bot, alice, "上海示例科技有限公司", ACME_CODE, "王经理",
                                          "13800138000")
    old_summary = await bot.press(alice, ask_station, "上海机器人产业园")
    old_confirm = old_summary.button(t("zh", "btn_confirm")).callback_data or ""
    menu = await bot.press(alice, old_summary, t("zh", "btn_edit"))
    assert not old_summary.buttons  # the answer is written on it; nothing left to press
    assert matches("chosen_answer", old_summary.text)
    ask = await bot.press(alice, menu, t("zh", "field_phone"))
    await bot.say(alice, "021-66661234")
    new_summary = await bot.emu.next_message(alice)
    assert "021-66661234" in new_summary.text
    # A client that still shows the old buttons (or a forged press) gets nowhere.
    query = bot.emu._press(alice, old_summary, old_confirm, False)
    stale = await bot.emu.wait_for_callback_answer(query)
    assert stale.text is not None
    assert matches("stale_button", stale.text)
    assert await count(bot, Company) == 0
    assert ask.message_id != new_summary.message_id
    done = await bot.press(alice, new_summary, t("zh", "btn_confirm"))
    assert matches("registered", done.text)


async def test_a_command_that_needs_registration_does_not_lose_the_registration(
    bot: BotUnderTest,
) -> None:
    alice = bot.user("Alice")
    await start_registration(bot, alice)
    await bot.say(alice, "上海示例科技有限公司")
    refusal = await bot.say(alice, "/book")
    assert matches("need_registration", refusal.text)
    next_question = await bot.say(alice, ACME_CODE)
    assert matches("ask_contact_name", next_question.text)  # the answers so far are still there


async def test_a_declined_person_waits_a_day_before_asking_again(
        clocked_bot: BotUnderTest) -> None:
    """Five decline and ask-again rounds used to put five prompts on the contact's phone."""
    bot = clocked_bot
    assert isinstance(bot.clock, ManualClock)
    alice, mallory = bot.user("Alice"), bot.user("Mallory")
    await bot.register(alice)

    async def ask() -> ChatMessage:
        await start_registration(bot, mallory)
        await bot.say(mallory, "示例科技")
        question = await bot.say(mallory, ACME_CODE)
        return await bot.press(mallory, question, t("zh", "btn_yes"))

    assert matches("join_requested", (await ask()).text)
    asked = await bot.emu.next_message(alice, lambda m: matches("join_ask", m.text))
    await bot.press(alice, asked, t("zh", "btn_join_decline"))
    await bot.emu.next_message(mallory, lambda m: matches("join_declined", m.text))
    for _ in range(3):
        assert matches("join_cooldown", (await ask()).text)
    await bot.emu.expect_no_message(alice, within=0.5)
    bot.clock.advance(timedelta(hours=25))
    assert matches("join_requested", (await ask()).text)
    await bot.emu.next_message(alice, lambda m: matches("join_ask", m.text))


async def test_a_mistyped_code_can_be_corrected_before_confirming(bot: BotUnderTest) -> None:
    alice = bot.user("Alice")
    await start_registration(bot, alice)
    other = make_credit_code("91310113MA1G00077")
    await bot.say(alice, "上海示例科技有限公司")
    await bot.say(alice, other)
    await bot.say(alice, "王经理")
    await bot.say(alice, "13800138000")
    ask_station = await bot.emu.next_message(alice)
    summary = await bot.press(alice, ask_station, "上海机器人产业园")
    assert other in summary.text
    menu = await bot.press(alice, summary, t("zh", "btn_edit"))
    ask_code = await bot.press(alice, menu, t("zh", "field_code"))
    assert matches("ask_credit_code", ask_code.text)
    again = await bot.say(alice, ACME_CODE)
    assert ACME_CODE in again.text
    assert other not in again.text
    done = await bot.press(alice, again, t("zh", "btn_confirm"))
    assert matches("registered", done.text)
