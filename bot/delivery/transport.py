"""PTB's HTTP transport on aiohttp: one pooled ``ClientSession`` for all Bot API calls.

PTB's default transport is httpx. aiohttp is already in the stack (the webhook server, the
emulator), and its client costs noticeably less CPU per call, which is where a busy bot
spends its time. :class:`AiohttpRequest` implements PTB's ``BaseRequest`` contract:
``do_request`` returns ``(status, body)`` for any HTTP answer and raises only ``TimedOut``
(a deadline passed) or ``NetworkError`` (no answer at all); PTB turns statuses into
``BadRequest``/``Forbidden``/``RetryAfter``/... itself.
"""

from __future__ import annotations

import asyncio
import urllib.request
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from bot.core.redact import redact

# PTB passes a timeout as a number, None (wait forever) or its "not given" sentinel; the
# sentinel's type lives in a private module, so the parameters are typed by what they accept.
Timeout = float | None | object


def _pick(value: Timeout, default: float | None) -> float | None:
    if value is BaseRequest.DEFAULT_NONE:
        return default
    return value if value is None or isinstance(value, int | float) else default


class AiohttpRequest(BaseRequest):
    """A ``telegram.request.BaseRequest`` over one ``aiohttp.ClientSession``.

    The timeouts mean what they mean for PTB's httpx transport: ``pool_timeout`` bounds the
    wait for a free connection, ``connect_timeout`` the TCP connect, ``read_timeout`` each
    wait for the answer, ``write_timeout`` (``media_write_timeout`` for uploads) sending
    the request. ``None`` waits forever.
    """

    __slots__ = (
        "_connect_timeout",
        "_media_write_timeout",
        "_pool_size",
        "_pool_timeout",
        "_proxies",
        "_read_timeout",
        "_session",
        "_slots",
        "_write_timeout",
    )

    def __init__(
        self,
        connection_pool_size: int = 256,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        if connection_pool_size < 1:
            raise ValueError("connection_pool_size must be at least 1")
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None
        # aiohttp folds the wait for a pooled connection into its connect timeout; a
        # semaphore of the pool's size makes "no free connection" its own, shorter wait.
        self._slots = asyncio.Semaphore(connection_pool_size)
        self._proxies: dict[tuple[str, str], str | None] = {}

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(
                limit=self._pool_size, limit_per_host=self._pool_size,
                ttl_dns_cache=300, keepalive_timeout=30,
            )
            self._session = aiohttp.ClientSession(
                connector=connector,
                headers={"User-Agent": self.USER_AGENT},
                # PTB parses the bytes itself; no per-response charset sniffing needed.
                auto_decompress=True, raise_for_status=False,
            )

    def _proxy(self, url: str) -> str | None:
        """The proxy the environment names for this URL's host (HTTPS_PROXY, NO_PROXY, …),
        as httpx would use; looked up once per host. (aiohttp's ``trust_env`` would read
        the environment and ~/.netrc in a thread on every call.)"""
        parts = urlsplit(url)
        key = (parts.scheme, parts.hostname or "")
        if key not in self._proxies:
            proxy = None
            if not parts.hostname or not urllib.request.proxy_bypass(parts.hostname):
                proxy = urllib.request.getproxies().get(parts.scheme)
            self._proxies[key] = proxy
        return self._proxies[key]

    async def shutdown(self) -> None:
        session, self._session = self._session, None
        if session is not None and not session.closed:
            await session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Timeout = BaseRequest.DEFAULT_NONE,
        write_timeout: Timeout = BaseRequest.DEFAULT_NONE,
        connect_timeout: Timeout = BaseRequest.DEFAULT_NONE,
        pool_timeout: Timeout = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        session = self._session
        if session is None or session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data.multipart_data if request_data else None
        read = _pick(read_timeout, self._read_timeout)
        connect = _pick(connect_timeout, self._connect_timeout)
        pool = _pick(pool_timeout, self._pool_timeout)
        write = _pick(
            write_timeout, self._media_write_timeout if files else self._write_timeout
        )
        # ``sock_read`` bounds each wait for bytes of the answer. aiohttp has no write
        # deadline of its own, so the call as a whole gets one: connect + write + read.
        timeout = aiohttp.ClientTimeout(total=None, connect=connect, sock_read=read)
        phases = (connect, write, read)
        overall = None if any(p is None for p in phases) else sum(p for p in phases if p)
        body: Any = None
        if request_data is not None:
            if files:
                # Names go out as UTF-8 (quotes escaped), as httpx sends them; quoting would
                # percent-encode 营业执照.pdf and the server would store the escapes.
                form = aiohttp.FormData(quote_fields=False)
                for name, value in request_data.json_parameters.items():
                    form.add_field(name, value)
                for name, (filename, content, mime) in files.items():
                    form.add_field(name, content, filename=filename, content_type=mime)
                body = form
            else:
                body = request_data.json_parameters
        try:
            async with asyncio.timeout(pool):
                await self._slots.acquire()
        except TimeoutError:
            raise TimedOut(
                "Pool timeout: all connections are busy; the request was not sent"
            ) from None
        try:
            async with asyncio.timeout(overall):
                async with session.request(
                    method, url, data=body, timeout=timeout, proxy=self._proxy(url)
                ) as response:
                    return response.status, await response.read()
        except TimeoutError as exc:
            # asyncio's own deadline and aiohttp's ServerTimeoutError/ConnectionTimeoutError
            # (all TimeoutError subclasses) mean the same to PTB.
            # Error texts can carry the URL, and with it the token: never pass it on.
            raise TimedOut(redact(f"aiohttp: {type(exc).__name__}: {exc}")) from None
        except aiohttp.ClientError as exc:
            raise NetworkError(redact(f"aiohttp.{type(exc).__name__}: {exc}")) from None
        except OSError as exc:
            raise NetworkError(redact(f"{type(exc).__name__}: {exc}")) from None
        finally:
            self._slots.release()
