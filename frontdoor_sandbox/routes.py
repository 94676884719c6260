"""The page's HTTP side: its static files, the files people sent, ``/api/…`` and ``/events``.

Handlers only read the request and write the response; what a request does is the sandbox's
(:mod:`frontdoor_sandbox.actions`), and what it shows is :mod:`frontdoor_sandbox.views`.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import asdict
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiohttp import BodyPartReader, web

from frontdoor_emulator.state import image_size
from frontdoor_sandbox.actions import TEXT_LIMIT, SandboxError, thread_id

if TYPE_CHECKING:
    from frontdoor_sandbox.server import Sandbox

UPLOAD_LIMIT = 20 * 1024 * 1024  # what a bot may download from Telegram

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


async def serve(box: Sandbox, host: str, port: int) -> tuple[web.AppRunner, str]:
    """Serve the page for ``box`` on ``host:port``; returns the runner and the page's URL."""
    routes = Routes(box)
    app = web.Application(client_max_size=UPLOAD_LIMIT + 1024 * 1024,
                          middlewares=[_same_origin_only, _security_headers])
    r = app.router
    r.add_get("/", routes.index)
    r.add_get("/static/{name}", routes.static)
    r.add_get("/files/{path:.+}", routes.file_download)
    r.add_get("/api/state", _guard(routes.api_state))
    r.add_get("/api/chats/{chat_id}/messages", _guard(routes.api_messages))
    r.add_post("/api/send", _guard(routes.api_send))
    r.add_post("/api/press", _guard(routes.api_press))
    r.add_post("/api/contact", _guard(routes.api_contact))
    r.add_post("/api/upload", _guard(routes.api_upload))
    r.add_post("/api/people", _guard(routes.api_people))
    r.add_post("/api/clock", _guard(routes.api_clock))
    r.add_post("/api/open", _guard(routes.api_open))
    r.add_get("/events", routes.events)
    # Filled in once the port is known (a set, since a started app cannot be changed).
    allowed: set[str] = set()
    app[ALLOWED_HOSTS] = allowed
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0,
                           handler_cancellation=True)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    bound_host, bound_port = runner.addresses[0][:2]
    allowed.update(f"{name}:{bound_port}" for name in (bound_host, *LOOPBACK_NAMES))
    return runner, f"http://{bound_host}:{bound_port}"


class Routes:
    """The request handlers of one sandbox's page."""

    def __init__(self, box: Sandbox) -> None:
        self.box = box

    async def index(self, request: web.Request) -> web.StreamResponse:
        return web.Response(text=_static_text("index.html"), content_type="text/html")

    async def static(self, request: web.Request) -> web.StreamResponse:
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

    async def file_download(self, request: web.Request) -> web.StreamResponse:
        stored = self.box.emu.world.files_by_path.get(request.match_info["path"])
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

    async def api_state(self, request: web.Request) -> web.StreamResponse:
        await self.box.refresh_companies()
        return web.json_response(self.box.state())

    async def api_messages(self, request: web.Request) -> web.StreamResponse:
        box = self.box
        person, _ = box.person(request.query.get("person"))
        chat = box.chat_for(person, request.match_info["chat_id"])
        thread = thread_id(request.query.get("thread_id"))
        messages = [
            box.message_view(m) for m in box.emu.transcript(chat)
            if not m.deleted and (chat.is_private or m.thread_id == thread)
        ]
        return web.json_response({"messages": messages, "keyboard": box.keyboard_view(chat)})

    async def api_send(self, request: web.Request) -> web.StreamResponse:
        message = self.box.send(await _body(request))
        return web.json_response({"message": self.box.message_view(message)})

    async def api_press(self, request: web.Request) -> web.StreamResponse:
        return web.json_response({"answer": await self.box.press(await _body(request))})

    async def api_contact(self, request: web.Request) -> web.StreamResponse:
        message = self.box.contact(await _body(request))
        return web.json_response({"message": self.box.message_view(message)})

    async def api_upload(self, request: web.Request) -> web.StreamResponse:
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
        message = self.box.upload(fields, *upload)
        return web.json_response({"message": self.box.message_view(message)})

    async def api_people(self, request: web.Request) -> web.StreamResponse:
        person = self.box.add_person(await _body(request))
        return web.json_response({"person": {**asdict(person),
                                             "chats": self.box.chats_of(person)}})

    async def api_clock(self, request: web.Request) -> web.StreamResponse:
        return web.json_response({"clock": self.box.move_clock(await _body(request))})

    async def api_open(self, request: web.Request) -> web.StreamResponse:
        """Open a link into the bot as a person: what scanning an event pass does."""
        message = self.box.open_link(await _body(request))
        return web.json_response({"message": self.box.message_view(message)})

    async def events(self, request: web.Request) -> web.StreamResponse:
        """Server-sent events: every message the bot or a person sends, edits or deletes."""
        response = web.StreamResponse(headers={
            "Content-Type": "text/event-stream", "Cache-Control": "no-cache",
        })
        await response.prepare(request)
        queue: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue(maxsize=1000)
        self.box._streams.add(queue)
        try:
            await response.write(b"retry: 1000\n\n")
            while True:
                try:
                    # asyncio.timeout, not wait_for: a stop in the turn a payload comes
                    # must not be lost (bot.core.waiting).
                    async with asyncio.timeout(15):
                        payload = await queue.get()
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
            self.box._streams.discard(queue)
        return response


def _static_text(name: str) -> str:
    return (resources.files("frontdoor_sandbox") / "static" / name).read_text(encoding="utf-8")


ALLOWED_HOSTS = web.AppKey("allowed_hosts", set[str])
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
JSON_POSTS = ("/api/send", "/api/press", "/api/contact", "/api/people", "/api/clock",
              "/api/open")


@web.middleware
async def _same_origin_only(request: web.Request, handler: Handler) -> web.StreamResponse:
    """The page acts as anyone, officers and admins included: only the page itself may call it.

    A web page the developer visits could otherwise drive it: through a name that resolves
    to 127.0.0.1 (DNS rebinding: the Host header names the foreign site) or with a
    cross-site form post (a simple request needs no preflight). So the Host must be this
    server's own, a browser's Origin must be too, and the JSON calls must say they are JSON,
    which no cross-site form can.
    """
    allowed = request.app.get(ALLOWED_HOSTS, set())
    if request.host not in allowed:
        return web.json_response({"error": "this page answers only on its own address"},
                                 status=403)
    origin = request.headers.get("Origin")
    if origin is not None and origin.removeprefix("http://") not in allowed:
        return web.json_response({"error": "calls from other sites are refused"}, status=403)
    if request.method == "POST" and request.path in JSON_POSTS \
            and request.content_type != "application/json":
        return web.json_response({"error": "send JSON (Content-Type: application/json)"},
                                 status=415)
    return await handler(request)


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


__all__ = ["UPLOAD_LIMIT", "Routes", "serve"]
