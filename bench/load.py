"""The measuring emulator, bot processes, and the two ways of loading them.

Latency of one update: from the moment the emulator queues it to the bot's first answer in
that chat (a message, an edit or a callback answer). Throughput: answered updates per second
inside the measurement window.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

from frontdoor_emulator import BotApiEmulator
from frontdoor_emulator.models import JSONDict
from frontdoor_emulator.params import Params

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "7012345678:BENCH-token"

# Bot API methods that count as the bot answering in a chat.
ANSWERS = frozenset(
    m.lower() for m in (
        "sendMessage", "editMessageText", "editMessageReplyMarkup", "sendDocument",
        "sendPhoto", "copyMessage", "editMessageCaption",
    )
)


class Recorder:
    """Pairs every queued update with the bot's next answer where its sender looks for it.

    A person in a private chat looks at that chat: the key is the chat id. In the staff
    group many officers act at once, so the group is no key: a button press there is paired
    with the answer to that very press, and a message there with the answer in the chat the
    journey names (an officer's reply shows up in the enterprise's chat).
    """

    def __init__(self) -> None:
        self._pending: dict[Hashable, list[float]] = {}
        self.samples: list[tuple[float, float]] = []  # (answered at, latency), seconds
        self.queued = 0

    def queued_in(self, key: Hashable) -> None:
        self.queued += 1
        self._pending.setdefault(key, []).append(time.perf_counter())

    def answered_in(self, key: Hashable) -> None:
        waiting = self._pending.pop(key, None)
        if not waiting:
            return
        now = time.perf_counter()
        self.samples.extend((now, now - t0) for t0 in waiting)

    def window(self, start: float, end: float) -> list[float]:
        return [lat for at, lat in self.samples if start <= at < end]

    def reset(self) -> None:
        self._pending.clear()
        self.samples.clear()
        self.queued = 0


def _press_key(query_id: str) -> tuple[str, str]:
    return ("press", query_id)


class MeasuredEmulator(BotApiEmulator):
    """The emulator, timing every update from queue to the bot's first answer."""

    def __init__(self, recorder: Recorder, token: str = TOKEN, **kwargs: Any) -> None:
        super().__init__(token, call_log_size=1000, **kwargs)
        self.recorder = recorder
        self._answer_waiters: dict[str, asyncio.Future[None]] = {}

    def _enqueue(self, kind: str, payload: JSONDict) -> int:
        if kind == "callback_query":
            chat = (payload.get("message") or {}).get("chat") or {}
            if chat.get("type") == "private":
                self.recorder.queued_in(int(chat["id"]))
            elif "id" in chat:
                self.recorder.queued_in(_press_key(str(payload["id"])))
        else:
            chat = payload.get("chat") or {}
            # Group messages: the journey says where their answer shows (Player.staff_reply).
            if chat.get("type") == "private":
                self.recorder.queued_in(int(chat["id"]))
        return super()._enqueue(kind, payload)

    async def dispatch(self, method: str, params: Params) -> tuple[int, JSONDict]:
        status, body = await super().dispatch(method, params)
        if status == 200:
            lower = method.lower()
            if lower in ANSWERS:
                chat_id = params.get_int("chat_id")
                if chat_id is not None:
                    self.recorder.answered_in(chat_id)
            elif lower == "answercallbackquery":
                query_id = params.get_str("callback_query_id") or ""
                query = self.world.callback_queries.get(query_id)
                if query is not None:
                    if query.message.chat.is_private:
                        self.recorder.answered_in(query.message.chat_id)
                    else:
                        self.recorder.answered_in(_press_key(query_id))
                waiter = self._answer_waiters.pop(query_id, None)
                if waiter is not None and not waiter.done():
                    waiter.set_result(None)
        return status, body

    async def press_answered(self, query_id: str) -> None:
        """Wait for the bot's answer to a button press (without polling)."""
        if self.callback_answer(query_id) is not None:
            return
        waiter = self._answer_waiters.setdefault(
            query_id, asyncio.get_running_loop().create_future())
        try:
            await waiter
        finally:
            self._answer_waiters.pop(query_id, None)


# ---------------------------------------------------------------------------------------------
# processes
# ---------------------------------------------------------------------------------------------
def log_tail(path: Path, lines: int = 30) -> str:
    """The last lines of a process's log (empty if there is none yet)."""
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


@dataclass
class BotProcess:
    """A bot in its own process, its output in a log file, its memory sampled."""

    name: str
    argv: list[str]
    env: dict[str, str]
    log_path: Path
    proc: subprocess.Popen[bytes] | None = None
    peak_rss: int = 0
    _sampler: asyncio.Task[None] | None = None
    _ps: psutil.Process | None = None

    def start(self) -> None:
        env = {**os.environ, **self.env, "NO_PROXY": "127.0.0.1,localhost",
               "PYTHONUNBUFFERED": "1"}
        log = self.log_path.open("wb")
        self.proc = subprocess.Popen(
            self.argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        log.close()
        self._ps = psutil.Process(self.proc.pid)
        self._sampler = asyncio.create_task(self._sample())

    async def _sample(self) -> None:
        assert self._ps is not None
        with contextlib.suppress(psutil.Error):
            while True:
                self.peak_rss = max(self.peak_rss, self._ps.memory_info().rss)
                await asyncio.sleep(0.1)

    def cpu_seconds(self) -> float:
        if self._ps is None:
            return 0.0
        try:
            times = self._ps.cpu_times()
        except psutil.Error:
            return 0.0
        return float(times.user + times.system)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def log_tail(self, lines: int = 30) -> str:
        return log_tail(self.log_path, lines)

    async def stop(self, grace: float = 10.0) -> None:
        if self._sampler is not None:
            self._sampler.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sampler
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGINT)  # what run_polling stops cleanly on
        try:
            await asyncio.to_thread(self.proc.wait, grace)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            await asyncio.to_thread(self.proc.wait)


# FRONTDOOR_BENCH_PROFILE=<folder>: our bot runs under cProfile and writes its profile there
# when it stops (bot-<time>.prof). A profiled bot is about twice as slow: its figures are
# for finding where the time goes, not for comparing.
PROFILE_ENV = "FRONTDOOR_BENCH_PROFILE"


def python_argv(*args: str) -> list[str]:
    folder = os.environ.get(PROFILE_ENV)
    if folder and args[:2] == ("-m", "bot.cli"):
        where = Path(folder).resolve()
        where.mkdir(parents=True, exist_ok=True)
        out = where / f"bot-{time.strftime('%Y%m%d-%H%M%S')}.prof"
        return [sys.executable, "-m", "cProfile", "-o", str(out), *args]
    return [sys.executable, *args]


async def wait_polling(emu: BotApiEmulator, bot: BotProcess, within: float = 30.0) -> None:
    """Wait until the bot process has started its long poll."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while emu.call_counts["getUpdates"] == 0:
        if not bot.alive():
            raise RuntimeError(f"{bot.name} exited during start-up:\n{bot.log_tail()}")
        if loop.time() > deadline:
            raise RuntimeError(f"{bot.name} did not start polling in {within:.0f}s")
        await asyncio.sleep(0.05)


# ---------------------------------------------------------------------------------------------
# load shapes
# ---------------------------------------------------------------------------------------------
@dataclass
class Phase:
    """What one load phase measured."""

    label: str
    seconds: float
    latencies: list[float]
    completed: int = 0  # whole journeys (or echo loops) finished
    failures: list[str] = field(default_factory=list)
    cpu_seconds: float = 0.0

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds > 0 else 0.0

    def percentile(self, p: float) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] if self.latencies else float("nan")
        return statistics.quantiles(self.latencies, n=1000, method="inclusive")[int(p * 10) - 1]

    @property
    def cpu_ms_per_update(self) -> float:
        return 1000 * self.cpu_seconds / len(self.latencies) if self.latencies else float("nan")


Journey = Callable[[int], Awaitable[None]]


class Stop(Exception):
    """The phase is over; a journey stops between two steps."""


def _cpu(bot: BotProcess | None) -> float:
    return bot.cpu_seconds() if bot is not None else 0.0


async def closed_loop(
    label: str, recorder: Recorder, journey: Journey, *, users: int, seconds: float,
    warmup: float, bot: BotProcess | None,
) -> Phase:
    """``users`` people each run journeys back to back: the bot's sustained maximum."""
    loop = asyncio.get_running_loop()
    recorder.reset()
    start = loop.time()
    end = start + warmup + seconds
    failures: list[str] = []
    completed = 0
    counter = iter(range(10**9))
    cpu_at: list[float] = []

    async def mark_window() -> None:
        await asyncio.sleep(warmup)
        cpu_at.append(_cpu(bot))

    async def worker() -> None:
        nonlocal completed
        while loop.time() < end:
            try:
                await journey(next(counter))
                completed += 1
            except Stop:
                return
            except Exception as exc:
                failures.append(f"{type(exc).__name__}: {exc}")
                if len(failures) > 50:
                    return

    marker = asyncio.create_task(mark_window())
    t0 = time.perf_counter() + warmup
    JOURNEY_DEADLINE.set(end)
    try:
        await asyncio.gather(*(worker() for _ in range(users)))
    finally:
        JOURNEY_DEADLINE.set(float("inf"))  # journeys played after the phase run to the end
    await marker
    t1 = time.perf_counter()
    cpu = _cpu(bot) - cpu_at[0]
    window = min(t1, t0 + seconds) - t0
    return Phase(label, window, recorder.window(t0, t0 + window), completed, failures, cpu)


async def open_loop(
    label: str, recorder: Recorder, journey: Journey, *, per_second: float, seconds: float,
    bot: BotProcess | None, first_id: int = 0,
) -> Phase:
    """New people arrive at a fixed pace whatever the bot does: latency under steady load."""
    loop = asyncio.get_running_loop()
    recorder.reset()
    failures: list[str] = []
    completed = 0
    tasks: list[asyncio.Task[None]] = []
    JOURNEY_DEADLINE.set(float("inf"))

    async def one(n: int) -> None:
        nonlocal completed
        try:
            await journey(n)
            completed += 1
        except Exception as exc:
            failures.append(f"{type(exc).__name__}: {exc}")

    cpu0 = _cpu(bot)
    t0 = time.perf_counter()
    start = loop.time()
    n = 0
    while True:
        due = start + n / per_second
        if due >= start + seconds:
            break
        await asyncio.sleep(max(0.0, due - loop.time()))
        tasks.append(asyncio.create_task(one(first_id + n)))
        n += 1
    await asyncio.gather(*tasks)
    t1 = time.perf_counter()
    cpu = _cpu(bot) - cpu0
    return Phase(label, t1 - t0, recorder.window(t0, t1), completed, failures, cpu)


class _Deadline:
    """When the current closed-loop phase ends; journeys check it between steps."""

    def __init__(self) -> None:
        self.at = float("inf")

    def set(self, at: float) -> None:
        self.at = at

    def check(self) -> None:
        if asyncio.get_running_loop().time() >= self.at:
            raise Stop


JOURNEY_DEADLINE = _Deadline()


def fmt_ms(seconds: float) -> str:
    return "–" if seconds != seconds else f"{seconds * 1000:.1f}"

