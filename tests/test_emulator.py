"""The Bot API emulator, driven by a real python-telegram-bot Application over HTTP."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dtm
import struct
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from telegram import (
    Bot,
    ChatFullInfo,
    ChatMemberAdministrator,
    ChatMemberOwner,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
)
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from frontdoor_emulator import (
    GROUP_ANONYMOUS_BOT_ID,
    BotApiEmulator,
    ChatEvent,
    FloodLimits,
    WaitTimeoutError,
    entities_to_html,
    parse_html,
)
from frontdoor_emulator.control import install_control_routes
from frontdoor_emulator.ptb import application_builder, polling

TOKEN = "123456:TEST-token_x"
PDF = b"%PDF-1.4\n% emulator test\n" + bytes(range(256))


def png(width: int, height: int) -> bytes:
    """A valid (tiny, grey) PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


# ---------------------------------------------------------------------------------------------
# the bot under test
# ---------------------------------------------------------------------------------------------
async def record(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    context.bot_data.setdefault("updates", []).append(update)


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    assert update.effective_user is not None
    name = update.effective_user.first_name
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("Claim", callback_data="claim:42")],
            [InlineKeyboardButton("Docs", url="https://example.org/docs")],
        ]
    )
    await update.effective_message.reply_text(
        f"Hello, <b>{name}</b>! args={' '.join(context.args or [])}",
        parse_mode="HTML",
        reply_markup=keyboard,
    )


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    assert update.effective_message.text is not None
    await update.effective_message.reply_text(update.effective_message.text)


async def claim(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer(f"claimed {query.data}")
    await query.edit_message_text(f"Claimed by {query.from_user.first_name}")


async def bounce_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    assert message is not None
    assert message.document is not None
    file = await message.document.get_file()
    data = await file.download_as_bytearray()
    await message.reply_document(
        bytes(data), filename=f"echo-{message.document.file_name}", caption="back"
    )


def build_app(emu: BotApiEmulator) -> Application[Any, Any, Any, Any, Any, Any]:
    app = (
        ApplicationBuilder()
        .token(emu.token)
        .base_url(emu.api_base_url)
        .base_file_url(emu.file_base_url)
        .build()
    )
    app.add_handler(TypeHandler(Update, record), group=-1)
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(claim))
    app.add_handler(MessageHandler(filters.Document.ALL, bounce_document))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    app.add_handler(ChatMemberHandler(record, ChatMemberHandler.MY_CHAT_MEMBER))
    return app


def seen_updates(app: Application[Any, Any, Any, Any, Any, Any]) -> list[Update]:
    updates: list[Update] = app.bot_data.setdefault("updates", [])
    return updates


# ---------------------------------------------------------------------------------------------
# fixtures
# ---------------------------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(token=TOKEN) as emulator:
        yield emulator


@pytest.fixture
async def app(emu: BotApiEmulator) -> AsyncIterator[Application[Any, Any, Any, Any, Any, Any]]:
    application = build_app(emu)
    await application.initialize()
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(poll_interval=0, timeout=1)
    try:
        yield application
    finally:
        await application.updater.stop()
        await application.stop()
        await application.shutdown()


@pytest.fixture
async def bot(emu: BotApiEmulator) -> AsyncIterator[Bot]:
    """A bare Bot (no polling) for direct calls."""
    async with Bot(TOKEN, base_url=emu.api_base_url, base_file_url=emu.file_base_url) as b:
        yield b


# ---------------------------------------------------------------------------------------------
# conversations through PTB
# ---------------------------------------------------------------------------------------------
async def test_text_round_trip_with_64bit_ids(emu: BotApiEmulator, app: Application) -> None:
    me = await app.bot.get_me()
    assert (me.username, me.first_name, me.id, me.is_bot) == (
        "frontdoor_bot",
        "Frontdoor",
        123456,
        True,
    )
    assert me.can_join_groups is True

    alice = emu.add_user("Alice", language_code="zh-hans")
    assert alice.id > 2**32
    sent = emu.send_text(alice, "你好 😀 hello")
    reply = await emu.next_message(alice)

    assert reply.text == "你好 😀 hello"
    assert reply.chat_id == alice.id
    assert reply.outgoing
    assert [m.message_id for m in emu.transcript(alice)] == [sent.message_id, reply.message_id]
    assert reply.message_id == sent.message_id + 1
    received = seen_updates(app)[-1]
    assert received.effective_user is not None
    assert received.effective_user.id == alice.id
    assert received.effective_user.language_code == "zh-hans"
    await emu.expect_no_message(alice, within=0.1)

    emu.edit_text(alice, sent, "edited 编辑")  # PTB's MessageHandler also gets edited_message
    assert (await emu.next_message(alice)).text == "edited 编辑"
    edited_update = seen_updates(app)[-1]
    assert edited_update.edited_message is not None
    assert edited_update.edited_message.message_id == sent.message_id


async def test_command_entity_args_and_html(emu: BotApiEmulator, app: Application) -> None:
    alice = emu.add_user("Alice")
    command = emu.send_text(alice, "/start st-robot-park")
    assert command.entities == [{"offset": 0, "length": 6, "type": "bot_command"}]

    reply = await emu.next_message(alice)
    assert reply.text == "Hello, Alice! args=st-robot-park"
    assert reply.source == "Hello, <b>Alice</b>! args=st-robot-park"
    assert reply.parse_mode == "HTML"
    assert reply.entities == [{"offset": 7, "length": 5, "type": "bold"}]
    assert reply.html == "Hello, <b>Alice</b>! args=st-robot-park"
    assert reply.markup is not None
    assert reply.markup.texts() == [["Claim"], ["Docs"]]
    assert reply.button("Docs").url == "https://example.org/docs"
    assert reply.button(data="claim:42").text == "Claim"

    # addressed form: entity covers "/start@frontdoor_bot"
    addressed = emu.send_text(alice, "/start@frontdoor_bot x")
    assert addressed.entities[0]["length"] == len("/start@frontdoor_bot")
    assert (await emu.next_message(alice)).text == "Hello, Alice! args=x"
    # without the entity PTB's CommandHandler ignores it and the echo handler answers
    emu.send_text(alice, "/start y", entities=[])
    assert (await emu.next_message(alice)).text == "/start y"


async def test_button_press_edits_in_place(emu: BotApiEmulator, app: Application) -> None:
    alice = emu.add_user("Alice")
    emu.send_text(alice, "/start")
    menu = await emu.next_message(alice)

    query_id = emu.press(alice, menu, "claim:42")
    edited = await emu.wait_for_edit(menu)
    answer = await emu.wait_for_callback_answer(query_id)

    assert edited is menu
    assert edited.message_id == menu.message_id
    assert edited.text == "Claimed by Alice"
    assert edited.markup is None  # editMessageText without reply_markup drops the keyboard
    assert edited.edit_count == 1
    assert edited.history[0].text is not None
    assert edited.history[0].text.startswith("Hello, Alice!")
    assert edited.edit_date is not None
    assert (answer.text, answer.show_alert) == ("claimed claim:42", False)
    assert len(emu.messages(alice)) == 1
    update = seen_updates(app)[-1]
    assert update.callback_query is not None
    assert update.callback_query.data == "claim:42"

    with pytest.raises(LookupError, match="claim:42"):
        emu.press(alice, menu, "claim:42")  # keyboard is gone now
    stale = emu.press(alice, menu, "claim:42", forged=True)  # an outdated client still can
    assert (await emu.wait_for_callback_answer(stale)).text == "claimed claim:42"
    with pytest.raises(WaitTimeoutError, match="not edited"):
        await emu.wait_for_edit(menu, timeout=0.2)


async def test_document_upload_download_round_trip(emu: BotApiEmulator, app: Application) -> None:
    alice = emu.add_user("Alice")
    emu.send_document(alice, filename="report.pdf", content=PDF, mime_type="application/pdf")
    reply = await emu.next_message(alice)

    assert reply.document is not None
    assert reply.document.filename == "echo-report.pdf"
    assert reply.document.content == PDF
    assert reply.document.mime_type == "application/pdf"
    assert reply.caption == "back"
    assert [c.method for c in emu.calls if c.method in ("getFile", "sendDocument")] == [
        "getFile",
        "sendDocument",
    ]
    # the bot may resend the file it got by file_id, and download its own upload too
    resent = await app.bot.send_document(alice.id, reply.document.file_id)
    assert resent.document is not None
    assert resent.document.file_id == reply.document.file_id
    own = await (await app.bot.get_file(reply.document.file_id)).download_as_bytearray()
    assert bytes(own) == PDF
    with pytest.raises(BadRequest, match="Invalid file_id"):
        await app.bot.get_file("nope")


# ---------------------------------------------------------------------------------------------
# errors as PTB sees them
# ---------------------------------------------------------------------------------------------
async def test_429_is_retry_after(
    emu: BotApiEmulator, bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    alice = emu.add_user("Alice", started=True)
    rule = emu.fail_next(1, status=429, retry_after=7, method="sendMessage")
    await bot.get_me()  # other methods are unaffected
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(alice.id, "hi")
    assert caught.value.retry_after == dtm.timedelta(seconds=7)
    assert rule.remaining == 0
    message = await bot.send_message(alice.id, "hi again")
    assert message.text == "hi again"
    assert [c.status for c in emu.calls_of("sendMessage")] == [429, 200]
    assert emu.messages(alice)[-1].text == "hi again"


async def test_outage_is_network_error(emu: BotApiEmulator, app: Application) -> None:
    alice = emu.add_user("Alice", started=True)
    emu.set_outage(502)
    with pytest.raises(NetworkError) as caught:
        await app.bot.send_message(alice.id, "anyone?")
    assert type(caught.value) is NetworkError
    assert "Bad Gateway" in str(caught.value)
    await emu.wait_until(lambda: any(c.status == 502 for c in emu.calls_of("getUpdates")))
    emu.clear_outage()
    emu.send_text(alice, "back?")
    assert (await emu.next_message(alice)).text == "back?"
    assert emu.messages(alice)[0].text == "back?"  # nothing got through during the outage


async def test_blocked_user_is_forbidden(emu: BotApiEmulator, app: Application) -> None:
    stranger = emu.add_user("Stranger")
    with pytest.raises(Forbidden, match="can't initiate conversation"):
        await app.bot.send_message(stranger.id, "hello")

    alice = emu.add_user("Alice")
    emu.send_text(alice, "hi")
    await emu.next_message(alice)
    emu.block(alice)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await app.bot.send_message(alice.id, "still there?")
    await emu.wait_until(lambda: any(u.my_chat_member for u in seen_updates(app)))
    change = next(u.my_chat_member for u in seen_updates(app) if u.my_chat_member)
    assert (change.old_chat_member.status, change.new_chat_member.status) == ("member", "kicked")

    emu.send_text(alice, "sorry")  # writing again restarts the bot
    assert (await emu.next_message(alice)).text == "sorry"


async def test_migrated_group_is_chat_migrated(emu: BotApiEmulator, bot: Bot) -> None:
    carol = emu.add_user("Carol")
    group = emu.add_group("Staff", admins=[carol], supergroup=False)
    assert group.type == "group"
    new = emu.migrate_group(group)
    assert new.type == "supergroup"
    assert str(new.id).startswith("-100")
    with pytest.raises(ChatMigrated) as caught:
        await bot.send_message(group.id, "hello")
    assert caught.value.new_chat_id == new.id
    sent = await bot.send_message(new.id, "hello")
    assert sent.chat.id == new.id
    services = [m.to_api() for m in emu.transcript(group) + emu.transcript(new)]
    assert services[0]["migrate_to_chat_id"] == new.id
    assert services[1]["migrate_from_chat_id"] == group.id


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("Tom & Jerry", "Unsupported HTML entity at byte offset 4"),
        ("<foo>x</foo>", 'Unsupported start tag "foo"'),
        ("<b>x</i>", 'expected "</b>", found "</i>"'),
        ("<span>x</span>", 'Unsupported start tag "span"'),
    ],
)
async def test_invalid_html_is_bad_request(
    emu: BotApiEmulator, bot: Bot, text: str, detail: str
) -> None:
    alice = emu.add_user("Alice", started=True)
    with pytest.raises(BadRequest) as caught:
        await bot.send_message(alice.id, text, parse_mode="HTML")
    # PTB strips "Bad Request: " and lower-cases the rest of the description
    assert str(caught.value).startswith("Can't parse entities: ")
    assert detail.lower() in str(caught.value)
    assert emu.messages(alice) == []


async def test_validation_errors(emu: BotApiEmulator, bot: Bot) -> None:
    alice = emu.add_user("Alice", started=True)
    sent = await bot.send_message(alice.id, "same")
    cases: list[tuple[str, Any]] = [
        ("Chat not found", bot.send_message(999, "x")),
        ("Message text is empty", bot.send_message(alice.id, "   ")),
        ("Message is too long", bot.send_message(alice.id, "x" * 4097)),
        ("Message to edit not found", bot.edit_message_text("x", alice.id, 999)),
        ("Message is not modified", bot.edit_message_text("same", alice.id, sent.message_id)),
        (
            "Button_data_invalid",
            bot.send_message(
                alice.id,
                "x",
                reply_markup=InlineKeyboardMarkup(
                    [[InlineKeyboardButton("x", callback_data="d" * 65)]]
                ),
            ),
        ),
        ("Message to delete not found", bot.delete_message(alice.id, 999)),
        ("Query is too old", bot.answer_callback_query("123")),
    ]
    for expected, call in cases:
        with pytest.raises(BadRequest, match=expected):
            await call
    assert [m.text for m in emu.messages(alice)] == ["same"]
    longest = await bot.send_message(alice.id, "я" * 4096)
    assert longest.text is not None
    assert len(longest.text) == 4096
    assert await bot.delete_message(alice.id, sent.message_id) is True
    assert emu.messages(alice)[0].deleted


# ---------------------------------------------------------------------------------------------
# update delivery
# ---------------------------------------------------------------------------------------------
@contextlib.asynccontextmanager
async def hook_receiver(
        receive: Callable[[web.Request], Awaitable[web.Response]]) -> AsyncIterator[str]:
    """A webhook receiver on a free local port, for as long as the block runs; its URL."""
    receiver = web.Application()
    receiver.router.add_post("/hook", receive)
    runner = web.AppRunner(receiver, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
    finally:
        await runner.cleanup()


async def test_webhook_posts_chats_side_by_side_one_chat_in_order_until_accepted(
        emu: BotApiEmulator, bot: Bot) -> None:
    """Like Telegram: up to max_connections posts at once, a chat's updates one after
    another, and an update the bot does not accept posted again until it is."""
    arrivals: list[tuple[int, str]] = []
    open_posts: list[int] = []
    most_open = [0]
    refused_once: set[str] = set()
    open_chats: list[int] = []
    overlaps: list[int] = []

    async def receive(request: web.Request) -> web.Response:
        update = await request.json()
        message = update["message"]
        text = message["text"]
        chat = message["chat"]["id"]
        if chat in open_chats:
            overlaps.append(chat)
        if text == "refused once" and text not in refused_once:
            refused_once.add(text)
            return web.Response(status=502)  # a replica died mid-update
        open_posts.append(update["update_id"])
        open_chats.append(chat)
        most_open[0] = max(most_open[0], len(open_posts))
        arrivals.append((chat, text))
        await asyncio.sleep(0.2)  # the bot takes a while: others may arrive meanwhile
        open_posts.remove(update["update_id"])
        open_chats.remove(chat)
        return web.Response(text="ok")

    async with hook_receiver(receive) as url:
        try:
            assert await bot.set_webhook(url, max_connections=5)
            alice, bob, carol = emu.add_user("Alice"), emu.add_user("Bob"), emu.add_user("Carol")
            emu.send_text(alice, "a1")
            emu.send_text(alice, "a2")
            emu.send_text(bob, "refused once")
            emu.send_text(carol, "c1")
            await emu.wait_until(lambda: len(arrivals) == 4 and not emu.pending_updates,
                                 timeout=10)
            assert most_open[0] >= 2  # different chats side by side
            alices = [text for chat, text in arrivals if chat == alice.id]
            assert alices == ["a1", "a2"]  # one chat in order …
            assert overlaps == []  # … never two of its updates at once
            assert (bob.id, "refused once") in arrivals  # posted again, and accepted
        finally:
            await bot.delete_webhook()


async def test_webhook_mode_posts_updates(emu: BotApiEmulator, bot: Bot) -> None:
    received: list[tuple[dict[str, Any], str | None]] = []
    failures_left = [1]

    async def receive(request: web.Request) -> web.Response:
        if failures_left[0]:
            failures_left[0] -= 1
            return web.Response(status=500)  # the emulator must retry
        received.append(
            (await request.json(), request.headers.get("X-Telegram-Bot-Api-Secret-Token"))
        )
        return web.Response(text="ok")

    async with hook_receiver(receive) as url:
        assert await bot.set_webhook(url, secret_token="s3cret", allowed_updates=["message"])
        info = await bot.get_webhook_info()
        assert (info.url, info.allowed_updates) == (url, ("message",))
        with pytest.raises(Conflict, match="webhook is active"):
            await bot.get_updates()

        alice = emu.add_user("Alice")
        sent = emu.send_text(alice, "via webhook")
        await emu.wait_until(lambda: received)
        update, secret = received[0]
        assert secret == "s3cret"
        assert update["message"]["text"] == "via webhook"
        assert update["message"]["message_id"] == sent.message_id
        assert update["message"]["from"]["id"] == alice.id
        assert Update.de_json(update, bot).effective_chat.id == alice.id  # type: ignore[union-attr]
        await emu.wait_until(lambda: not emu.pending_updates)

        assert await bot.delete_webhook()
        emu.send_text(alice, "via polling")
        updates = await bot.get_updates(timeout=1)
        assert [u.message.text for u in updates if u.message] == ["via polling"]
        assert len(received) == 1


async def test_long_poll_offset_limit_allowed_updates(emu: BotApiEmulator, bot: Bot) -> None:
    alice = emu.add_user("Alice")
    loop = asyncio.get_running_loop()
    loop.call_later(0.2, lambda: emu.send_text(alice, "late"))
    started = loop.time()
    first = await bot.get_updates(timeout=3)
    assert 0.15 < loop.time() - started < 2.0  # held until the update arrived
    assert [u.message.text for u in first if u.message] == ["late"]

    emu.send_text(alice, "one")
    emu.send_text(alice, "two")
    # without an offset the unconfirmed "late" is delivered again
    again = await bot.get_updates(limit=1)
    assert [u.update_id for u in again] == [first[0].update_id]
    batch = await bot.get_updates(offset=first[0].update_id + 1, limit=1)
    assert [u.message.text for u in batch if u.message] == ["one"]
    rest = await bot.get_updates(offset=batch[0].update_id + 1)
    assert [u.message.text for u in rest if u.message] == ["two"]

    await bot.get_updates(offset=rest[-1].update_id + 1, allowed_updates=["callback_query"])
    emu.send_text(alice, "ignored")  # not in allowed_updates: never delivered
    reply = await bot.send_message(
        alice.id,
        "menu",
        reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("go", callback_data="go")]]),
    )
    emu.press(alice, emu.messages(alice)[-1], "go")
    pressed = await bot.get_updates(timeout=1)
    assert [u.callback_query.data for u in pressed if u.callback_query] == ["go"]
    assert len(pressed) == 1
    assert reply.text == "menu"


async def test_duplicate_update_is_redelivered(emu: BotApiEmulator, app: Application) -> None:
    alice = emu.add_user("Alice")
    emu.send_text(alice, "once")
    await emu.next_message(alice)
    original = seen_updates(app)[-1].to_dict()
    emu.push_raw_update(original)
    echo_again = await emu.next_message(alice)
    assert echo_again.text == "once"
    ids = [u.update_id for u in seen_updates(app)]
    assert ids.count(original["update_id"]) == 2


async def test_bad_token_and_unknown_method(emu: BotApiEmulator) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{emu.api_base_url}{TOKEN}/frobnicate", data={"a": "1"}) as resp:
            assert resp.status == 404
            assert await resp.json() == {
                "ok": False,
                "error_code": 404,
                "description": "Not Found: method not found",
            }
        async with http.post(f"{emu.api_base_url}999:WRONG/getMe") as resp:
            assert resp.status == 401
        async with http.post(f"{emu.api_base_url}{TOKEN}/getme", json={}) as resp:
            body = await resp.json()
            assert body["ok"] is True
            assert body["result"]["username"] == "frontdoor_bot"
        # JSON bodies carry native values instead of JSON-encoded strings
        alice = emu.add_user("Alice", started=True)
        markup = {"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]}
        payload = {"chat_id": alice.id, "text": "<i>json</i>", "parse_mode": "HTML"}
        async with http.post(
            f"{emu.api_base_url}{TOKEN}/sendMessage", json={**payload, "reply_markup": markup}
        ) as resp:
            result = (await resp.json())["result"]
        assert result["entities"] == [{"offset": 0, "length": 4, "type": "italic"}]
        assert emu.messages(alice)[0].button("Go").callback_data == "go"
        async with http.get(f"{emu.file_base_url}{TOKEN}/documents/none.pdf") as resp:
            assert resp.status == 404
    with pytest.raises(InvalidToken, match="rejected by the server"):
        async with Bot("999:WRONG", base_url=emu.api_base_url):  # shut down on failure
            pass


# ---------------------------------------------------------------------------------------------
# groups, topics, anonymous admins, privacy
# ---------------------------------------------------------------------------------------------
async def test_forum_topic_and_anonymous_admin(emu: BotApiEmulator, app: Application) -> None:
    bob, carol = emu.add_user("Bob"), emu.add_user("Carol")
    group = emu.add_group("Staff", members=[bob], admins=[carol], forum=True)
    assert group.id <= -1_001_000_000_000
    topic = emu.add_topic(group, "Robot park")

    emu.send_text(bob, "in the topic", chat=group, thread_id=topic)
    reply = await emu.next_message(group, thread_id=topic)
    assert (reply.text, reply.thread_id, reply.is_topic_message) == ("in the topic", topic, True)
    assert reply.to_api()["message_thread_id"] == topic

    emu.send_text(carol, "anonymous notice", chat=group, anonymous=True)
    await emu.next_message(group)
    update = seen_updates(app)[-1]
    assert update.effective_message is not None
    assert update.effective_message.from_user is not None
    assert update.effective_message.from_user.id == GROUP_ANONYMOUS_BOT_ID
    assert update.effective_message.sender_chat is not None
    assert update.effective_message.sender_chat.id == group.id

    with pytest.raises(ValueError, match="only admins"):
        emu.send_text(bob, "x", chat=group, anonymous=True)
    with pytest.raises(BadRequest, match="Message thread not found"):
        await app.bot.send_message(group.id, "x", message_thread_id=99)

    member = await app.bot.get_chat_member(group.id, carol.id)
    assert isinstance(member, ChatMemberAdministrator)
    assert member.api_kwargs == {}
    admins = await app.bot.get_chat_administrators(group.id)
    assert {a.user.id for a in admins} == {carol.id, emu.bot.id}
    assert (await app.bot.get_chat_member(group.id, emu.add_user("Dan").id)).status == "left"


async def test_privacy_mode_for_non_admin_bot(emu: BotApiEmulator, app: Application) -> None:
    bob = emu.add_user("Bob")
    group = emu.add_group("Lobby", members=[bob], bot_status="member")
    emu.send_text(bob, "chatter", chat=group)
    emu.send_text(bob, "/start@frontdoor_bot", chat=group)
    reply = await emu.next_message(group)
    assert reply.text == "Hello, Bob! args="
    texts = [u.message.text for u in seen_updates(app) if u.message]
    assert texts == ["/start@frontdoor_bot"]  # "chatter" was not delivered


# ---------------------------------------------------------------------------------------------
# more methods
# ---------------------------------------------------------------------------------------------
async def test_media_copy_forward_and_chat_info(emu: BotApiEmulator, bot: Bot) -> None:
    alice = emu.add_user("Alice", started=True, username="alice", phone_number="8613800000000")
    owner = emu.add_user("Olga")
    group = emu.add_group("Staff", owner=owner, username="staff_group")

    album = await bot.send_media_group(
        alice.id,
        [
            InputMediaPhoto(png(3, 2), caption="<i>one</i>", parse_mode="HTML"),
            InputMediaPhoto(png(5, 4)),
        ],
    )
    assert len(album) == 2
    assert album[0].media_group_id == album[1].media_group_id
    assert (album[0].photo[-1].width, album[0].photo[-1].height) == (3, 2)
    assert album[0].caption == "one"
    assert album[0].caption_entities[0].type == "italic"
    assert emu.messages(alice)[1].photo is not None
    assert emu.messages(alice)[1].photo.content == png(5, 4)  # type: ignore[union-attr]

    user_msg = emu.send_text(alice, "forward me")
    copied = await bot.copy_message("@staff_group", alice.id, user_msg.message_id)
    forwarded = await bot.forward_message(group.id, alice.id, user_msg.message_id)
    assert emu.transcript(group)[0].message_id == copied.message_id
    assert emu.transcript(group)[0].text == "forward me"
    assert forwarded.forward_origin is not None
    assert forwarded.forward_origin.sender_user.id == alice.id  # type: ignore[attr-defined]

    chat = await bot.get_chat(group.id)
    assert isinstance(chat, ChatFullInfo)
    assert chat.title == "Staff"
    assert chat.api_kwargs == {}
    creator = await bot.get_chat_member(group.id, owner.id)
    assert isinstance(creator, ChatMemberOwner)
    assert await bot.get_chat_member_count(group.id) == 2

    keyboard = ReplyKeyboardMarkup(
        [[KeyboardButton("Share phone", request_contact=True)]], one_time_keyboard=True
    )
    await bot.send_message(alice.id, "phone?", reply_markup=keyboard)
    shared = emu.tap(alice, "Share phone")
    assert shared.contact is not None
    assert shared.contact["user_id"] == alice.id
    assert emu.reply_keyboard(alice) is None

    assert await bot.set_my_commands([("start", "Start"), ("help", "Help")], language_code="zh")
    assert [c.command for c in await bot.get_my_commands(language_code="zh")] == ["start", "help"]
    assert emu.commands(language_code="zh")[1] == {"command": "help", "description": "Help"}
    assert await bot.send_chat_action(alice.id, "typing")
    assert emu.chat_actions(alice) == ["typing"]
    assert await bot.set_chat_menu_button()
    assert (await bot.get_chat_menu_button()).type == "commands"


async def test_message_objects_decode_without_unknown_fields(emu: BotApiEmulator, bot: Bot) -> None:
    alice = emu.add_user("Alice", started=True, last_name="Liddell", username="alice")
    sent = await bot.send_message(
        alice.id,
        '<a href="https://e.org">x</a> <pre><code class="language-py">1 &lt; 2</code></pre>',
        parse_mode="HTML",
    )
    assert sent.api_kwargs == {}
    assert sent.chat.api_kwargs == {}
    assert sent.text == "x 1 < 2"
    assert [(e.type, e.offset, e.length) for e in sent.entities] == [
        ("text_link", 0, 1),
        ("pre", 2, 5),
    ]
    assert sent.entities[1].language == "py"
    user_message = emu.send_photo(alice, content=png(2, 2), caption="look")
    decoded = Message.de_json(user_message.to_api(), bot)
    assert decoded is not None
    assert decoded.api_kwargs == {}
    assert decoded.photo[-1].file_size == len(png(2, 2))


async def test_subscribe_latency_and_flood_limits(
    emu: BotApiEmulator, bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")  # RetryAfter() warns otherwise
    alice = emu.add_user("Alice", started=True)
    events: list[ChatEvent] = []
    unsubscribe = emu.subscribe(events.append)
    emu.send_text(alice, "hi")
    sent = await bot.send_message(alice.id, "hello")
    await bot.edit_message_text("hello!", alice.id, sent.message_id)
    await bot.delete_message(alice.id, sent.message_id)
    unsubscribe()
    emu.send_text(alice, "unseen")
    assert [(e.kind, e.message.outgoing) for e in events] == [
        ("new", False),
        ("new", True),
        ("edit", True),
        ("delete", True),
    ]

    emu.latency = 0.2
    await bot.get_me()
    assert emu.calls_of("getMe")[-1].duration >= 0.2
    emu.latency = 0

    emu.flood_limits = FloodLimits(global_per_second=None, group_per_minute=2)
    group = emu.add_group("Busy")
    await bot.send_message(group.id, "1")
    await bot.send_message(group.id, "2")
    with pytest.raises(RetryAfter):
        await bot.send_message(group.id, "3")
    assert [m.text for m in emu.messages(group)] == ["1", "2"]


async def test_control_api(emu: BotApiEmulator) -> None:
    control = BotApiEmulator(token=TOKEN)
    install_control_routes(control)
    async with control, aiohttp.ClientSession() as http:
        base = f"{control.url}/_emulator"
        async with http.post(f"{base}/users", json={"first_name": "Zoe"}) as resp:
            user = (await resp.json())["result"]
        async with http.post(f"{base}/send", json={"user_id": user["id"], "text": "/start"}) as r:
            sent = (await r.json())["result"]
        assert sent["entities"][0]["type"] == "bot_command"
        assert control.pending_updates[0]["message"]["text"] == "/start"
        async with http.get(f"{base}/chats/{user['id']}/messages") as resp:
            listed = (await resp.json())["result"]
        assert [m["text"] for m in listed] == ["/start"]
        assert listed[0]["emulator"]["outgoing"] is False
        async with http.post(f"{base}/send", json={"user_id": 1, "text": "x"}) as resp:
            assert resp.status == 400


async def test_ptb_helpers(emu: BotApiEmulator) -> None:
    application = application_builder(emu).build()
    application.add_handler(MessageHandler(filters.TEXT, echo))
    async with polling(application) as running:
        assert running.updater is not None
        assert running.updater.running
        bob = emu.add_user("Bob")
        emu.send_text(bob, "ping")
        assert (await emu.next_message(bob)).text == "ping"
    assert not application.running


def test_html_parser_and_renderer() -> None:
    text, entities = parse_html("😀 <b>bold <i>both</i></b> &amp; <tg-spoiler>s</tg-spoiler>")
    assert text == "😀 bold both & s"
    # offsets are UTF-16: the emoji counts twice
    assert entities == [
        {"offset": 3, "length": 9, "type": "bold"},
        {"offset": 8, "length": 4, "type": "italic"},
        {"offset": 15, "length": 1, "type": "spoiler"},
    ]
    assert entities_to_html(text, entities) == (
        "😀 <b>bold <i>both</i></b> &amp; <tg-spoiler>s</tg-spoiler>"
    )
