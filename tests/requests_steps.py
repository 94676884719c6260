"""Steps that request tests share: submit a request, find its card, press as an officer."""

from __future__ import annotations

import asyncio
import re

from bot.texts import t
from frontdoor_emulator import ChatMessage, User
from storage.core.repos import MessageRefs
from tests.harness import BotUnderTest, shown

REFERENCE = re.compile(r"\b[A-Z]{2,4}-\d{4}-\d{4}\b")
CONFIRM = t("zh", "btn_confirm")
#: The fixed words of the card's "owner" line, between its placeholders.
OWNER_LINE = t("zh", "card_state_owner").split("}")[1].split("{")[0]


def reference_in(text: str) -> str:
    found = REFERENCE.search(text)
    assert found, f"no reference in {text!r}"
    return found.group(0)


async def open_service(bot: BotUnderTest, user: User, service: str) -> ChatMessage:
    """Show the service's card and press "I need this"; returns the first question."""
    card = await bot.say(user, f"/start svc-{service}")
    intro = await bot.press(user, card, t("zh", "btn_need_this"))
    assert shown("rq_intake_intro").split("{")[0] in intro.text, intro.text
    return await bot.emu.next_message(user)


async def submit(bot: BotUnderTest, user: User, description: str = "想了解商标续展流程",
                 service: str = "other-needs") -> str:
    """Submit a request for a service without extra questions; returns its reference."""
    await open_service(bot, user, service)
    files = await bot.say(user, description)
    summary = files  # the description leads straight to the summary
    done = await bot.press(user, summary, CONFIRM)
    assert shown("rq_submitted").split("{")[0] in done.text, done.text
    return reference_in(done.text)


async def recorded(bot: BotUnderTest, message: ChatMessage) -> ChatMessage:
    """Wait until the bot has recorded which request ``message`` belongs to.

    The dispatcher stores that right after Telegram confirms the send, a moment after the
    message appears; a person replying faster than that is only possible in a test.
    """
    for _ in range(250):
        async with bot.db.reader() as session:
            if await MessageRefs(session).find(message.chat_id, message.message_id):
                return message
        await asyncio.sleep(0.02)
    raise AssertionError(f"message {message.message_id} was never recorded")


async def card_of(bot: BotUnderTest, reference: str) -> ChatMessage:
    """The request's card in the staff group, once the bot knows it is the card."""
    card = await bot.emu.next_message(bot.staff, lambda m: reference in m.content
                                      and m.inline_keyboard is not None)
    return await recorded(bot, card)


def forge_press(bot: BotUnderTest, user: User, message: ChatMessage, data: str) -> str:
    """Press a button that is not on the message: what a forged or stale payload looks like."""
    return bot.emu._press(user, message, data, False)


async def claimed(bot: BotUnderTest, officer: User, card: ChatMessage) -> ChatMessage:
    """``officer`` claims the card; returns the card after its edit."""
    query = bot.emu.press_button(officer, card, t("zh", "btn_claim"))
    answer = await bot.emu.wait_for_callback_answer(query)
    assert answer.text is not None
    assert t("zh", "claim_won").split("{")[0] in answer.text
    edited = await bot.emu.wait_for_edit(card, lambda m: OWNER_LINE in m.text)
    await bot.drained()  # the enterprise's "claimed" notice is out too
    return edited


