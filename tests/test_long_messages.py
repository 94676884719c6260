"""Nothing a person sent is dropped for its length: Telegram counts UTF-16 units (an emoji is
two) and refuses a text over 4,096 or a caption over 1,024; the bot splits, shortens visibly
and keeps the whole text, and tells the sender when a message cannot be delivered at all."""

from __future__ import annotations

import pytest

from bot.core.limits import utf16_len
from bot.texts import t
from frontdoor_emulator import ChatMessage
from tests.harness import BotUnderTest, matches
from tests.requests_steps import CONFIRM, card_of, claimed, open_service, reference_in


@pytest.fixture
def bot(any_bot: BotUnderTest) -> BotUnderTest:
    """These probes run on SQLite and again on PostgreSQL."""
    return any_bot

# The longest description the intake takes (4,000 characters), half of them emoji.
LONGEST = ("企业需求😀" * 800)[:4000]


def joined(messages: list[ChatMessage]) -> str:
    return "".join(m.content for m in messages)


async def test_the_longest_legal_request_is_submitted_and_carded(bot: BotUnderTest) -> None:
    assert utf16_len(LONGEST) > 4096
    alice = bot.user("Alice")
    await bot.register(alice)
    await open_service(bot, alice, "other-needs")
    first = await bot.say(alice, LONGEST)  # the confirm screen, in parts …
    assert not first.buttons
    summary = await bot.emu.next_message(alice)
    assert summary.buttons, "… the buttons under the last"
    assert summary.text.startswith("（续）")
    done = await bot.press(alice, summary, CONFIRM)
    assert matches("rq_submitted", done.text)
    reference = reference_in(done.text)
    card = await card_of(bot, reference)
    assert t("zh", "card_description_cut").strip("…") in card.text
    await bot.drained()
    follow = [m for m in bot.emu.messages(bot.staff) if (m is not card and reference in m.content)
              or m.content.startswith("（续）")]
    assert LONGEST.replace("\n", "") in joined(follow).replace("（续）", "").replace("\n", "")


async def _claimed_request(bot: BotUnderTest) -> tuple[str, ChatMessage]:
    alice = bot.user("Alice")
    await bot.register(alice)
    await open_service(bot, alice, "other-needs")
    files = await bot.say(alice, "需要协调")
    summary = files
    reference = reference_in((await bot.press(alice, summary, CONFIRM)).text)
    card = await claimed(bot, bot.officers[0], await card_of(bot, reference))
    return reference, card


async def test_a_long_company_message_reaches_the_officer_whole(bot: BotUnderTest) -> None:
    await _claimed_request(bot)
    alice = next(u for u in bot.emu.users if u.first_name == "Alice")
    text = "😀" * 2040  # 4,080 UTF-16 units: Telegram's limit, with no room for a label
    bot.emu.skip_unread(bot.staff)
    bot.emu.skip_unread(alice)
    answer = await bot.say(alice, text)
    assert matches("rq_message_sent", answer.text)
    first = await bot.emu.next_message(bot.staff, lambda m: "😀" in m.content)
    rest = await bot.emu.next_message(bot.staff, lambda m: m.content.startswith("（续）"))
    relayed = [first, rest]
    assert joined(relayed).count("😀") == 2040


async def test_a_long_officer_reply_reaches_the_company_whole(bot: BotUnderTest) -> None:
    _, card = await _claimed_request(bot)
    alice = next(u for u in bot.emu.users if u.first_name == "Alice")
    bot.emu.skip_unread(alice)
    reply = "请补充材料。" * 681 + "好"  # 4,087 units: room for nothing else
    bot.emu.send_text(bot.officers[0], reply, chat=bot.staff, reply_to=card)
    first = await bot.emu.next_message(alice, lambda m: "请补充材料" in m.content)
    rest = await bot.emu.next_message(alice, lambda m: m.content.startswith("（续）"))
    got = [first, rest]
    assert joined(got).replace("（续）", "").count("请补充材料。") == 681


async def test_a_file_with_a_long_caption_arrives_with_its_caption_in_full(
        bot: BotUnderTest) -> None:
    _, _ = await _claimed_request(bot)
    alice = next(u for u in bot.emu.users if u.first_name == "Alice")
    caption = "营业执照副本说明" * 125  # 1,000 characters: the label makes it too long
    bot.emu.skip_unread(bot.staff)
    bot.emu.send_document(alice, filename="执照.pdf", content=b"%PDF-1.7\n%\xe2\xe3\n",
                          caption=caption)
    await bot.emu.next_message(alice)
    document = await bot.emu.next_message(bot.staff, lambda m: m.document is not None)
    assert document.content.endswith("…（全文见下条）")
    full = await bot.emu.next_message(bot.staff, lambda m: caption in m.content)
    assert full.document is None


async def test_a_company_message_that_cannot_reach_the_group_is_reported(
        bot: BotUnderTest) -> None:
    await _claimed_request(bot)
    alice = next(u for u in bot.emu.users if u.first_name == "Alice")
    bot.emu.skip_unread(alice)
    bot.emu.set_bot_status(bot.staff, "kicked")  # Telegram now refuses every post there
    await bot.say(alice, "这条消息送不到")
    told = await bot.emu.next_message(alice, lambda m: matches("relay_failed", m.text))
    assert "RP-" in told.text


async def test_an_officer_reply_that_cannot_reach_the_company_is_reported(
        bot: BotUnderTest) -> None:
    _, card = await _claimed_request(bot)
    alice = next(u for u in bot.emu.users if u.first_name == "Alice")
    bot.emu.block(alice)  # the bot learns it only when Telegram refuses the reply
    bot.emu.send_text(bot.officers[0], "这条回复送不到", chat=bot.staff, reply_to=card)
    told = await bot.emu.next_message(bot.staff, lambda m: matches("relay_failed_staff", m.text))
    assert "Alice" in told.text
