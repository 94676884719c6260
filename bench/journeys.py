"""What one enterprise does, as a list of steps; and the echo loop the bare bots are held to.

A step is ``async def step(p: Player, user) -> None``; it plays the person through the
emulator and waits for every answer the person would wait for. Steps whose feature the bot
does not offer yet (found by asking for its command once, before the run) are skipped with
a note; steps whose feature exists but whose script is not written yet say so too.
"""

from __future__ import annotations

import asyncio
import functools
import random
import re
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from bench.load import JOURNEY_DEADLINE, ROOT, MeasuredEmulator
from bot.catalogue import load_catalogue
from bot.companies.credit_code import make_credit_code
from bot.texts import t
from frontdoor_emulator import Chat, ChatEvent, ChatMessage, User

# Every wait for an answer gives up after this long (a stuck bot fails the journey).
ANSWER_TIMEOUT = 30.0


@dataclass
class Player:
    """Plays people against one emulator and remembers what the run created."""

    emu: MeasuredEmulator
    staff: Chat | None = None  # the staff group, where officers act
    officers: list[User] = field(default_factory=list)
    lang: str = "zh"
    registered: dict[int, str] = field(default_factory=dict)  # user id → credit code
    station_of: dict[int, str] = field(default_factory=dict)  # user id → own station
    confirming: set[int] = field(default_factory=set)  # pressed "confirm" on a request
    submitted: dict[int, str] = field(default_factory=dict)  # user id → request reference
    replies: list[tuple[int, str]] = field(default_factory=list)  # (user id, officer's text)
    rated: dict[str, int] = field(default_factory=dict)  # reference → stars
    resolved: dict[int, ChatMessage] = field(default_factory=dict)  # asking for a rating
    booked: dict[int, str] = field(default_factory=dict)  # user id → booking reference
    seats_raced: int = 0  # confirmations that found the last seat just taken
    # Journeys that found every slot of their station full, by station.
    no_seat: Counter[str] = field(default_factory=Counter)
    answers: int = 0
    _cards: dict[str, ChatMessage] = field(default_factory=dict)
    _card_waiters: dict[str, asyncio.Future[ChatMessage]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.staff is not None:
            self.emu.subscribe(self._on_event)

    def new_user(self, n: int) -> User:
        return self.emu.add_user(f"Bench{n}", language_code="zh-hans")

    async def answer(self, user: User) -> ChatMessage:
        """The bot's next message or edit in the person's chat."""
        message = await self.emu.wait_for_message(user, timeout=ANSWER_TIMEOUT)
        self.answers += 1
        return message

    async def say(self, user: User, text: str, answers: int = 1) -> ChatMessage:
        return (await self.say_all(user, text, answers))[0]

    async def say_all(self, user: User, text: str, answers: int) -> list[ChatMessage]:
        JOURNEY_DEADLINE.check()
        self.emu.send_text(user, text)
        return await self._collect(user, answers)

    async def press(self, user: User, message: ChatMessage, data: str,
                    answers: int = 1) -> ChatMessage:
        return (await self.press_all(user, message, data, answers))[0]

    async def press_all(self, user: User, message: ChatMessage, data: str,
                        answers: int) -> list[ChatMessage]:
        """Press, and return every message or edit the bot answers with, in order."""
        JOURNEY_DEADLINE.check()
        self.emu.press(user, message, data)
        return await self._collect(user, answers, pressed=message)

    async def upload(self, user: User, filename: str, content: bytes,
                     mime_type: str) -> ChatMessage:
        JOURNEY_DEADLINE.check()
        self.emu.send_document(user, filename=filename, content=content, mime_type=mime_type)
        return (await self._collect(user, 1))[0]

    async def _collect(self, user: User, answers: int,
                       pressed: ChatMessage | None = None) -> list[ChatMessage]:
        """Wait for ``answers`` messages/edits; the pressed question marked with the answer
        chosen on it (its buttons gone) is not one of them."""
        got: list[ChatMessage] = []
        while len(got) < answers:
            answer = await self.answer(user)
            if pressed is not None and answer.message_id == pressed.message_id \
                    and not answer.buttons and CHOSEN in (answer.text or ""):
                continue
            got.append(answer)
        return got

    # -- the staff group ---------------------------------------------------------------------
    def _on_event(self, event: ChatEvent) -> None:
        message = event.message
        if (event.kind != "new" or not message.outgoing or self.staff is None
                or message.chat_id != self.staff.id):
            return
        reference = card_reference(message)
        if reference is None or reference in self._cards:
            return
        self._cards[reference] = message
        waiter = self._card_waiters.pop(reference, None)
        if waiter is not None and not waiter.done():
            waiter.set_result(message)

    async def card(self, reference: str) -> ChatMessage:
        """The request's card in the staff group, once the bot has posted it."""
        if reference in self._cards:
            return self._cards[reference]
        waiter = self._card_waiters.setdefault(
            reference, asyncio.get_running_loop().create_future())
        return await asyncio.wait_for(waiter, ANSWER_TIMEOUT)

    async def staff_press(self, officer: User, message: ChatMessage, data: str) -> None:
        """An officer presses a button in the group and waits for the bot's answer to it."""
        JOURNEY_DEADLINE.check()
        query = self.emu.press(officer, message, data)
        async with asyncio.timeout(ANSWER_TIMEOUT):
            await self.emu.press_answered(query)
        self.answers += 1

    async def staff_reply(self, officer: User, message: ChatMessage, text: str,
                          to: User) -> ChatMessage:
        """An officer replies to a request's message; the answer shows in ``to``'s chat."""
        JOURNEY_DEADLINE.check()
        assert self.staff is not None
        self.emu.send_text(officer, text, chat=self.staff, reply_to=message)
        self.emu.recorder.queued_in(to.id)
        self.replies.append((to.id, text))
        relayed = await self.emu.wait_for_message(to, lambda m: text in (m.text or ""),
                                                  timeout=ANSWER_TIMEOUT)
        self.answers += 1
        return relayed

    async def told(self, user: User, what: Callable[[ChatMessage], bool]) -> ChatMessage:
        """Wait for a message the bot sends the person unasked (a notice, a relayed reply)."""
        return await self.emu.wait_for_message(user, what, timeout=ANSWER_TIMEOUT)


@functools.cache
def weekly_seats() -> dict[str, int]:
    """Seats each station's windows offer in a week (from the catalogue the bench runs)."""
    cat = load_catalogue(ROOT / "catalogue.yaml")
    return {st.id: sum(w.seats * len(w.slot_starts()) for w in st.windows)
            for st in cat.stations}


REFERENCE = re.compile(r"\b[A-Z]{2,4}-\d{4}-\d{4}\b")
CARD_MARK = "📋 "


def card_reference(message: ChatMessage) -> str | None:
    """The request a staff-group message is the card of, or None for any other message."""
    text = message.text or ""
    if not text.startswith(CARD_MARK):
        return None
    found = REFERENCE.match(text, len(CARD_MARK))
    return found.group(0) if found else None


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
    # A typed number is acknowledged (the share-contact keyboard goes), then the station.
    _, stations = await p.say_all(user, "13800138000", 2)
    # Companies spread over the stations in proportion to their weekly seats, so that
    # bookings load every station's windows alike and none simply runs out first.
    choices = _values(stations, "station")
    weights = [weekly_seats().get(c.rsplit(":", 1)[1], 1) for c in choices]
    chosen = random.Random(n).choices(choices, weights)[0]
    summary = await p.press(user, stations, chosen)
    p.station_of[user.id] = chosen.rsplit(":", 1)[1]
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


# Where a form question is of a kind the bench answers by typing, what it types.
PDF = b"%PDF-1.4\n% a bench attachment\n%%EOF\n"


def _plain(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def _flow_step(message: ChatMessage, flow: str) -> str | None:
    """The step a flow message asks (``f:req~4:desc:cancel`` → ``desc``)."""
    for button in (message.inline_keyboard.buttons if message.inline_keyboard else []):
        data = button.callback_data or ""
        if data.startswith(f"f:{flow}~"):
            return data.split(":")[2]
    return None


# The line a pressed question gets when the answer moved on to a new message.
CHOSEN = t("zh", "chosen_answer", answer="").strip()


def _values(message: ChatMessage, step: str) -> list[str]:
    """The callback data of a step's answer buttons (not cancel or skip)."""
    return [b.callback_data for b in (message.inline_keyboard.buttons
                                      if message.inline_keyboard else [])
            if b.callback_data and f":{step}:" in b.callback_data
            and not b.callback_data.endswith((":cancel", ":_skip", ":back"))]


async def _answer_question(p: Player, user: User, question: ChatMessage, step: str,
                           n: int) -> ChatMessage:
    """Answer one form question the way its hint asks: a choice, a number, a date, text."""
    choices = _values(question, step)
    if choices:
        return await p.press(user, question, choices[n % len(choices)])
    text = question.text or ""
    if t(p.lang, "rq_hint_count") in text or t(p.lang, "rq_hint_amount") in text:
        return await p.say(user, str(1 + n % 50))
    if t(p.lang, "rq_hint_date") in text:
        return await p.say(user, (date.today() + timedelta(days=30 + n % 60)).isoformat())
    return await p.say(user, f"基准测试回答 {n}")


async def submit_request(p: Player, user: User, n: int) -> None:
    """Submit a request: a service (spread over the catalogue), its form, a description,
    one PDF, confirm; the confirmation names its reference."""
    categories = await p.say(user, "/new")
    cats = _values(categories, "category")
    services = await p.press(user, categories, cats[n % len(cats)])
    offered = _values(services, "service")
    # The intro replaces the list; the first question (or the description) follows.
    _, question = await p.press_all(user, services, offered[(n // len(cats)) % len(offered)], 2)
    step = _flow_step(question, "req")
    for _ in range(20):
        if step is None or not step.startswith("q"):
            break
        question = await _answer_question(p, user, question, step, n)
        step = _flow_step(question, "req")
    if step != "desc":
        raise AssertionError(f"no description asked: {(question.text or '')[:80]!r}")
    await p.say(user, f"基准测试需求 {n}：想了解办理流程和所需材料。")
    # The file is sent on the summary, which comes again with it attached.
    summary = await p.upload(user, f"材料{n}.pdf", PDF, "application/pdf")
    # Recorded once the press is certain: a journey the window stops stops before a press.
    JOURNEY_DEADLINE.check()
    p.confirming.add(user.id)
    done = await p.press(user, summary, inline_data(summary, "f:req", part=":confirm:ok"))
    found = REFERENCE.search(done.text or "")
    if found is None:
        raise AssertionError(f"request not confirmed: {(done.text or '')[:80]!r}")
    p.submitted[user.id] = found.group(0)


async def claim_reply_resolve(p: Player, user: User, n: int) -> None:
    """An officer claims the card in the staff group, replies on it (the enterprise gets
    the reply), and resolves it (the enterprise is asked for a rating)."""
    reference = p.submitted[user.id]
    officer = p.officers[n % len(p.officers)]
    card = await p.card(reference)
    await p.staff_press(officer, card, inline_data(card, "rq:c:"))
    await p.told(user, lambda m: reference in (m.text or "") and "受理" in (m.text or ""))
    text = f"请补充营业执照复印件（{reference}）"
    await p.staff_reply(officer, card, text, user)
    # The card shows the owner's buttons once the claim's edit is through.
    await p.emu.wait_until(lambda: any((b.callback_data or "").startswith("rq:r:")
                                       for b in card.buttons), timeout=ANSWER_TIMEOUT)
    await p.staff_press(officer, card, inline_data(card, "rq:r:"))
    p.resolved[user.id] = await p.told(user, lambda m: reference in (m.text or "") and any(
        (b.callback_data or "").startswith("rq:rt:") for b in m.buttons))


async def rate(p: Player, user: User, n: int) -> None:
    """The enterprise rates the resolved request 1–5 (好差评) and skips the comment."""
    reference = p.submitted[user.id]
    resolved = p.resolved.pop(user.id)
    stars = 1 + n % 5
    _, comment = await p.press_all(user, resolved, inline_data(
        resolved, "rq:rt:", part=f":{stars}"), 2)
    await p.press(user, comment, inline_data(comment, "f:rqrate", part=":skip"))
    p.rated[reference] = stars


async def book(p: Player, user: User, n: int) -> None:
    """Book a window slot at the company's own station, mostly the soonest one: usually the
    first day and the first slot with seats left, sometimes one a little later. Companies of
    one station booking at once race for the same last seats; as the early slots fill, the
    choices move on to later ones, so the run never simply runs out. A seat taken meanwhile
    is answered by the nearest free ones, and the first of them is taken."""
    rng = random.Random(n)
    # The company's own station comes preselected: /book answers with its days.
    days = await p.say(user, "/book")
    station = p.station_of.get(user.id, "?")
    full = t(p.lang, "bk_day_full")
    days_shown = _values(days, "day")
    open_days = [b.callback_data for b in days.buttons
                 if b.callback_data in days_shown and full not in b.text]
    if not open_days:
        p.no_seat[station] += 1
        await p.press(user, days, inline_data(days, "f:bk", part=":cancel"))
        return
    slots = await p.press(user, days, open_days[0] if rng.random() < 0.85
                          else rng.choice(open_days[:3]))
    free = [d for d in _values(slots, "slot") if d.rsplit(":", 1)[1].startswith("s")]
    if not free:  # the day filled up in between
        p.no_seat[station] += 1
        await p.press(user, slots, inline_data(slots, "f:bk", part=":cancel"))
        return
    # The slot leads to the summary; the topic is changed there now and then.
    summary = await p.press(user, slots, free[0] if rng.random() < 0.85
                            else rng.choice(free[:3]))
    if _flow_step(summary, "bk") == "topic":
        # This slot takes several kinds of visit: the topic is asked first.
        summary = await p.press(user, summary, rng.choice(_values(summary, "topic")))
    elif rng.random() < 0.3:
        topics = await p.press(user, summary, inline_data(summary, "f:bk", part=":confirm:topic"))
        summary = await p.press(user, topics, rng.choice(_values(topics, "topic")))
    confirmed = _plain(t(p.lang, "bk_confirmed"))
    taken = (_plain(t(p.lang, "bk_just_taken")), _plain(t(p.lang, "bk_just_taken_none")))
    for _ in range(5):
        answer = await p.press(user, summary, inline_data(summary, "f:bk", part=":confirm:ok"))
        if (answer.text or "").startswith(confirmed):
            await p.answer(user)  # the calendar file
            found = re.search(r"BK\d{6}", answer.text or "")
            p.booked[user.id] = found.group(0) if found else "?"
            return
        if not (answer.text or "").startswith(taken):
            raise AssertionError(f"booking refused: {(answer.text or '')[:80]!r}")
        p.seats_raced += 1
        alternatives = [d for d in _values(answer, "slot")
                        if d.rsplit(":", 1)[1].startswith("s")]
        if not alternatives:
            p.no_seat[station] += 1
            await p.press(user, answer, inline_data(answer, "f:bk", part=":cancel"))
            return
        summary = await p.press(user, answer, alternatives[0])
    raise AssertionError("no seat after five tries")


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
    StepSpec("submit_request", submit_request, "new"),
    StepSpec("claim_reply_resolve", claim_reply_resolve, "new"),
    StepSpec("rate", rate, "new"),
    StepSpec("book", book, "book"),
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
