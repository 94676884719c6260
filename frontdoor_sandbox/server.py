"""The sandbox: the Bot API emulator, the real bot and a Telegram-like web page, one process.

Nothing here talks to Telegram. People, the staff group and its topics live in the emulator;
the bot is the same Application ``frontdoor run`` builds, with its own SQLite file under the
sandbox's data directory and a clock that moves only when the page says so.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, time, timedelta
from importlib import resources
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from aiohttp import BodyPartReader, web

from bot.catalogue import DEFAULT_TIMEZONE, Catalogue, CatalogueError, load_catalogue, summary
from bot.companies.credit_code import make_credit_code
from bot.core.clock import ManualClock
from bot.core.runtime import Runtime
from bot.core.settings import Settings
from frontdoor_emulator import BotApiEmulator, Chat, ChatEvent, ChatMessage, Markup, User
from frontdoor_emulator.state import image_size
from frontdoor_sandbox.overlay import with_topics
from frontdoor_sandbox.sanitize import sanitize

log = logging.getLogger(__name__)

TOKEN = "1000000001:SANDBOX-not-a-real-token"
BOT_USERNAME = "frontdoor_sandbox_bot"
FIRST_PERSON_ID = 7_000_000_001
STATE_FILE = "sandbox.json"
DB_FILE = "sandbox.db"
CATALOGUE_COPY = "sandbox-catalogue.yaml"
# Only these are removed by --reset, so a mistyped --data never empties a real directory.
OWN_FILES = (STATE_FILE, DB_FILE, f"{DB_FILE}-wal", f"{DB_FILE}-shm", f"{DB_FILE}-journal",
             CATALOGUE_COPY)
NAME_LIMIT = 64
TEXT_LIMIT = 4096
UPLOAD_LIMIT = 20 * 1024 * 1024  # what a bot may download from Telegram
MORNING = time(8, 0)
SEED_COMPANY = "上海示例机器人有限公司"
SEED_CODE = make_credit_code("91310113MA1G00001")

Role = Literal["enterprise", "officer", "admin"]
ROLES: tuple[Role, ...] = ("enterprise", "officer", "admin")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class Person:
    """Someone the page can act as."""

    id: int
    name: str
    role: Role
    language: str = "zh"
    phone: str = ""
    note: str = ""


@dataclass
class SavedState:
    """What survives a restart of the sandbox (the emulator itself lives in memory)."""

    people: list[Person] = field(default_factory=list)
    clock: str | None = None
    seeded: bool = False

    @classmethod
    def read(cls, path: Path) -> SavedState | None:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        people = [Person(**p) for p in raw.get("people", [])]
        return cls(people=people, clock=raw.get("clock"), seeded=bool(raw.get("seeded")))

    def write(self, path: Path) -> None:
        data = {"people": [asdict(p) for p in self.people], "clock": self.clock,
                "seeded": self.seeded}
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def seed_people() -> list[Person]:
    """Two contacts of one company, a newcomer, three officers and an admin."""
    same = f"与王经理同一企业：发送 /start，输入信用代码 {SEED_CODE} 申请加入，王经理同意即可"
    rows: list[tuple[str, Role, str, str]] = [
        ("王经理", "enterprise", "zh", f"已登记：{SEED_COMPANY}"),
        ("刘助理", "enterprise", "zh", same),
        ("陈总", "enterprise", "zh", "新企业：发送 /start 登记"),
        ("李科员", "officer", "zh", ""),
        ("张科员", "officer", "zh", ""),
        ("陈科长", "officer", "zh", ""),
        ("Admin", "admin", "en", "FRONTDOOR_ADMIN_IDS"),
    ]
    return [
        Person(FIRST_PERSON_ID + i, name, role, lang, f"1380013{8000 + i:04d}", note)
        for i, (name, role, lang, note) in enumerate(rows)
    ]


class SandboxError(Exception):
    """A request the page made that cannot be done; answered with HTTP 400."""


def _markup_rows(markup: Markup | None) -> list[list[dict[str, Any]]]:
    if markup is None:
        return []
    rows: list[list[dict[str, Any]]] = []
    for row in markup.rows:
        rows.append([
            {k: v for k, v in (("text", b.text), ("data", b.callback_data), ("url", b.url),
                               ("contact", b.request_contact or None)) if v is not None}
            for b in row
        ])
    return rows


class Sandbox:
    """Run everything; ``await start()`` returns the page's URL, ``await stop()`` ends it."""

    def __init__(
        self, *, data_dir: Path = Path(".frontdoor-sandbox"),
        catalogue: Path = Path("catalogue.yaml"), host: str = "127.0.0.1", port: int = 8080,
        reset: bool = False, start_time: datetime | None = None, job_tick: float = 1.0,
        catalogue_poll: float = 1.0,
    ) -> None:
        self.data_dir = data_dir.resolve()
        self.catalogue_path = catalogue.resolve()
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
        self.rt: Runtime | None = None
        self.app: Any = None
        self._stamp: tuple[float, int] | None = None
        self._streams: set[asyncio.Queue[dict[str, Any] | None]] = set()
        self._runner: web.AppRunner | None = None
        self._url: str | None = None
        self._watch: asyncio.Task[None] | None = None
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
            await self._load_catalogue()
        except BaseException:
            await self.stop()
            raise
        if self.catalogue_poll > 0:
            self._watch = asyncio.create_task(self._watch_catalogue(), name="sandbox-catalogue")
        self._save()
        return self.url

    async def stop(self) -> None:
        if self._watch is not None:
            self._watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watch
            self._watch = None
        await self._stop_bot()
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
        for person in self.saved.people:
            self._add_to_emulator(person, started=True)
        staff = [self.emu.world.users[p.id] for p in self.saved.people
                 if p.role in ("officer", "admin")]
        self.staff = self.emu.add_group(
            "服务直通站工作群 · Frontdoor staff", members=staff, forum=True,
        )
        for person in self.saved.people:
            if person.role == "admin":
                self.staff.members[person.id] = "administrator"

    def _add_to_emulator(self, person: Person, *, started: bool) -> User:
        self.people[person.id] = person
        return self.emu.add_user(
            person.name, language_code="en" if person.language == "en" else "zh-hans",
            phone_number=person.phone, started=started, user_id=person.id,
        )

    # ====================================================================================
    # the catalogue and the bot
    # ====================================================================================
    def _disk_stamp(self) -> tuple[float, int] | None:
        try:
            st = self.catalogue_path.stat()
        except OSError:
            return None
        return st.st_mtime, st.st_size

    async def _load_catalogue(self) -> None:
        """Read the catalogue being previewed; start the bot once it is valid."""
        self._stamp = self._disk_stamp()
        try:
            cat = load_catalogue(self.catalogue_path)
        except CatalogueError as exc:
            self.catalogue_errors = [str(issue) for issue in exc.issues] or ["unreadable"]
            log.warning("catalogue %s not usable:\n%s", self.catalogue_path,
                        "\n".join(self.catalogue_errors))
            self._broadcast_state()
            return
        self.catalogue, self.catalogue_errors = cat, []
        self._write_copy(cat)
        if not self.bot_running:
            await self._start_bot()
        self._broadcast_state()

    def _write_copy(self, cat: Catalogue) -> None:
        assert self.staff is not None
        for station in cat.stations:
            if station.id not in self.topics:
                self.topics[station.id] = self.emu.add_topic(self.staff, station.name.get("zh"))
        text = self.catalogue_path.read_text(encoding="utf-8")
        self._file(CATALOGUE_COPY).write_text(with_topics(text, self.topics), encoding="utf-8")

    async def _watch_catalogue(self) -> None:
        while True:
            await asyncio.sleep(self.catalogue_poll)
            if self._disk_stamp() != self._stamp:
                try:
                    await self._load_catalogue()
                except Exception:
                    log.exception("could not reload the catalogue")

    def settings(self) -> Settings:
        """The bot's settings: never the environment's token or database."""
        assert self.staff is not None
        cat = self.catalogue
        values: dict[str, Any] = {
            "bot_token": TOKEN,
            "database_url": self.db_url,
            "catalogue": self._file(CATALOGUE_COPY),
            "staff_chat_id": self.staff.id,
            "admin_ids": frozenset(p.id for p in self.people.values() if p.role == "admin"),
            "telegram_api_url": self.emu.url,
            "timezone": cat.defaults.timezone if cat else DEFAULT_TIMEZONE,
            "catalogue_watch_seconds": 1.0,
            "webhook_url": None,
        }
        return Settings(_env_file=None, **values)  # type: ignore[call-arg]

    async def _start_bot(self) -> None:
        from bot.app import build_application, make_runtime
        from bot.delivery.lifecycle import start_application
        from storage.core.db import Database
        from storage.core.repos import Updates
        from storage.migrate import upgrade

        settings = self.settings()
        await upgrade(settings.database_url)
        db = Database(settings.database_url)
        async with db.session() as session:
            # Update ids start again at 1 in a new emulator: forget the last run's.
            await Updates(session).prune(datetime(9999, 1, 1, tzinfo=UTC))
        if not self.saved.seeded:
            await self._seed(db)
        self.rt = make_runtime(settings, db=db, clock=self.clock)
        app = build_application(self.rt, job_tick=self.job_tick)
        await start_application(app, poll_timeout=2)
        self.app = app
        log.info("bot running against the emulator at %s", self.emu.url)

    async def _seed(self, db: Any) -> None:
        """The company two of the seeded people belong to, registered by the first."""
        from storage.companies.repo import Companies
        from storage.core.repos import Users

        cat = self.catalogue
        assert cat is not None
        station = cat.station("robot-park") or cat.stations[0]
        owner = next(p for p in self.saved.people if p.role == "enterprise")
        now = self.clock.now()
        async with db.session() as session:
            users = Users(session)
            for person in self.saved.people:
                await users.touch(person.id, person.name, None, person.language, now)
            company, _ = await Companies(session).create_or_get({
                "credit_code": SEED_CODE, "name": SEED_COMPANY, "contact_name": owner.name,
                "phone": owner.phone, "station_id": station.id,
            }, now)
            await users.set_company(owner.id, company.id)
        self.saved.seeded = True
        self._save()

    async def _stop_bot(self) -> None:
        from bot.delivery.lifecycle import stop_application

        app, self.app = self.app, None
        if app is None:
            return
        await stop_application(app)  # disposes the database too
        self.rt = None

    # ====================================================================================
    # what the page sees
    # ====================================================================================
    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.catalogue.defaults.timezone if self.catalogue else DEFAULT_TIMEZONE)

    def clock_view(self) -> dict[str, Any]:
        local = self.clock.now().astimezone(self.zone)
        return {"utc": self.clock.now().isoformat(), "local": local.strftime("%Y-%m-%d %H:%M"),
                "weekday": local.strftime("%a"), "zone": self.zone.key}

    def chats_of(self, person: Person) -> list[dict[str, Any]]:
        chats: list[dict[str, Any]] = [
            {"id": person.id, "title": self.emu.bot.first_name, "kind": "private"}
        ]
        staff = self.staff
        if staff is not None and self.emu.world.member_status(staff, person.id) in (
            "creator", "administrator", "member"
        ):
            topics = [{"thread_id": t.thread_id, "name": t.name} for t in staff.topics.values()]
            chats.append({"id": staff.id, "title": staff.title, "kind": "group",
                          "topics": topics})
        return chats

    def state(self) -> dict[str, Any]:
        people = [{**asdict(p), "chats": self.chats_of(p)} for p in self.people.values()]
        return {
            "bot": {"name": self.emu.bot.first_name, "username": BOT_USERNAME,
                    "running": self.bot_running},
            "people": people,
            "clock": self.clock_view(),
            "catalogue": {
                "path": str(self.catalogue_path), "ok": not self.catalogue_errors,
                "errors": self.catalogue_errors,
                "summary": summary(self.catalogue) if self.catalogue else "",
            },
        }

    def file_url(self, path: str) -> str:
        return f"/files/{path}"

    def message_view(self, message: ChatMessage) -> dict[str, Any]:
        when = datetime.fromtimestamp(message.date, UTC).astimezone(self.zone)
        view: dict[str, Any] = {
            "id": message.message_id, "chat_id": message.chat_id,
            "thread_id": message.thread_id,
            "time": when.strftime("%H:%M"), "day": when.strftime("%Y-%m-%d"),
            "sender": {"id": message.sender.id, "name": message.sender.full_name,
                       "is_bot": message.sender.is_bot},
            "outgoing": message.outgoing, "html": sanitize(message.html),
            "edited": bool(message.history), "deleted": message.deleted,
            "buttons": _markup_rows(message.inline_keyboard),
        }
        if message.reply_to is not None and not message.reply_to.service:
            reply = message.reply_to
            view["reply_to"] = {"id": reply.message_id, "name": reply.sender.full_name,
                                "snippet": (reply.content or f"[{reply.kind}]")[:80]}
        if message.document is not None:
            doc = message.document
            view["document"] = {"name": doc.filename or "file", "size": doc.size,
                                "mime": doc.mime_type, "url": self.file_url(doc.file_path)}
        if message.photo is not None:
            photo = message.photo
            view["photo"] = {"url": self.file_url(photo.file_path), "width": photo.width,
                             "height": photo.height}
        if message.contact is not None:
            view["contact"] = {"phone": message.contact.get("phone_number"),
                               "name": message.contact.get("first_name")}
        if message.service:
            created = message.service.get("forum_topic_created")
            view["service"] = (f"Topic “{created['name']}” created" if created
                               else ", ".join(message.service))
        return view

    def keyboard_view(self, chat: Chat) -> dict[str, Any] | None:
        keyboard = chat.reply_keyboard
        if keyboard is None:
            return None
        return {"rows": _markup_rows(keyboard),
                "placeholder": keyboard.raw.get("input_field_placeholder")}

    def _on_event(self, event: ChatEvent) -> None:
        message = event.message
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
    # actions
    # ====================================================================================
    def person(self, raw: Any) -> tuple[Person, User]:
        try:
            person = self.people[int(raw)]
        except (TypeError, ValueError, KeyError):
            raise SandboxError(f"no such person: {raw!r}") from None
        return person, self.emu.world.users[person.id]

    def chat_for(self, person: Person, raw: Any) -> Chat:
        """The chat ``person`` may act in: their own private chat or a group they are in."""
        try:
            chat = self.emu.chat(int(raw)) if raw is not None else self.emu.chat(person.id)
        except (TypeError, ValueError, KeyError):
            raise SandboxError(f"no such chat: {raw!r}") from None
        if chat.is_private and chat.id != person.id:
            raise SandboxError(f"{person.name} cannot see chat {chat.id}")
        if chat.is_group and self.emu.world.member_status(chat, person.id) not in (
            "creator", "administrator", "member"
        ):
            raise SandboxError(f"{person.name} is not in {chat.title}")
        return chat

    @staticmethod
    def _thread(raw: Any) -> int | None:
        if raw in (None, "", "null"):
            return None
        try:
            return int(raw)
        except (TypeError, ValueError):
            raise SandboxError(f"bad thread id: {raw!r}") from None

    def _reply_target(self, chat: Chat, raw: Any) -> ChatMessage | None:
        if raw in (None, "", "null"):
            return None
        try:
            message = self.emu.world.get_message(chat.id, int(raw))
        except (TypeError, ValueError):
            message = None
        if message is None or message.deleted:
            raise SandboxError("the message to reply to is gone")
        return message

    def send(self, body: dict[str, Any]) -> ChatMessage:
        person, user = self.person(body.get("person"))
        chat = self.chat_for(person, body.get("chat_id"))
        text = str(body.get("text") or "")
        if not text.strip():
            raise SandboxError("nothing to send")
        if len(text) > TEXT_LIMIT:
            raise SandboxError(f"Telegram messages hold at most {TEXT_LIMIT} characters")
        if body.get("keyboard") and chat.reply_keyboard is not None \
                and chat.reply_keyboard.find(text=text) is not None:
            return self.emu.tap(user, text, chat=chat)  # one-time keyboards close like on a phone
        return self.emu.send_text(
            user, text, chat=chat, reply_to=self._reply_target(chat, body.get("reply_to")),
            thread_id=self._thread(body.get("thread_id")),
        )

    async def press(self, body: dict[str, Any]) -> dict[str, Any] | None:
        person, user = self.person(body.get("person"))
        chat = self.chat_for(person, body.get("chat_id"))
        message = self._reply_target(chat, body.get("message_id"))
        if message is None:
            raise SandboxError("which message?")
        try:
            query = self.emu.press(user, message, str(body.get("data") or ""))
        except (LookupError, ValueError) as exc:
            raise SandboxError(str(exc)) from None
        if not self.bot_running:
            return None
        with contextlib.suppress(TimeoutError):
            answer = await self.emu.wait_for_callback_answer(query, timeout=3.0)
            return {"text": answer.text, "alert": answer.show_alert}
        return None

    def contact(self, body: dict[str, Any]) -> ChatMessage:
        person, user = self.person(body.get("person"))
        chat = self.chat_for(person, body.get("chat_id"))
        label = body.get("label")
        keyboard = chat.reply_keyboard
        if label and keyboard is not None and keyboard.find(text=str(label)) is not None:
            return self.emu.tap(user, str(label), chat=chat)
        return self.emu.send_contact(user, chat=chat)

    def upload(self, fields: dict[str, str], filename: str, content: bytes,
               mime_type: str | None) -> ChatMessage:
        person, user = self.person(fields.get("person"))
        chat = self.chat_for(person, fields.get("chat_id"))
        reply_to = self._reply_target(chat, fields.get("reply_to"))
        thread = self._thread(fields.get("thread_id"))
        caption = fields.get("caption") or None
        if fields.get("as_photo") == "1" and image_size(content) is not None:
            return self.emu.send_photo(user, content=content, caption=caption, chat=chat,
                                       reply_to=reply_to, thread_id=thread)
        return self.emu.send_document(
            user, filename=filename, content=content, mime_type=mime_type, caption=caption,
            chat=chat, reply_to=reply_to, thread_id=thread,
        )

    def add_person(self, body: dict[str, Any]) -> Person:
        name = " ".join(str(body.get("name") or "").split())
        if not 1 <= len(name) <= NAME_LIMIT:
            raise SandboxError(f"a name of 1–{NAME_LIMIT} characters, please")
        raw_role = body.get("role") or "enterprise"
        if raw_role not in ("enterprise", "officer"):
            # Admins come from FRONTDOOR_ADMIN_IDS, which the bot reads once at start.
            raise SandboxError("new people are enterprise users or officers")
        role: Role = "officer" if raw_role == "officer" else "enterprise"
        language = "en" if body.get("language") == "en" else "zh"
        number = max(self.people) + 1 if self.people else FIRST_PERSON_ID
        person = Person(number, name, role, language,
                        f"1390013{(number - FIRST_PERSON_ID) % 10000:04d}")
        self._add_to_emulator(person, started=False)
        if role == "officer" and self.staff is not None:
            self.staff.members[person.id] = "member"
        self.saved.people.append(person)
        self._save()
        self._broadcast_state()
        return person

    def move_clock(self, body: dict[str, Any]) -> dict[str, Any]:
        action = body.get("action")
        now = self.clock.now()
        if action == "hour":
            self.clock.advance(timedelta(hours=1))
        elif action == "day":
            self.clock.advance(timedelta(days=1))
        elif action == "morning":
            local = now.astimezone(self.zone)
            target = datetime.combine(local.date(), MORNING, tzinfo=self.zone)
            if target <= local:
                target = datetime.combine(local.date() + timedelta(days=1), MORNING,
                                          tzinfo=self.zone)
            self.clock.set(target)
        else:
            raise SandboxError("action is one of: hour, day, morning")
        if self.rt is not None:
            self.rt.wake()  # reminders, rosters and escalations look at the new time now
        self._save()
        self._broadcast_state()
        return self.clock_view()

    # ====================================================================================
    # HTTP
    # ====================================================================================
    async def _serve(self) -> None:
        app = web.Application(client_max_size=UPLOAD_LIMIT + 1024 * 1024,
                              middlewares=[_security_headers])
        r = app.router
        r.add_get("/", self._index)
        r.add_get("/static/{name}", self._static)
        r.add_get("/files/{path:.+}", self._file_download)
        r.add_get("/api/state", _guard(self._api_state))
        r.add_get("/api/chats/{chat_id}/messages", _guard(self._api_messages))
        r.add_post("/api/send", _guard(self._api_send))
        r.add_post("/api/press", _guard(self._api_press))
        r.add_post("/api/contact", _guard(self._api_contact))
        r.add_post("/api/upload", _guard(self._api_upload))
        r.add_post("/api/people", _guard(self._api_people))
        r.add_post("/api/clock", _guard(self._api_clock))
        r.add_get("/events", self._events)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0,
                               handler_cancellation=True)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        await site.start()
        self._runner = runner
        host, port = runner.addresses[0][:2]
        self._url = f"http://{host}:{port}"

    async def _index(self, request: web.Request) -> web.StreamResponse:
        return web.Response(text=_static_text("index.html"), content_type="text/html")

    async def _static(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        types = {".js": "text/javascript", ".css": "text/css"}
        suffix = Path(name).suffix
        if "/" in name or suffix not in types:
            raise web.HTTPNotFound()
        try:
            text = _static_text(name)
        except FileNotFoundError:
            raise web.HTTPNotFound() from None
        return web.Response(text=text, content_type=types[suffix])

    async def _file_download(self, request: web.Request) -> web.StreamResponse:
        stored = self.emu.world.files_by_path.get(request.match_info["path"])
        if stored is None or stored.content is None:
            raise web.HTTPNotFound()
        if stored.kind == "photo" and image_size(stored.content) is not None:
            kind = {b"\x89P": "image/png", b"GI": "image/gif"}.get(stored.content[:2],
                                                                   "image/jpeg")
            return web.Response(body=stored.content, content_type=kind)
        # Anything else is downloaded, never rendered by the page's origin.
        name = (stored.filename or Path(stored.file_path).name).replace('"', "")
        ascii_name = name.encode("ascii", "replace").decode().replace("?", "_")
        from urllib.parse import quote

        return web.Response(
            body=stored.content, content_type=stored.mime_type or "application/octet-stream",
            headers={"Content-Disposition":
                     f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"},
        )

    async def _api_state(self, request: web.Request) -> web.StreamResponse:
        return web.json_response(self.state())

    async def _api_messages(self, request: web.Request) -> web.StreamResponse:
        person, _ = self.person(request.query.get("person"))
        chat = self.chat_for(person, request.match_info["chat_id"])
        thread = self._thread(request.query.get("thread_id"))
        messages = [
            self.message_view(m) for m in self.emu.transcript(chat)
            if not m.deleted and (chat.is_private or m.thread_id == thread)
        ]
        return web.json_response({"messages": messages, "keyboard": self.keyboard_view(chat)})

    async def _api_send(self, request: web.Request) -> web.StreamResponse:
        message = self.send(await _body(request))
        return web.json_response({"message": self.message_view(message)})

    async def _api_press(self, request: web.Request) -> web.StreamResponse:
        return web.json_response({"answer": await self.press(await _body(request))})

    async def _api_contact(self, request: web.Request) -> web.StreamResponse:
        message = self.contact(await _body(request))
        return web.json_response({"message": self.message_view(message)})

    async def _api_upload(self, request: web.Request) -> web.StreamResponse:
        fields: dict[str, str] = {}
        upload: tuple[str, bytes, str | None] | None = None
        if not request.content_type.startswith("multipart/"):
            raise SandboxError("upload a file as multipart/form-data")
        reader = await request.multipart()
        while (part := await reader.next()) is not None:
            if not isinstance(part, BodyPartReader) or part.name is None:
                continue
            if part.name == "file":
                data = await part.read(decode=False)
                if len(data) > UPLOAD_LIMIT:
                    raise SandboxError("files up to 20 MB, as bots can download")
                ctype = part.headers.get("Content-Type")
                upload = (part.filename or "file", bytes(data), ctype)
            else:
                fields[part.name] = (await part.text())[:TEXT_LIMIT]
        if upload is None or not upload[1]:
            raise SandboxError("no file")
        message = self.upload(fields, *upload)
        return web.json_response({"message": self.message_view(message)})

    async def _api_people(self, request: web.Request) -> web.StreamResponse:
        person = self.add_person(await _body(request))
        return web.json_response({"person": {**asdict(person), "chats": self.chats_of(person)}})

    async def _api_clock(self, request: web.Request) -> web.StreamResponse:
        return web.json_response({"clock": self.move_clock(await _body(request))})

    async def _events(self, request: web.Request) -> web.StreamResponse:
        """Server-sent events: every message the bot or a person sends, edits or deletes."""
        response = web.StreamResponse(headers={
            "Content-Type": "text/event-stream", "Cache-Control": "no-cache",
        })
        await response.prepare(request)
        queue: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue(maxsize=1000)
        self._streams.add(queue)
        try:
            await response.write(b"retry: 1000\n\n")
            while True:
                try:
                    payload = await asyncio.wait_for(queue.get(), 15)
                except TimeoutError:
                    await response.write(b": keep-alive\n\n")
                    continue
                if payload is None:
                    break
                data = json.dumps(payload, ensure_ascii=False)
                await response.write(f"data: {data}\n\n".encode())
        except ConnectionResetError:
            pass  # the tab was closed
        finally:
            self._streams.discard(queue)
        return response


def _static_text(name: str) -> str:
    return (resources.files("frontdoor_sandbox") / "static" / name).read_text(encoding="utf-8")


@web.middleware
async def _security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    response = await handler(request)
    # The page shows text other people typed: no inline script, no foreign origins.
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _guard(handler: Handler) -> Handler:
    async def wrapped(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except SandboxError as exc:
            return web.json_response({"error": str(exc)}, status=400)
        except (LookupError, ValueError) as exc:
            # The emulator refuses what Telegram would refuse (not a member, no such button).
            return web.json_response({"error": str(exc)}, status=400)

    return wrapped


async def _body(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise SandboxError("a JSON body, please") from None
    if not isinstance(body, dict):
        raise SandboxError("a JSON object, please")
    return body


__all__ = ["ROLES", "TOKEN", "Person", "Sandbox", "SandboxError", "seed_people"]
