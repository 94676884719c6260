"""What one enterprise does, as a list of steps; and the echo loop the bare bots are held to.

A step is ``async def step(p: Player, user) -> None``; it plays the person through the
emulator and waits for every answer the person would wait for. Steps whose feature the bot
does not offer yet (found by asking for its command once, before the run) are skipped with
a note; steps whose feature exists but whose script is not written yet say so too.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from bench.load import JOURNEY_DEADLINE
from bot.credit_code import make_credit_code
from bot.emulator import BotApiEmulator, ChatMessage, User
from bot.texts import t

# Every wait for an answer gives up after this long (a stuck bot fails the journey).
ANSWER_TIMEOUT = 30.0


class StepUnavailable(Exception):
    """The bot does not offer this step's feature."""


class StepNotWritten(Exception):
    """The bot offers the feature, but this benchmark has no script for it yet."""


@dataclass
class Player:
    """Plays people against one emulator and remembers what the run created."""

    emu: BotApiEmulator
    lang: str = "zh"
    registered: dict[int, str] = field(default_factory=dict)  # user id → credit code
    answers: int = 0

    def new_user(self, n: int) -> User:
        return self.emu.add_user(f"Bench{n}", language_code="zh-hans")

    async def answer(self, user: User) -> ChatMessage:
        """The bot's next message or edit in the person's chat."""
        message = await self.emu.wait_for_message(user, timeout=ANSWER_TIMEOUT)
        self.answers += 1
        return message

    async def say(self, user: User, text: str, answers: int = 1) -> ChatMessage:
        JOURNEY_DEADLINE.check()
        self.emu.send_text(user, text)
        return await self._collect(user, answers)

    async def press(self, user: User, message: ChatMessage, data: str,
                    answers: int = 1) -> ChatMessage:
        JOURNEY_DEADLINE.check()
        self.emu.press(user, message, data)
        return await self._collect(user, answers)

    async def _collect(self, user: User, answers: int) -> ChatMessage:
        """Wait for ``answers`` messages/edits; returns the first one."""
        first = await self.answer(user)
        for _ in range(answers - 1):
            await self.answer(user)
        return first


def credit_code(n: int) -> str:
    """A valid, distinct 统一社会信用代码 for bench company ``n``."""
    return make_credit_code(f"91310113{n:09d}")


def inline_data(message: ChatMessage, prefix: str, index: int = 0, *, part: str = "") -> str:
    """The callback data of the ``index``-th inline button whose data starts with ``prefix``
    (and holds ``part``: flow buttons carry a revision, ``f:onb~3:station:…``)."""
    markup = message.inline_keyboard
    found = [b.callback_data for b in (markup.buttons if markup else [])
             if b.callback_data and b.callback_data.startswith(prefix)
             and part in b.callback_data]
    if len(found) <= index:
        raise AssertionError(f"no {prefix!r} button on: {(message.text or '')[:80]!r}")
    return found[index]


# ---------------------------------------------------------------------------------------------
# the steps
# ---------------------------------------------------------------------------------------------
async def register(p: Player, user: User, n: int) -> None:
    """Register a company: the whole onboarding conversation to its confirmation."""
    code, name = credit_code(n), f"宝山基准测试企业{n}有限公司"
    await p.say(user, "/start", answers=2)  # welcome, then the first question
    await p.say(user, name)
    await p.say(user, code)
    await p.say(user, "王经理")
    stations = await p.say(user, "13800138000")
    summary = await p.press(user, stations, inline_data(stations, "f:onb", part=":station:"))
    confirm = inline_data(summary, "f:onb", part=":confirm:ok")
    done = await p.press(user, summary, confirm, answers=2)  # edit, then menu
    if name not in (done.text or ""):
        raise AssertionError(f"registration not confirmed: {(done.text or '')[:80]!r}")
    p.registered[user.id] = code


async def browse(p: Player, user: User, n: int) -> None:
    """Open the service list from the menu, a category, a service card, and back."""
    listing = await p.say(user, t(p.lang, "btn_services"))
    category = inline_data(listing, "c:", n % max(1, len(listing.buttons)))
    shown = await p.press(user, listing, category)
    await p.press(user, shown, inline_data(shown, "s:"))
    await p.press(user, shown, inline_data(shown, "c:"))


async def submit_request(p: Player, user: User, n: int) -> None:
    """Submit a request with an attachment (the requests feature)."""
    # Script this when the requests feature is merged: /new → pick a service → describe it
    # → attach a file (p.emu.send_document) → confirm; wait for the confirmation and let the
    # correctness check look for the request and its staff card.
    raise StepNotWritten("submit_request")


async def claim_reply_resolve(p: Player, user: User, n: int) -> None:
    """An officer claims the request in the staff group, replies, and resolves it."""
    raise StepNotWritten("claim_reply_resolve")


async def rate(p: Player, user: User, n: int) -> None:
    """The enterprise rates the resolved request (好差评)."""
    raise StepNotWritten("rate")


async def book(p: Player, user: User, n: int) -> None:
    """Book a window slot at the company's station (the booking feature)."""
    raise StepNotWritten("book")


Step = Callable[[Player, User, int], Awaitable[None]]


@dataclass(frozen=True)
class StepSpec:
    name: str
    fn: Step
    # The command whose absence means the bot does not offer this step yet (None: always).
    command: str | None = None
    # False until the step's conversation is scripted above.
    written: bool = True


STEPS: tuple[StepSpec, ...] = (
    StepSpec("register", register),
    StepSpec("browse", browse),
    # Enable each by scripting it and setting written=True once its feature is merged.
    StepSpec("submit_request", submit_request, "new", written=False),
    StepSpec("claim_reply_resolve", claim_reply_resolve, "new", written=False),
    StepSpec("rate", rate, "new", written=False),
    StepSpec("book", book, "book", written=False),
)


async def offered(p: Player, probe: User) -> dict[str, bool]:
    """Ask a registered probe user's bot for each step's command once: is it there?"""
    unknown = t(p.lang, "unknown_command")
    result: dict[str, bool] = {}
    for spec in STEPS:
        if spec.command is None:
            result[spec.name] = True
            continue
        answer = await p.say(probe, f"/{spec.command}")
        result[spec.name] = answer.text != unknown
        # A feature that answers with a conversation leaves it open: close it.
        if result[spec.name]:
            await p.say(probe, "/cancel", answers=1)
            p.emu.skip_unread(probe)
    return result


async def plan(p: Player, probe: User) -> tuple[list[StepSpec], list[str]]:
    """The steps this bot can be played through, and a note for each one skipped."""
    available = await offered(p, probe)
    steps: list[StepSpec] = []
    notes: list[str] = []
    for spec in STEPS:
        if not available[spec.name]:
            notes.append(f"skipped {spec.name}: the bot has no /{spec.command} yet")
            continue
        if not spec.written:
            notes.append(f"skipped {spec.name}: /{spec.command} exists; script the step "
                         "in bench/journeys.py")
            continue
        steps.append(spec)
    return steps, notes


def full_journey(p: Player, steps: list[StepSpec]) -> Callable[[int], Awaitable[None]]:
    """One new enterprise through every available step, in order."""

    async def journey(n: int) -> None:
        user = p.new_user(n)
        for spec in steps:
            await spec.fn(p, user, n)

    return journey


def echo_journey(p: Player, rounds: int = 11) -> Callable[[int], Awaitable[None]]:
    """One person sends ``rounds`` messages, each after the echo of the one before."""

    async def journey(n: int) -> None:
        user = p.new_user(n)
        for i in range(rounds):
            await p.say(user, f"消息 {n}-{i}")

    return journey
