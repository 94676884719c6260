"""Replicas of the bot in webhook mode behind a real nginx, on one machine.

Telegram (the emulator) posts to nginx; nginx spreads the posts over the replicas; each
replica is ``python -m bot.cli run`` with ``FRONTDOOR_WEBHOOK_*`` set, as deploy/nginx.conf
and docs/deploy.md arrange it. Used by ``python -m bench --replicas N`` and by
tests/test_replicas.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import shutil
import signal
import socket
import sys
from pathlib import Path

import aiohttp
import psutil

from bench.load import ROOT, log_tail
from frontdoor_emulator import BotApiEmulator

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
NGINX_MISSING = ("nginx is not installed (Debian: apt-get install nginx-light); replicas run "
                 "behind a real balancer")
HOOK_PATH = "/telegram/hook"
# Telegram's rule for the secret: 16–256 of A-Z a-z 0-9 _ -.
SECRET = "s3cret-webhook-token-0123456789"

NGINX_CONF = """
worker_processes 1;
daemon off;
pid {dir}/nginx.pid;
error_log {dir}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    upstream replicas {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        location {path} {{
            proxy_pass http://replicas;
            proxy_read_timeout 30s;
        }}
    }}
}}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _cpu_of(ps: psutil.Process | None) -> float:
    if ps is None:
        return 0.0
    try:
        times = ps.cpu_times()
    except psutil.Error:
        return 0.0
    return float(times.user + times.system)


class Balancer:
    """nginx in the foreground on a free port, one ``server`` line per replica."""

    def __init__(self, directory: Path) -> None:
        if NGINX is None:
            raise RuntimeError(NGINX_MISSING)
        self.directory = directory
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}{HOOK_PATH}"
        self.proc: asyncio.subprocess.Process | None = None
        self._ps: psutil.Process | None = None

    def env(self, secret: str = SECRET) -> dict[str, str]:
        """What a replica behind this balancer is told (besides the token and database)."""
        return {
            "PYTHONPATH": str(ROOT), "NO_PROXY": "127.0.0.1,localhost",
            "FRONTDOOR_WEBHOOK_URL": self.url, "FRONTDOOR_WEBHOOK_SECRET": secret,
            "FRONTDOOR_WEBHOOK_LISTEN": "127.0.0.1",
        }

    async def start(self, replicas: list[Replica]) -> None:
        assert NGINX is not None
        servers = "\n".join(f"        server 127.0.0.1:{r.port} max_fails=1 fail_timeout=2s;"
                            for r in replicas)
        conf = self.directory / "nginx.conf"
        conf.write_text(NGINX_CONF.format(dir=self.directory, servers=servers, port=self.port,
                                          path=HOOK_PATH), encoding="utf-8")
        self.proc = await asyncio.create_subprocess_exec(
            NGINX, "-c", str(conf), "-p", str(self.directory),
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
        with contextlib.suppress(psutil.Error):
            self._ps = psutil.Process(self.proc.pid)

    def cpu_seconds(self) -> float:
        """The master's and its worker's CPU time."""
        if self._ps is None:
            return 0.0
        try:
            children = self._ps.children(recursive=True)
        except psutil.Error:
            children = []
        return _cpu_of(self._ps) + sum(_cpu_of(child) for child in children)

    async def stop(self) -> None:
        if self.proc is not None and self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
            await self.proc.wait()


class Replica:
    """``frontdoor run`` in webhook mode, as one of several behind the balancer, with a copy of
    catalogue.yaml of its own (so that only it sees an edit of that copy)."""

    def __init__(self, number: int, env: dict[str, str], directory: Path) -> None:
        self.number, self.directory = number, directory
        self.port, self.ops_port = free_port(), free_port()
        home = directory / f"replica-{number}"
        home.mkdir()
        self.catalogue = home / "catalogue.yaml"
        shutil.copyfile(ROOT / "catalogue.yaml", self.catalogue)
        self.log_path = directory / f"replica-{number}.log"
        self.env = {**env, "FRONTDOOR_WEBHOOK_PORT": str(self.port),
                    "FRONTDOOR_OPS_PORT": str(self.ops_port),
                    "FRONTDOOR_CATALOGUE": str(self.catalogue)}
        self.proc: asyncio.subprocess.Process | None = None
        self._ps: psutil.Process | None = None

    async def start(self) -> None:
        with self.log_path.open("ab") as log:
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot.cli", "run", env=self.env, cwd=self.directory,
                stdout=asyncio.subprocess.DEVNULL, stderr=log)
        with contextlib.suppress(psutil.Error):
            self._ps = psutil.Process(self.proc.pid)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.returncode is None

    def cpu_seconds(self) -> float:
        """CPU time (user and system) of the running process."""
        return _cpu_of(self._ps)

    def log_tail(self, lines: int = 30) -> str:
        return log_tail(self.log_path, lines)

    async def ready(self, http: aiohttp.ClientSession) -> bool:
        try:
            async with http.get(f"http://127.0.0.1:{self.ops_port}/readyz") as answer:
                return answer.status == 200
        except aiohttp.ClientError:
            return False

    async def metric(self, http: aiohttp.ClientSession, name: str) -> float | None:
        """The sum of a metric's samples on the replica's /metrics (None when unreachable
        or absent)."""
        try:
            async with http.get(f"http://127.0.0.1:{self.ops_port}/metrics") as answer:
                body = await answer.text()
        except aiohttp.ClientError:
            return None
        found = re.findall(rf"^{re.escape(name)}(?:{{[^}}]*}})? ([0-9.e+-]+)$", body,
                           re.MULTILINE)
        return sum(float(value) for value in found) if found else None

    async def catalogue_version(self, http: aiohttp.ClientSession) -> int | None:
        """The recorded catalogue version it serves, as its /metrics says."""
        version = await self.metric(http, "frontdoor_catalogue_version")
        return None if version is None else int(version)

    async def handled(self, http: aiohttp.ClientSession) -> int:
        """Updates it has handled so far, whatever their outcome."""
        return int(await self.metric(http, "frontdoor_updates_total") or 0)

    async def kill(self) -> None:
        if self.proc is not None and self.proc.returncode is None:
            self.proc.send_signal(signal.SIGKILL)
            await self.proc.wait()

    async def stop(self) -> None:
        if self.proc is not None and self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.proc.wait(), 20)
            except TimeoutError:
                await self.kill()


async def serve(emu: BotApiEmulator, replicas: list[Replica], http: aiohttp.ClientSession,
                within: float = 60.0) -> None:
    """Start the replicas; return once the webhook is set and each one is ready (catalogue
    read, database at the newest migration)."""
    for replica in replicas:
        await replica.start()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    for replica in replicas:
        while not await replica.ready(http) or emu.webhook is None:
            if not replica.alive():
                raise RuntimeError(f"replica {replica.number} exited during start-up:\n"
                                   f"{replica.log_tail()}")
            if loop.time() > deadline:
                raise RuntimeError(f"replica {replica.number} not ready in {within:.0f}s:\n"
                                   f"{replica.log_tail()}")
            await asyncio.sleep(0.1)
