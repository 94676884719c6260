"""The sandbox: the Bot API emulator, the real bot and a Telegram-like web page, one process.

Nothing here talks to Telegram. People, the staff group and its topics live in the emulator;
the bot is the same Application ``frontdoor run`` builds, with its own SQLite file under the
sandbox's data directory and a clock that moves only when the page says so.

This module is the :class:`Sandbox` itself: starting and stopping it, and what survives a
restart. The catalogue and the bot are :mod:`.hosting`, who is there at first :mod:`.seeding`,
what the page is shown :mod:`.views`, what a person does :mod:`.actions`, the HTTP side
:mod:`.routes`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web

from bot.catalogue import DEFAULT_TIMEZONE, Catalogue
from bot.core.clock import ManualClock
from bot.core.runtime import Runtime
from bot.core.settings import Settings
from frontdoor_emulator import BotApiEmulator, Chat, ChatEvent, ChatMessage, User
from frontdoor_sandbox import actions, hosting, notes, views
from frontdoor_sandbox.actions import SandboxError
from frontdoor_sandbox.routes import serve
from frontdoor_sandbox.seeding import ROLES, SEED_CODE, Person, build_world, seed_people

log = logging.getLogger(__name__)

TOKEN = "1000000001:SANDBOX-not-a-real-token"
BOT_USERNAME = "frontdoor_sandbox_bot"
STATE_FILE = "sandbox.json"
DB_FILE = "sandbox.db"
# Only these are removed by --reset, so a mistyped --data never empties a real directory.
OWN_FILES = (STATE_FILE, DB_FILE, f"{DB_FILE}-wal", f"{DB_FILE}-shm", f"{DB_FILE}-journal")


# Message ids handed out ahead of use and written down (like a database sequence's cache), so
# even a sandbox that was killed continues above every id its last run used.
MESSAGE_ID_BLOCK = 100


@dataclass
class SavedState:
    """What survives a restart of the sandbox (the emulator itself lives in memory)."""

    people: list[Person] = field(default_factory=list)
    clock: str | None = None
    seeded: bool = False
    # Chat id -> an id above every message id of that chat so far. The bot's database keeps
    # message ids (cards it edits, messages people reply to): a new run must never reuse one.
    message_ids: dict[int, int] = field(default_factory=dict)

    @classmethod
    def read(cls, path: Path) -> SavedState | None:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        people = [Person(**p) for p in raw.get("people", [])]
        message_ids = {int(chat): int(next_id)
                       for chat, next_id in raw.get("message_ids", {}).items()}
        return cls(people=people, clock=raw.get("clock"), seeded=bool(raw.get("seeded")),
                   message_ids=message_ids)

    def write(self, path: Path) -> None:
        data = {"people": [asdict(p) for p in self.people], "clock": self.clock,
                "seeded": self.seeded,
                "message_ids": {str(chat): n for chat, n in self.message_ids.items()}}
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


class Sandbox:
    """Run everything; ``await start()`` returns the page's URL, ``await stop()`` ends it."""

    def __init__(
        self, *, data_dir: Path = Path(".frontdoor-sandbox"),
        catalogue: Path = Path("catalogue.yaml"), host: str = "127.0.0.1", port: int = 8080,
        reset: bool = False, start_time: datetime | None = None, job_tick: float = 1.0,
        catalogue_poll: float = 1.0,
    ) -> None:
        self.data_dir = data_dir.resolve()
        # As given, not resolved: errors name the file the way ``frontdoor run`` names it.
        self.catalogue_path = catalogue
        self.host, self.port = host, port
        self.reset = reset
        self.job_tick = job_tick
        self.catalogue_poll = catalogue_poll
        self.clock = ManualClock(start_time)
        self.emu = BotApiEmulator(
            TOKEN, bot_username=BOT_USERNAME, bot_first_name="Frontdoor",
            clock=lambda: self.clock.now().timestamp(),
        )
        self.saved = SavedState()
        self.people: dict[int, Person] = {}
        self.staff: Chat | None = None
        self.topics: dict[str, int] = {}  # station id -> thread id
        self.catalogue: Catalogue | None = None
        self.catalogue_errors: list[str] = []
        self.companies: dict[int, str] = {}  # person id -> company ("" none), as the bot has it
        self.rt: Runtime | None = None
        self.app: Any = None
        self._streams: set[asyncio.Queue[dict[str, Any] | None]] = set()
        self._runner: web.AppRunner | None = None
        self._url: str | None = None
        self._watch: asyncio.Task[None] | None = None
        self._lookup: asyncio.Task[None] | None = None  # asking the bot who is in which company
        self._look_again_soon = False
        self._unsubscribe: Callable[[], None] | None = None

    # ====================================================================================
    # lifecycle
    # ====================================================================================
    @property
    def url(self) -> str:
        if self._url is None:
            raise RuntimeError("sandbox is not running")
        return self._url

    @property
    def bot_running(self) -> bool:
        return self.app is not None

    @property
    def db_url(self) -> str:
        return f"sqlite+aiosqlite:///{self.data_dir / DB_FILE}"

    def _file(self, name: str) -> Path:
        return self.data_dir / name

    async def start(self) -> str:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if self.reset:
            for name in OWN_FILES:
                self._file(name).unlink(missing_ok=True)
        saved = SavedState.read(self._file(STATE_FILE))
        if saved is not None:
            self.saved = saved
            if saved.clock:
                # Never behind the last run: reminders already sent must stay in the past.
                self.clock.set(max(self.clock.now(), datetime.fromisoformat(saved.clock)))
        else:
            self.saved.people = seed_people()
        self._build_world()
        self._unsubscribe = self.emu.subscribe(self._on_event)
        await self.emu.start(self.host, 0)
        try:
            await self._serve()
            await hosting.load(self)
        except BaseException:
            await self.stop()
            raise
        if self.catalogue_poll > 0:
            self._watch = asyncio.create_task(hosting.watch(self), name="sandbox-catalogue")
        self._save()
        return self.url

    async def stop(self) -> None:
        if self._watch is not None:
            self._watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watch
            self._watch = None
        if self._lookup is not None:
            self._lookup.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._lookup
            self._lookup = None
        await hosting.stop_bot(self)
        for queue in list(self._streams):
            queue.put_nowait(None)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._unsubscribe is not None:
            self._unsubscribe()
        await self.emu.stop()
        self._save()
        self._url = None
        self._runner = None

    async def __aenter__(self) -> Sandbox:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    def _save(self) -> None:
        self.saved.clock = self.clock.now().isoformat()
        self.saved.write(self._file(STATE_FILE))

    def _build_world(self) -> None:
        self.people = {p.id: p for p in self.saved.people}
        self.staff = build_world(self.emu, self.saved.people)
        # Before anything is said (the topics included): every chat goes on above the last run.
        for chat_id, next_id in self.saved.message_ids.items():
            self.emu.world.continue_numbering(chat_id, next_id)

    def _reserve_message_ids(self, message: ChatMessage) -> None:
        """Write down a block of ids ahead whenever a chat reaches the end of the last one."""
        if message.message_id >= self.saved.message_ids.get(message.chat_id, 0):
            self.saved.message_ids[message.chat_id] = message.message_id + MESSAGE_ID_BLOCK
            self._save()

    def settings(self) -> Settings:
        return hosting.settings(self, TOKEN)

    # ====================================================================================
    # what the page sees (views.py turns it into JSON)
    # ====================================================================================
    # The handlers and the tests ask the sandbox, never the modules behind it: one object to
    # hold, and the same methods as when all of this was one file.
    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.catalogue.defaults.timezone if self.catalogue else DEFAULT_TIMEZONE)

    def clock_view(self) -> dict[str, Any]:
        return views.clock_view(self.clock.now(), self.zone)

    def chats_of(self, person: Person) -> list[dict[str, Any]]:
        return views.chats_of(self.emu, self.staff, person)

    def state(self) -> dict[str, Any]:
        return views.state(self, BOT_USERNAME)

    def file_url(self, path: str) -> str:
        return views.file_url(path)

    def message_view(self, message: ChatMessage) -> dict[str, Any]:
        return views.message_view(message, self.zone)

    def keyboard_view(self, chat: Chat) -> dict[str, Any] | None:
        return views.keyboard_view(chat)

    async def refresh_companies(self) -> bool:
        """Ask the bot's database which company each person is in; True if that changed."""
        if self.rt is None:
            return False
        try:
            found = await notes.companies(self.rt.db, self.people.values())
        except Exception:  # the bot is stopping, say: the list keeps what it showed
            log.exception("could not read who is in which company")
            return False
        changed, self.companies = found != self.companies, found
        return changed

    def _look_again(self) -> None:
        """Read the companies again soon; a burst of messages makes one or two lookups."""
        self._look_again_soon = True
        if self._lookup is None or self._lookup.done():
            self._lookup = asyncio.get_running_loop().create_task(self._follow_companies())

    async def _follow_companies(self) -> None:
        while self._look_again_soon:
            self._look_again_soon = False
            if await self.refresh_companies():
                self._broadcast_state()

    def _on_event(self, event: ChatEvent) -> None:
        message = event.message
        if event.kind == "new":
            self._reserve_message_ids(message)
            person = self.people.get(message.chat_id)
            if message.outgoing and person is not None and person.role == "enterprise":
                self._look_again()  # the bot tells people when they registered, joined or left
        self._publish({
            "type": "message", "kind": event.kind, "chat_id": message.chat_id,
            "thread_id": message.thread_id, "message": self.message_view(message),
            "keyboard": self.keyboard_view(message.chat),
        })

    def _broadcast_state(self) -> None:
        self._publish({"type": "state"})

    def _publish(self, payload: dict[str, Any]) -> None:
        for queue in list(self._streams):
            with contextlib.suppress(asyncio.QueueFull):
                queue.put_nowait(payload)

    # ====================================================================================
    # actions (actions.py does them)
    # ====================================================================================
    def person(self, raw: Any) -> tuple[Person, User]:
        return actions.find_person(self, raw)

    def chat_for(self, person: Person, raw: Any) -> Chat:
        return actions.chat_for(self, person, raw)

    def send(self, body: dict[str, Any]) -> ChatMessage:
        return actions.send(self, body)

    async def press(self, body: dict[str, Any]) -> dict[str, Any] | None:
        return await actions.press(self, body)

    def contact(self, body: dict[str, Any]) -> ChatMessage:
        return actions.contact(self, body)

    def upload(self, fields: dict[str, str], filename: str, content: bytes,
               mime_type: str | None) -> ChatMessage:
        return actions.upload(self, fields, filename, content, mime_type)

    def add_person(self, body: dict[str, Any]) -> Person:
        return actions.add_person(self, body)

    def move_clock(self, body: dict[str, Any]) -> dict[str, Any]:
        return actions.move_clock(self, body)

    def open_link(self, body: dict[str, Any]) -> ChatMessage:
        return actions.open_link(self, body)

    # ====================================================================================
    # HTTP (routes.py)
    # ====================================================================================
    async def _serve(self) -> None:
        self._runner, self._url = await serve(self, self.host, self.port)


# ROLES, SEED_CODE and seed_people belong to seeding.py; imports from here keep working.
__all__ = ["ROLES", "SEED_CODE", "TOKEN", "Person", "Sandbox", "SandboxError", "seed_people"]
