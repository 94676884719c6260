"""An enterprise submits a request; officers see, claim and answer it in the staff group."""

from __future__ import annotations

from datetime import timedelta

from bot.texts import t
from tests.harness import BETA_CODE, BotUnderTest, matches
from tests.requests_steps import CONFIRM, card_of, open_service, reference_in, submit


async def test_submitted_request_gets_a_reference_and_a_card_with_claim(
        clocked_bot: BotUnderTest) -> None:
    bot = clocked_bot
    alice = bot.user("Alice")
    await bot.register(alice)
    reference = await submit(bot, alice, "我们需要办理商标续展")
    # Robot park's code, December 2026 in Shanghai, first of the month.
    assert reference == "RP-2612-0001"
    card = await card_of(bot, reference)
    assert "上海示例科技有限公司" in card.text
    assert matches("tier_standard", card.text)
    assert "standard" not in card.text  # the tier in the staff's language, not its stored id
    assert "我们需要办理商标续展" in card.text
    assert "其他需求" in card.text
    assert [b.text for b in card.buttons] == ["✋ 认领"]
    second = await submit(bot, alice, "还有一个问题")
    assert second == "RP-2612-0002"


async def test_expected_response_time_counts_working_hours(clocked_bot: BotUnderTest) -> None:
    bot = clocked_bot
    # Friday 4 Dec 2026, 16:00 in Shanghai: four working hours end Monday at noon.
    bot.clock.advance(timedelta(days=3, hours=7))  # type: ignore[attr-defined]
    alice = bot.user("Alice")
    await bot.register(alice)
    await open_service(bot, alice, "other-needs")
    files = await bot.say(alice, "描述")
    summary = files
    done = await bot.press(alice, summary, CONFIRM)
    assert "2026-12-07 12:00" in done.text
    assert t("zh", "zone_beijing") in done.text


async def test_form_answers_are_typed_and_checked(clocked_bot: BotUnderTest) -> None:
    bot = clocked_bot
    alice = bot.user("Alice")
    await bot.register(alice)
    ask_count = await open_service(bot, alice, "ip-pledge-financing")
    assert "几件" in ask_count.text
    assert matches("rq_hint_count", ask_count.text)  # a count: whole numbers
    refused = await bot.say(alice, "12.5")
    assert matches("rq_bad_count", refused.text)
    ask_amount = await bot.say(alice, "三件")  # Chinese numerals and measure words are fine
    assert matches("rq_optional", ask_amount.text)
    assert matches("rq_hint_amount", ask_amount.text)
    ask_bank = await bot.say(alice, "五百万")  # in a question asked in 万元: 500
    assert "意向银行" in ask_bank.text
    typed = await bot.say(alice, "工商银行")
    assert matches("rq_choose_button", typed.text)
    ask_description = await bot.press(alice, ask_bank, "还没有，希望推荐")
    assert matches("rq_ask_description", ask_description.text)
    files = await bot.say(alice, "希望用两件专利质押贷款")
    summary = files
    assert "3" in summary.text
    assert "还没有，希望推荐" in summary.text
    assert "拟融资金额（万元）：500" in summary.text
    done = await bot.press(alice, summary, CONFIRM)
    card = await card_of(bot, reference_in(done.text))
    assert "拟质押的专利、商标共有几件？\n  答：3" in card.text


async def test_date_question_refuses_the_past_and_reads_chinese_dates(
        clocked_bot: BotUnderTest) -> None:
    bot = clocked_bot
    alice = bot.user("Alice")
    await bot.register(alice)
    ask = await open_service(bot, alice, "clinical-trial-matching")
    ask = await bot.press(alice, ask, "创新药")
    ask_date = await bot.press(alice, ask, "临床试验")
    assert matches("rq_hint_date", ask_date.text)
    assert matches("rq_date_past", (await bot.say(alice, "2026-11-30")).text)
    assert matches("rq_bad_date", (await bot.say(alice, "下个月")).text)
    ask_description = await bot.say(alice, "12月3日")
    assert matches("rq_ask_description", ask_description.text)
    files = await bot.say(alice, "寻找合作医院")
    summary = files
    assert "2026-12-03" in summary.text
    done = await bot.press(alice, summary, CONFIRM)
    # Not offered at the company's robot park: routed to the first station that offers it.
    assert reference_in(done.text).startswith("BP-")


async def test_overlong_description_is_refused_with_the_limit(bot: BotUnderTest) -> None:
    alice = bot.user("Alice")
    await bot.register(alice)
    await open_service(bot, alice, "other-needs")
    refused = await bot.say(alice, "长" * 4001)
    assert "4001" in refused.text
    assert "4000" in refused.text


async def test_attachments_are_checked_and_follow_the_card(bot: BotUnderTest) -> None:
    alice = bot.user("Alice")
    await bot.register(alice)
    await open_service(bot, alice, "other-needs")
    await bot.say(alice, "请看附件")
    bot.emu.send_document(alice, filename="setup.exe", content=b"MZ\x90\x00")
    assert matches("file_type_refused", (await bot.emu.next_message(alice)).text)
    bot.emu.send_document(alice, filename="big.pdf", content=b"0" * (20 * 1024 * 1024 + 1))
    assert "20 MB" in (await bot.emu.next_message(alice)).text
    bot.emu.send_document(alice, filename="licence.pdf", content=b"%PDF-1.4 licence")
    first = await bot.emu.next_message(alice)
    assert "第 1 个" in first.text
    bot.emu.send_photo(alice, content=PNG)
    second = await bot.emu.next_message(alice)
    summary = second
    assert "licence.pdf" in summary.text
    done = await bot.press(alice, summary, CONFIRM)
    reference = reference_in(done.text)
    card = await card_of(bot, reference)
    assert "附件：2 个" in card.text
    doc = await bot.emu.next_message(bot.staff)
    photo = await bot.emu.next_message(bot.staff)
    assert doc.document is not None
    assert doc.document.filename == "licence.pdf"
    assert photo.photo is not None
    assert doc.reply_to_message_id == card.message_id
    assert photo.reply_to_message_id == card.message_id


async def test_new_needs_registration(bot: BotUnderTest) -> None:
    stranger = bot.user("Stranger")
    reply = await bot.say(stranger, "/new")
    assert "/start" in reply.text


async def test_new_walks_category_then_service(bot: BotUnderTest) -> None:
    alice = bot.user("Alice")
    await bot.register(alice)
    pick = await bot.say(alice, "/new")
    services = await bot.press(alice, pick, "跨部门协调及其他需求")
    intro = await bot.press(alice, services, "跨部门问题协调")
    assert "跨部门问题协调" in intro.text


async def test_service_removed_mid_flow_ends_politely(bot: BotUnderTest) -> None:
    alice = bot.user("Alice")
    await bot.register(alice)
    await open_service(bot, alice, "other-needs")
    text = bot.catalogue_path.read_text(encoding="utf-8")
    start = text.index("  - id: other-needs")
    end = text.index("# ----", start)
    bot.catalogue_path.write_text(text[:start] + text[end:], encoding="utf-8")
    reloaded = await bot.say(bot.admin, "/reload")  # the admin puts the edit in service
    assert matches("reload_ok", reloaded.text, lang="en"), reloaded.text
    ended = await bot.say(alice, "描述")
    assert matches("flow_ended_service_gone", ended.text) or "服务清单" in ended.text


async def test_company_name_with_markup_renders_literally(bot: BotUnderTest) -> None:
    alice = bot.user("Alice")
    await bot.register(alice, name="<b>Acme & Co</b>", code=BETA_CODE)
    reference = await submit(bot, alice, "a < b & c")
    card = await card_of(bot, reference)
    assert "<b>Acme & Co</b>" in card.text
    assert "a < b & c" in card.text


PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d4944415478da63f8cfc0f01f0005000201a5f3c2a10000000049454e44ae426082"
)
