"""The HTTP side: starting and stopping the aiohttp server, the Bot API and file routes,
and running one call (:meth:`ServerMixin.dispatch`)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Self

from aiohttp import web

from .base import TOKEN_PATTERN
from .delivery import DeliveryMixin
from .errors import ApiError
from .faults import FaultsMixin
from .models import ApiCall, JSONDict
from .params import Params, read_params

_LOG = logging.getLogger(__name__)
_LOOP_METHODS = {
    name.lower(): name for name in ("getUpdates", "setWebhook", "deleteWebhook", "getWebhookInfo")
}


class ServerMixin(FaultsMixin, DeliveryMixin):
    """Serves the Bot API; each call passes the injected faults, then goes to the update
    delivery (getUpdates, webhooks) or to :class:`~frontdoor_emulator.api.BotApi`."""

    # ========================================================================================
    # lifecycle
    # ========================================================================================
    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Start serving; returns :attr:`url`. ``port=0`` picks a free port."""
        if self._runner is not None:
            raise RuntimeError("emulator already started")
        self._closing = False
        runner = web.AppRunner(
            self.app, handler_cancellation=True, shutdown_timeout=1.0, access_log=None
        )
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        await site.start()
        self._runner = runner
        address = runner.addresses[0]
        bound_host, bound_port = str(address[0]), int(address[1])
        if ":" in bound_host:
            bound_host = f"[{bound_host}]"
        self._url = f"http://{bound_host}:{bound_port}"
        if self._webhook is not None:
            self._ensure_webhook_worker()
        return self._url

    async def stop(self) -> None:
        """Stop serving: pending long polls return empty, the webhook worker stops."""
        self._closing = True
        self._pulse_all()
        await self._stop_webhook_worker()
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._runner is not None:
            await self._runner.cleanup()
        self._runner = None
        self._url = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def url(self) -> str:
        """``http://host:port`` of the running server."""
        if self._url is None:
            raise RuntimeError("emulator is not running; call start() first")
        return self._url

    @property
    def api_base_url(self) -> str:
        """Value for ``ApplicationBuilder().base_url(...)``."""
        return f"{self.url}/bot"

    @property
    def file_base_url(self) -> str:
        """Value for ``ApplicationBuilder().base_file_url(...)``."""
        return f"{self.url}/file/bot"

    # ========================================================================================
    # HTTP
    # ========================================================================================
    def _token_error(self, token: str) -> web.Response | None:
        if token == self.token:
            return None
        error = (
            ApiError(401, "Unauthorized")
            if TOKEN_PATTERN.match(token)
            else ApiError(404, "Not Found")
        )
        return web.json_response(error.to_json(), status=error.status)

    async def _handle_api(self, request: web.Request) -> web.Response:
        rejected = self._token_error(request.match_info["token"])
        if rejected is not None:
            return rejected
        method = request.match_info["method"]
        try:
            params = await read_params(request)
        except ApiError as exc:
            return web.json_response(exc.to_json(), status=exc.status)
        status, body = await self.dispatch(method, params)
        return web.json_response(body, status=status)

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        rejected = self._token_error(request.match_info["token"])
        if rejected is not None:
            return rejected
        if self._outage is not None:
            error = ApiError(self._outage.status, self._outage.description)
            return web.json_response(error.to_json(), status=error.status)
        stored = self.world.files_by_path.get(request.match_info["file_path"])
        if stored is None or stored.content is None:
            error = ApiError(404, "Not Found")
            return web.json_response(error.to_json(), status=404)
        return web.Response(
            body=stored.content, content_type=stored.mime_type or "application/octet-stream"
        )

    async def dispatch(self, method: str, params: Params) -> tuple[int, JSONDict]:
        """Run one Bot API call as if the bot made it over HTTP (logged in :attr:`calls`).

        Returns the HTTP status and the JSON reply body.
        """
        name = self.api.canonical_name(method) or _LOOP_METHODS.get(method.lower(), method)
        loop = asyncio.get_running_loop()
        started = loop.time()
        wall = self.world.clock()
        status: int = 499
        body: JSONDict = {}
        description: str | None = "cancelled"
        try:
            result = await self._execute(name, params)
        except ApiError as exc:
            status, body, description = exc.status, exc.to_json(), exc.description
        except Exception as exc:  # a bug in the emulator: answer like a server error
            _LOG.exception("emulator failed on %s", name)
            error = ApiError(500, f"Internal Server Error: {exc!r}")
            status, body, description = 500, error.to_json(), error.description
        else:
            status, body, description = 200, {"ok": True, "result": result}, None
        finally:
            self.call_counts[name] += 1
            self.calls.append(
                ApiCall(
                    method=name,
                    params=params.summary(),
                    time=wall,
                    duration=loop.time() - started,
                    status=status,
                    description=description,
                )
            )
            self._pulse("any")
        return status, body

    async def call_api(self, method: str, **params: Any) -> Any:
        """Convenience for Python callers: :meth:`dispatch` with keyword parameters; returns
        ``result`` or raises :class:`ApiError`."""
        status, body = await self.dispatch(method, Params(params))
        if status != 200:
            raise ApiError(status, str(body.get("description")), body.get("parameters"))
        return body["result"]

    async def _execute(self, name: str, params: Params) -> Any:
        if self.latency > 0:
            await asyncio.sleep(self.latency)
        failure = self._injected_failure(name)
        if failure is not None:
            raise failure
        self._check_flood(name, params)
        lower = name.lower()
        if lower == "getupdates":
            return await self._get_updates(params)
        if lower == "setwebhook":
            return await self._set_webhook(params)
        if lower == "deletewebhook":
            await self._delete_webhook(params.get_bool("drop_pending_updates"))
            return True
        if lower == "getwebhookinfo":
            return self._webhook_info()
        return self.api.call(name, params)
