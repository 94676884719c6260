"""A conversation survives the process being killed: state lives in the database."""

from __future__ import annotations

from pathlib import Path

from frontdoor_emulator import BotApiEmulator
from tests.harness import ACME_CODE, BotProcess, matches

STARTUP = 45.0  # a cold interpreter plus migrations on a slow machine


async def test_registration_continues_at_the_same_question_after_sigkill(
    emu: BotApiEmulator, tmp_path: Path
) -> None:
    bot = BotProcess(emu, tmp_path)
    await bot.start()
    try:
        alice = emu.add_user("Alice", language_code="zh-hans")
        emu.send_text(alice, "/start")
        await emu.next_message(alice, timeout=STARTUP)
        await emu.next_message(alice)
        emu.send_text(alice, "上海示例科技有限公司")
        assert matches("ask_credit_code", (await emu.next_message(alice)).text)
        emu.send_text(alice, ACME_CODE)
        assert matches("ask_contact_name", (await emu.next_message(alice)).text), bot.log()

        await bot.kill()
        await bot.start()

        emu.send_text(alice, "王经理")
        ask_phone = await emu.next_message(alice, timeout=STARTUP)
        assert matches("ask_phone", ask_phone.text), bot.log()
        emu.send_text(alice, "13800138000")
        assert matches("phone_noted", (await emu.next_message(alice)).text)
        ask_station = await emu.next_message(alice)
        emu.press_button(alice, ask_station, "上海机器人产业园")
        summary = await emu.next_message(alice)  # the station question keeps the answer
        # The answers given before the kill are all there.
        assert "上海示例科技有限公司" in summary.text
        assert ACME_CODE in summary.text
        assert "王经理" in summary.text
    finally:
        await bot.stop()


async def test_the_bot_also_runs_in_webhook_mode(emu: BotApiEmulator, tmp_path: Path) -> None:
    """The deployment path past one process: Telegram (here the emulator) POSTs updates."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    bot = BotProcess(emu, tmp_path, FRONTDOOR_WEBHOOK_URL=f"http://127.0.0.1:{port}/tg/hook",
                     FRONTDOOR_WEBHOOK_PORT=str(port),
                     FRONTDOOR_WEBHOOK_SECRET="s3cret-0123456789abcdef")
    await bot.start()
    try:
        await emu.wait_until(lambda: emu.webhook is not None, timeout=STARTUP)
        assert emu.webhook is not None
        assert emu.webhook.url.endswith("/tg/hook")
        alice = emu.add_user("Alice", language_code="zh-hans")
        emu.send_text(alice, "/start")
        welcome = await emu.next_message(alice, timeout=STARTUP)
        assert matches("welcome", welcome.text), bot.log()
    finally:
        await bot.stop()
