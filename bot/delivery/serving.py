"""A small aiohttp site on one address, started and stopped with the Application: the
webhook server and the operations server are each one."""

from __future__ import annotations

from aiohttp import web


class Site:
    """Serves the routes a subclass adds in :meth:`routes` on ``listen:port``."""

    # aiohttp refuses bodies over this before reading them (its default is 1 MiB too).
    client_max_size = 1024 * 1024

    def __init__(self, *, listen: str, port: int) -> None:
        self.listen, self.port = listen, port
        self._runner: web.AppRunner | None = None

    def routes(self, server: web.Application) -> None:
        raise NotImplementedError

    async def start(self) -> None:
        server = web.Application(client_max_size=self.client_max_size)
        self.routes(server)
        self._runner = web.AppRunner(server, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.listen, self.port).start()

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
