"""The real bot on the Bot API emulator: what every conversation test stands on."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.app import build_application, make_runtime
from bot.companies.credit_code import make_credit_code
from bot.core.clock import Clock, ManualClock, SystemClock
from bot.core.runtime import Runtime
from bot.core.settings import Settings
from bot.delivery.lifecycle import Webhook, start_application, stop_application
from bot.texts import t
from frontdoor_emulator import BotApiEmulator, Chat, ChatMessage, User
from frontdoor_emulator.entities import parse_html
from storage.core.db import Database

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "catalogue.yaml"
TOKEN = "7012345678:TEST-token"

# Valid credit codes for test companies (check characters computed, not typed).
ACME_CODE = make_credit_code("91310113MA1G00001")
BETA_CODE = make_credit_code("91310113MA1G00002")


def shown(key: str, /, lang: str = "zh", **values: Any) -> str:
    """The text for ``key`` (in Chinese unless ``lang`` says otherwise) as a user reads it:
    the same words, HTML tags removed."""
    return parse_html(t(lang, key, **values))[0]


def matches(key: str, text: str | None, lang: str = "zh") -> bool:
    """Does ``text`` show the message ``key`` (in Chinese unless ``lang`` says otherwise),
    whatever values filled it in?

    The whole template must appear, its placeholders standing for any text, so a test
    written this way checks the message, not a word that might be in any message.
    """
    pattern = ".*?".join(re.escape(part) for part in re.split(r"\{[^}]*\}", shown(key, lang)))
    return re.search(pattern, text or "", re.DOTALL) is not None


def recorded_choice(message: ChatMessage, pressed: ChatMessage) -> bool:
    """Is ``message`` the pressed question, only marked with the answer chosen on it?"""
    chosen = shown("chosen_answer", answer="").strip()
    return (message.message_id == pressed.message_id and not message.buttons
            and chosen in message.text.rsplit("\n", 1)[-1])


def copy_catalogue(directory: Path) -> Path:
    target = directory / "catalogue.yaml"
    shutil.copyfile(CATALOGUE, target)
    return target


@dataclass
class BotUnderTest:
    """The emulator, a staff group with officers, an admin, and the real Application."""

    emu: BotApiEmulator
    db: Database
    catalogue_path: Path
    clock: Clock
    staff: Chat
    officers: list[User]
    admin: User
    settings_overrides: dict[str, Any] = field(default_factory=dict)
    rt: Runtime | None = None
    app: Any = None

    def settings(self) -> Settings:
        values: dict[str, Any] = {
            "bot_token": TOKEN,
            "database_url": self.db.url,
            "catalogue": self.catalogue_path,
            "staff_chat_id": self.staff.id,
            "admin_ids": frozenset({self.admin.id}),
            "telegram_api_url": self.emu.url,
            "rate_limit": False,
            # Off unless a test watches the file: a watcher racing /reload makes it see no change.
            "catalogue_watch_seconds": 0,
            # Off unless a test waits for it: on the 1st of a month it would reach the admin
            # in every test.
            "monthly_report": False,
            **self.settings_overrides,
        }
        return Settings(_env_file=None, **values)  # type: ignore[call-arg]

    async def start(self) -> None:
        settings = self.settings()
        self.rt = make_runtime(settings, db=self.db, clock=self.clock)
        self.app = build_application(self.rt, job_tick=0.05)
        await start_application(self.app, poll_timeout=1,
                                webhook=Webhook.from_settings(settings))

    async def stop(self) -> None:
        if self.app is None:
            return
        app, self.app = self.app, None
        await stop_application(app)

    async def restart(self) -> None:
        await self.stop()
        await self.start()

    @property
    def runtime(self) -> Runtime:
        assert self.rt is not None, "bot not started"
        return self.rt

    async def drained(self, within: float = 10.0) -> None:
        """Wait until the outbox has delivered everything that is due."""
        from sqlalchemy import func, select

        from storage.tables import OutboxMessage

        async def due() -> int:
            async with self.db.reader() as s:
                return int(await s.scalar(
                    select(func.count()).select_from(OutboxMessage).where(
                        OutboxMessage.status == "pending",
                        OutboxMessage.not_before <= self.clock.now(),
                    )
                ) or 0)

        import asyncio

        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while await due():
            if loop.time() > deadline:
                raise AssertionError("outbox still has due messages")
            await asyncio.sleep(0.02)

    # -- conversation helpers -------------------------------------------------------------
    def user(self, name: str = "Alice", language_code: str = "zh-hans") -> User:
        return self.emu.add_user(name, language_code=language_code)

    async def say(self, user: User, text: str, **kwargs: Any) -> ChatMessage:
        """``user`` sends ``text`` in private; returns the bot's next new message to them."""
        self.emu.send_text(user, text, **kwargs)
        return await self.emu.next_message(user)

    async def press(self, user: User, message: ChatMessage, text: str) -> ChatMessage:
        """Press the button labelled ``text``; returns the message after its edit or the next
        new message, whichever comes first."""
        self.emu.press_button(user, message, text=text)
        return await self.emu.wait_for_message(user, lambda m: not recorded_choice(m, message))

    async def register(self, user: User, *, name: str = "上海示例科技有限公司",
                       code: str = ACME_CODE, contact: str = "王经理",
                       phone: str = "13800138000", station: str = "上海机器人产业园") -> None:
        """Walk the whole registration flow to its confirmation."""
        await self.say(user, "/start")  # welcome
        await self.emu.next_message(user)  # step 1
        await self.say(user, name)
        await self.say(user, code)
        await self.say(user, contact)
        noted = await self.say(user, phone)  # a typed number is acknowledged first
        assert matches("phone_noted", noted.text), noted.text
        ask_station = await self.emu.next_message(user)
        summary = await self.press(user, ask_station, station)
        done = await self.press(user, summary, t("zh", "btn_confirm"))
        assert matches("registered", done.text), done.text
        menu = await self.emu.next_message(user)  # the main menu keyboard
        assert menu.markup is not None
        assert not menu.markup.is_inline


async def join_company(bot: BotUnderTest, user: User, approver: User, *,
                       code: str = ACME_CODE) -> None:
    """``user`` asks to join the company holding ``code``; ``approver``, a contact, agrees."""
    await bot.say(user, "/start")
    await bot.emu.next_message(user)
    await bot.say(user, "上海示例科技有限公司")
    ask = await bot.say(user, code)
    requested = await bot.press(user, ask, t("zh", "btn_yes"))
    assert matches("join_requested", requested.text), requested.text
    asked = await bot.emu.next_message(approver, lambda m: matches("join_ask", m.text))
    decided = await bot.press(approver, asked, t("zh", "btn_join_approve"))
    assert matches("join_approved_by", decided.text), decided.text
    joined = await bot.emu.next_message(user, lambda m: matches("joined_company", m.text))
    assert matches("joined_company", joined.text)


def manual_clock(start: str = "2026-12-01T01:00:00+00:00") -> ManualClock:
    from datetime import datetime

    return ManualClock(datetime.fromisoformat(start))


def system_clock() -> Clock:
    return SystemClock()


class BotProcess:
    """``frontdoor run`` in its own process, as in production, pointed at the emulator."""

    def __init__(self, emu: BotApiEmulator, directory: Path, **env: str) -> None:
        import os

        self.directory = directory
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("FRONTDOOR_")}
        self.env.update({
            "PYTHONPATH": str(ROOT),
            "FRONTDOOR_BOT_TOKEN": TOKEN,
            "FRONTDOOR_DATABASE_URL": f"sqlite+aiosqlite:///{directory / 'frontdoor.db'}",
            "FRONTDOOR_CATALOGUE": str(copy_catalogue(directory)),
            "FRONTDOOR_TELEGRAM_API_URL": emu.url,
            "FRONTDOOR_CATALOGUE_WATCH_SECONDS": "0",
            "NO_PROXY": "127.0.0.1,localhost",
            **env,
        })
        self.proc: Any = None

    async def start(self) -> None:
        import asyncio
        import sys

        with (self.directory / "bot.log").open("ab") as log:
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot.cli", "run", env=self.env, cwd=self.directory,
                stdout=asyncio.subprocess.DEVNULL, stderr=log,
            )

    async def kill(self) -> None:
        """SIGKILL: no shutdown hooks, no goodbye."""
        if self.proc is not None and self.proc.returncode is None:
            self.proc.kill()
            await self.proc.wait()

    async def stop(self) -> None:
        import asyncio
        import signal

        if self.proc is not None and self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.proc.wait(), 15)
            except TimeoutError:
                await self.kill()

    def log(self) -> str:
        path = self.directory / "bot.log"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
