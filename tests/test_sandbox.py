"""The sandbox server over HTTP: what the page asks and what it is told, without a browser."""

from __future__ import annotations

import asyncio
import json
import struct
import zlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.admin.reload import describe_reload
from bot.catalogue import load_catalogue
from bot.core.replies import XLSX
from bot.core.runtime import CatalogueHolder, Runtime
from bot.texts import t
from frontdoor_emulator.entities import parse_html
from frontdoor_sandbox import Sandbox
from frontdoor_sandbox.overlay import with_topics
from frontdoor_sandbox.sanitize import sanitize
from frontdoor_sandbox.server import SEED_CODE
from tests.harness import BETA_CODE, CATALOGUE, copy_catalogue, matches

START = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)  # Tuesday 09:00 in Shanghai


def shown_html(html: str) -> str:
    """What a chat shows of a message sent as ``html``: the text, without its tags."""
    return parse_html(html)[0]


def make_sandbox(tmp_path: Path, catalogue: Path | None = None, **kwargs: Any) -> Sandbox:
    return Sandbox(
        data_dir=tmp_path / "data", catalogue=catalogue or copy_catalogue(tmp_path), port=0,
        start_time=START, job_tick=0.05, catalogue_poll=0.05, **kwargs,
    )


@pytest.fixture
async def box(tmp_path: Path) -> AsyncIterator[Sandbox]:
    sandbox = make_sandbox(tmp_path)
    await sandbox.start()
    yield sandbox
    await sandbox.stop()


class Page:
    """What the web page does, as plain HTTP calls."""

    def __init__(self, box: Sandbox, http: aiohttp.ClientSession) -> None:
        self.box, self.http = box, http

    async def get(self, path: str, status: int = 200) -> Any:
        async with self.http.get(self.box.url + path) as response:
            assert response.status == status, await response.text()
            return await response.json()

    async def post(self, path: str, body: dict[str, Any], status: int = 200) -> Any:
        async with self.http.post(self.box.url + path, json=body) as response:
            assert response.status == status, await response.text()
            return await response.json()

    async def state(self) -> dict[str, Any]:
        result: dict[str, Any] = await self.get("/api/state")
        return result

    async def person(self, name: str) -> dict[str, Any]:
        people = (await self.state())["people"]
        return next(p for p in people if p["name"] == name)

    async def messages(self, person: dict[str, Any], chat_id: int | None = None,
                       thread_id: int | None = None) -> dict[str, Any]:
        query = f"?person={person['id']}" + (f"&thread_id={thread_id}" if thread_id else "")
        result: dict[str, Any] = await self.get(
            f"/api/chats/{chat_id or person['id']}/messages{query}")
        return result

    async def say(self, person: dict[str, Any], text: str, **extra: Any) -> dict[str, Any]:
        """Send text in the person's private chat; the bot's next new message to them."""
        await self.post("/api/send", {"person": person["id"], "text": text, **extra})
        message = await self.box.emu.next_message(person["id"], timeout=5)
        return self.box.message_view(message)

    async def press(self, person: dict[str, Any], message: dict[str, Any], label: str,
                    status: int = 200) -> Any:
        data = next(b["data"] for row in message["buttons"] for b in row if b["text"] == label)
        return await self.post("/api/press", {
            "person": person["id"], "chat_id": message["chat_id"], "message_id": message["id"],
            "data": data,
        }, status)


@pytest.fixture
async def page(box: Sandbox) -> AsyncIterator[Page]:
    async with aiohttp.ClientSession() as http:
        yield Page(box, http)


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 2, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00\x00\x00\xff")
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels)
            + chunk(b"IEND", b""))


# -- state -------------------------------------------------------------------------------
async def test_state_lists_enterprises_officers_and_admin_with_their_chats(page: Page) -> None:
    state = await page.state()
    roles = {p["name"]: p["role"] for p in state["people"]}
    assert roles["王经理"] == roles["刘助理"] == roles["陈总"] == "enterprise"
    assert roles["李科员"] == "officer"
    assert roles["Admin"] == "admin"
    officer = await page.person("李科员")
    private, staff = officer["chats"]
    assert private["kind"] == "private"
    assert staff["kind"] == "group"
    assert [t["name"] for t in staff["topics"]][:2] == ["北上海生物医药产业园", "上海超能新材料科创园"]
    enterprise = await page.person("王经理")
    assert [c["kind"] for c in enterprise["chats"]] == ["private"]
    assert state["bot"]["running"] is True
    assert state["clock"] == {"utc": START.isoformat(), "local": "2026-12-01 09:00",
                              "weekday": "Tue", "zone": "Asia/Shanghai"}


async def test_page_and_its_files_are_served_with_a_strict_content_policy(page: Page) -> None:
    for path, kind in (("/", "text/html"), ("/static/app.js", "text/javascript"),
                       ("/static/style.css", "text/css")):
        async with page.http.get(page.box.url + path) as response:
            assert response.status == 200
            assert response.content_type == kind
            assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    async with page.http.get(page.box.url + "/static/..%2Fserver.py") as response:
        assert response.status == 404


# -- talking and pressing ----------------------------------------------------------------
async def test_start_from_the_page_gets_the_bots_welcome_with_formatting(page: Page) -> None:
    chen = await page.person("陈总")
    welcome = await page.say(chen, "/start")
    assert "<b>企业服务直通站</b>" in welcome["html"]
    shown = (await page.messages(chen))["messages"]
    assert [m["sender"]["name"] for m in shown[:2]] == ["陈总", "Frontdoor"]
    assert shown[0]["html"] == "/start"


async def test_registration_through_the_page_edits_the_summary_in_place(page: Page) -> None:
    chen = await page.person("陈总")
    await page.say(chen, "/start")
    await page.box.emu.next_message(chen["id"])
    await page.say(chen, "上海新例科技有限公司")
    await page.say(chen, BETA_CODE)
    ask_phone = await page.say(chen, "陈总")
    keyboard = (await page.messages(chen))["keyboard"]
    assert keyboard["rows"][0][0]["contact"] is True, ask_phone
    await page.post("/api/contact", {"person": chen["id"],
                                     "label": keyboard["rows"][0][0]["text"]})
    ask_station = page.box.message_view(await page.box.emu.next_message(chen["id"], timeout=5))
    assert (await page.messages(chen))["keyboard"] is None  # one-time keyboard closed
    await page.press(chen, ask_station, "上海机器人产业园")
    # The station question keeps the answer chosen on it; the summary is a new message.
    summary = page.box.message_view(await page.box.emu.next_message(chen["id"], timeout=5))
    assert "13800138002" in summary["html"]
    answer = await page.press(chen, summary, t("zh", "btn_confirm"))
    assert answer == {"answer": {"text": None, "alert": False}}
    shown = {m["id"]: m for m in (await page.messages(chen))["messages"]}
    await page.box.emu.wait_until(
        lambda: page.box.emu.world.get_message(chen["id"], summary["id"]).history, timeout=5)
    shown = {m["id"]: m for m in (await page.messages(chen))["messages"]}
    assert matches("registered", shown[summary["id"]]["html"])
    assert shown[summary["id"]]["edited"] is True


async def test_a_forged_button_is_refused_like_telegram_would(page: Page) -> None:
    chen = await page.person("陈总")
    await page.say(chen, "/start")
    step = page.box.message_view(await page.box.emu.next_message(chen["id"], timeout=5))
    result = await page.post("/api/press", {
        "person": chen["id"], "chat_id": chen["id"], "message_id": step["id"],
        "data": "f:onb:confirm:ok"}, status=400)
    assert "no button" in result["error"]


async def test_nobody_reads_or_writes_someone_elses_chat(page: Page) -> None:
    chen, wang = await page.person("陈总"), await page.person("王经理")
    officer = await page.person("李科员")
    staff_id = officer["chats"][1]["id"]
    await page.get(f"/api/chats/{wang['id']}/messages?person={chen['id']}", status=400)
    await page.post("/api/send", {"person": chen["id"], "chat_id": wang["id"], "text": "hi"},
                    status=400)
    await page.post("/api/send", {"person": chen["id"], "chat_id": staff_id, "text": "hi"},
                    status=400)
    await page.post("/api/send", {"person": 1, "text": "hi"}, status=400)
    await page.post("/api/send", {"person": chen["id"], "text": "x" * 4097}, status=400)


async def test_an_officer_replies_in_a_topic_and_the_staff_see_it_live(page: Page) -> None:
    officer, admin = await page.person("李科员"), await page.person("Admin")
    staff = officer["chats"][1]
    topic = staff["topics"][2]
    async with page.http.get(page.box.url + "/events") as stream:
        await stream.content.readuntil(b"\n\n")  # the retry hint: subscribed
        first = await page.post("/api/send", {"person": officer["id"], "chat_id": staff["id"],
                                              "thread_id": topic["thread_id"], "text": "早上好"})
        await page.post("/api/send", {
            "person": officer["id"], "chat_id": staff["id"], "text": "收到",
            "reply_to": first["message"]["id"]})
        events = []
        while len(events) < 2:
            line = (await asyncio.wait_for(stream.content.readuntil(b"\n\n"), 5)).decode()
            if line.startswith("data: "):
                events.append(json.loads(line[6:]))
    assert [e["message"]["html"] for e in events] == ["早上好", "收到"]
    assert events[0]["thread_id"] == topic["thread_id"]
    assert events[1]["message"]["reply_to"]["snippet"] == "早上好"
    in_topic = await page.messages(admin, staff["id"], topic["thread_id"])
    assert [m["html"] for m in in_topic["messages"] if not m.get("service")] == ["早上好", "收到"]
    general = await page.messages(admin, staff["id"])
    assert all(m.get("thread_id") is None for m in general["messages"])


# -- files -------------------------------------------------------------------------------
async def test_the_admin_downloads_a_report_and_a_poster_from_the_page(
    page: Page, chinese_font: None,
) -> None:
    admin = await page.person("Admin")
    emu = page.box.emu

    async def download(view: dict[str, Any]) -> tuple[str, bytes]:
        async with page.http.get(page.box.url + view["url"]) as got:
            assert got.status == 200
            return got.content_type, await got.read()

    headline = await page.say(admin, "/report")
    assert matches("rp_title", shown_html(headline["html"]), "en")  # the admin reads English
    chart = page.box.message_view(await emu.next_message(admin["id"], lambda m: m.photo is not None,
                                                         timeout=20))
    kind, content = await download(chart["photo"])
    assert (kind, content[:4]) == ("image/png", b"\x89PNG")
    sheet = page.box.message_view(await emu.next_message(admin["id"], lambda m: m.document is not None,
                                                         timeout=20))
    assert sheet["document"]["name"].endswith(".xlsx")
    kind, content = await download(sheet["document"])
    assert kind == XLSX
    assert content.startswith(b"PK")  # a zip, as every .xlsx is

    await page.post("/api/send", {"person": admin["id"], "text": "/poster 机器人"})
    poster = page.box.message_view(await emu.wait_for_message(
        admin["id"], lambda m: (m.document is not None
                                and (m.document.filename or "").endswith(".pdf")), timeout=20))
    kind, content = await download(poster["document"])
    assert (kind, content[:5]) == ("application/pdf", b"%PDF-")


async def test_a_file_from_disk_reaches_the_chat_and_downloads_as_a_file(page: Page) -> None:
    wang = await page.person("王经理")
    form = aiohttp.FormData()
    form.add_field("person", str(wang["id"]))
    form.add_field("caption", "营业执照")
    form.add_field("file", b"<script>alert(1)</script>", filename="licence.html",
                   content_type="text/html")
    async with page.http.post(page.box.url + "/api/upload", data=form) as response:
        assert response.status == 200, await response.text()
        sent = (await response.json())["message"]
    assert sent["document"]["name"] == "licence.html"
    assert sent["html"] == "营业执照"
    async with page.http.get(page.box.url + sent["document"]["url"]) as download:
        assert await download.read() == b"<script>alert(1)</script>"
        assert download.headers["Content-Disposition"].startswith("attachment;")


async def test_a_picture_sent_as_photo_is_shown_as_an_image(page: Page) -> None:
    wang = await page.person("王经理")
    form = aiohttp.FormData()
    form.add_field("person", str(wang["id"]))
    form.add_field("as_photo", "1")
    form.add_field("file", tiny_png(), filename="p.png", content_type="image/png")
    async with page.http.post(page.box.url + "/api/upload", data=form) as response:
        sent = (await response.json())["message"]
    assert sent["photo"]["width"] == 2
    async with page.http.get(page.box.url + sent["photo"]["url"]) as image:
        assert image.content_type == "image/png"


async def test_an_upload_without_a_file_is_refused(page: Page) -> None:
    wang = await page.person("王经理")
    form = aiohttp.FormData()
    form.add_field("person", str(wang["id"]))
    async with page.http.post(page.box.url + "/api/upload", data=form) as response:
        assert response.status == 400


# -- people and the clock ----------------------------------------------------------------
async def test_a_new_officer_joins_the_staff_group(page: Page) -> None:
    added = (await page.post("/api/people", {"name": "  周 科员 ", "role": "officer"}))["person"]
    assert added["name"] == "周 科员"
    assert [c["kind"] for c in added["chats"]] == ["private", "group"]
    await page.post("/api/people", {"name": "", "role": "officer"}, status=400)
    await page.post("/api/people", {"name": "Eve", "role": "admin"}, status=400)


async def test_moving_the_clock_wakes_the_background_jobs(page: Page) -> None:
    seen: list[datetime] = []

    async def job(rt: Runtime) -> None:
        seen.append(rt.clock.now())

    assert page.box.rt is not None
    page.box.rt.features.jobs.append(job)
    try:
        moved = (await page.post("/api/clock", {"action": "morning"}))["clock"]
        assert moved["local"] == "2026-12-02 08:00"
        await page.box.emu.wait_until(lambda: seen and seen[-1] == page.box.clock.now(),
                                      timeout=2)
        assert (await page.post("/api/clock", {"action": "hour"}))["clock"]["local"] == (
            "2026-12-02 09:00")
        assert (await page.post("/api/clock", {"action": "day"}))["clock"]["local"] == (
            "2026-12-03 09:00")
        await page.post("/api/clock", {"action": "back"}, status=400)
    finally:
        page.box.rt.features.jobs.remove(job)


# -- catalogue preview and reset ---------------------------------------------------------
async def test_an_invalid_catalogue_is_explained_and_the_bot_waits_for_a_fix(
    tmp_path: Path,
) -> None:
    broken = tmp_path / "edited.yaml"
    text = CATALOGUE.read_text(encoding="utf-8")
    broken.write_text(text.replace("slot_minutes: 30, seats: 2}", "slot_minutes: 7, seats: 2}",
                                   1), encoding="utf-8")
    box = make_sandbox(tmp_path, catalogue=broken)
    await box.start()
    try:
        async with aiohttp.ClientSession() as http:
            page = Page(box, http)
            state = await page.state()
            assert state["bot"]["running"] is False
            assert state["catalogue"]["ok"] is False
            assert any(e.startswith(f"{broken}:") and "slot_minutes" in e
                       for e in state["catalogue"]["errors"]), state["catalogue"]["errors"]
            async with http.get(box.url + "/") as index:
                assert index.status == 200
            broken.write_text(text, encoding="utf-8")
            await box.emu.wait_until(lambda: box.bot_running, timeout=5)
            assert (await page.state())["catalogue"]["errors"] == []
    finally:
        await box.stop()


async def test_an_admin_reloading_a_broken_catalogue_is_told_what_frontdoor_run_says(
    page: Page,
) -> None:
    box = page.box
    admin = await page.person("Admin")
    path = box.catalogue_path
    path.write_text(path.read_text(encoding="utf-8").replace(
        "slot_minutes: 30, seats: 2}", "slot_minutes: 7, seats: 2}", 1), encoding="utf-8")
    # What the bot says to /reload in a normal run over the same file.
    expected = describe_reload(CatalogueHolder(path, load_catalogue(CATALOGUE)).reload(), "en")
    assert f"{path}:" in expected
    assert "slot_minutes" in expected
    await page.post("/api/send", {"person": admin["id"], "text": "/reload"})
    said = await box.emu.next_message(admin["id"], lambda m: m.text == shown_html(expected),
                                      timeout=5)
    assert box.message_view(said)["html"] == sanitize(expected)


async def test_the_bot_sees_the_sandbox_topics_in_its_catalogue(box: Sandbox) -> None:
    assert box.rt is not None
    topics = {s.id: s.topic_id for s in box.rt.cat.stations}
    assert topics == box.topics
    assert box.rt.settings.database_url.endswith("data/sandbox.db")


async def test_people_and_companies_survive_a_restart_and_reset_forgets_them(
    tmp_path: Path,
) -> None:
    catalogue = copy_catalogue(tmp_path)
    box = make_sandbox(tmp_path, catalogue)
    await box.start()
    async with aiohttp.ClientSession() as http:
        page = Page(box, http)
        await page.post("/api/people", {"name": "周科员", "role": "officer"})
        liu = await page.person("刘助理")
        await page.say(liu, "/start")
        await box.emu.next_message(liu["id"])
        await page.say(liu, "上海示例机器人有限公司")
        join = await page.say(liu, SEED_CODE)
        assert "上海示例机器人有限公司" in join["html"]
    await box.stop()

    again = make_sandbox(tmp_path, catalogue)
    await again.start()
    async with aiohttp.ClientSession() as http:
        page = Page(again, http)
        assert "周科员" in [p["name"] for p in (await page.state())["people"]]
        welcome = await page.say(await page.person("王经理"), "/start")
        assert matches("welcome_back", welcome["html"])
    await again.stop()

    fresh = make_sandbox(tmp_path, catalogue, reset=True)
    await fresh.start()
    async with aiohttp.ClientSession() as http:
        page = Page(fresh, http)
        assert "周科员" not in [p["name"] for p in (await page.state())["people"]]
        welcome = await page.say(await page.person("刘助理"), "/start")
        assert "欢迎回来" not in welcome["html"]
    await fresh.stop()


async def ask_for_a_standard(page: Page, person: dict[str, Any], description: str
                             ) -> dict[str, Any]:
    """The person submits a standards look-up (a service without questions); the receipt."""
    box, emu = page.box, page.box.emu
    screen = await page.say(person, "/new")
    await page.press(person, screen, "标准化提升")
    screen = box.message_view(await emu.wait_for_message(
        person["id"], lambda m: any("标准信息查询" in b.text for row in m.markup.rows
                                    for b in row) if m.markup else False, timeout=5))
    await page.press(person, screen, "标准信息查询")
    await emu.next_message(person["id"], lambda m: "描述" in m.text, timeout=5)
    await page.post("/api/send", {"person": person["id"], "text": description})
    summary = box.message_view(await emu.wait_for_message(
        person["id"], lambda m: matches("rq_summary", m.text), timeout=5))
    await page.press(person, summary, t("zh", "btn_confirm"))
    return box.message_view(await emu.wait_for_message(
        person["id"], lambda m: matches("rq_submitted", m.text), timeout=5))


async def test_after_a_restart_a_claim_and_a_reply_reach_the_right_request(
    tmp_path: Path,
) -> None:
    """The bot's database keeps message ids from the last run: new messages never reuse one."""
    catalogue = copy_catalogue(tmp_path)
    first = make_sandbox(tmp_path, catalogue)
    await first.start()
    async with aiohttp.ClientSession() as http:
        page = Page(first, http)
        before = await ask_for_a_standard(page, await page.person("王经理"), "查询机器人安全标准")
        assert "RP-2612-0001" in before["html"]
        await first.emu.next_message(first.staff, lambda m: "RP-2612-0001" in m.text,
                                     thread_id=first.topics["robot-park"], timeout=5)
    await first.stop()

    box = make_sandbox(tmp_path, catalogue)
    await box.start()
    try:
        async with aiohttp.ClientSession() as http:
            page = Page(box, http)
            wang, officer = await page.person("王经理"), await page.person("李科员")
            assert box.staff is not None
            staff, topic = box.staff.id, box.topics["robot-park"]
            receipt = await ask_for_a_standard(page, wang, "查询协作机器人国家标准")
            assert "RP-2612-0002" in receipt["html"]
            card = await box.emu.next_message(staff, lambda m: "RP-2612-0002" in m.text,
                                              thread_id=topic, timeout=5)

            # The officer claims yesterday's request from /queue: its card is not in this
            # run's chat, and nothing shown here may turn into it.
            await page.post("/api/send", {"person": officer["id"], "chat_id": staff,
                                          "thread_id": topic, "text": "/queue"})
            queue = box.message_view(await box.emu.next_message(
                staff, lambda m: matches("queue_title", m.text), thread_id=topic, timeout=5))
            await page.press(officer, queue, t("zh", "btn_claim_ref", reference="RP-2612-0001"))
            await box.emu.next_message(staff, lambda m: matches("claimed_group", m.text)
                                       and "RP-2612-0001" in m.text, thread_id=topic, timeout=5)
            assert "RP-2612-0002" in card.text
            assert "RP-2612-0001" not in card.text
            assert card.history == []

            # The company replies to today's receipt: it reaches today's request.
            await page.post("/api/send", {"person": wang["id"], "text": "标准号是多少？",
                                          "reply_to": receipt["id"]})
            relayed = await box.emu.next_message(staff, lambda m: "标准号是多少" in m.text,
                                                 thread_id=topic, timeout=5)
            assert "RP-2612-0002" in relayed.text
            assert "RP-2612-0001" not in relayed.text
    finally:
        await box.stop()


# -- pieces ------------------------------------------------------------------------------
@pytest.mark.parametrize(("html", "shown"), [
    ("<b>办理</b> &amp; <i>x</i>", "<b>办理</b> &amp; <i>x</i>"),
    ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
    ('<a href="javascript:alert(1)">x</a>', "&lt;a href=&quot;javascript:alert(1)&quot;&gt;x&lt;/a&gt;"),
    ('<b onclick="steal()">b</b>', "<b>b</b>"),
    ("<b>open <i>x", "<b>open <i>x</i></b>"),
    ('<span class="tg-spoiler">s</span>', '<span class="tg-spoiler">s</span>'),
])
def test_only_telegrams_tags_survive_sanitising(html: str, shown: str) -> None:
    assert sanitize(html) == shown


def test_a_link_keeps_its_address_and_opens_elsewhere() -> None:
    assert sanitize('<a href="https://example.org/a?b=1&amp;c=2">x</a>') == (
        '<a href="https://example.org/a?b=1&amp;c=2" target="_blank" '
        'rel="noopener noreferrer nofollow">x</a>')


def test_the_sandbox_puts_stations_in_its_topics_and_changes_nothing_else() -> None:
    cat = load_catalogue(CATALOGUE)
    placed = with_topics(cat, {"bio-park": 2, "bureau": 6})
    assert {s.id: s.topic_id for s in placed.stations} == {
        s.id: {"bio-park": 2, "bureau": 6}.get(s.id) for s in cat.stations}
    bureau = placed.station("bureau")
    assert bureau is not None
    assert bureau.topic_id == 6
    assert (placed.source, placed.digest, placed.services) == (cat.source, cat.digest,
                                                                cat.services)


async def test_the_seeded_company_books_a_visit_and_downloads_its_calendar_file(
    page: Page,
) -> None:
    wang = await page.person("王经理")
    emu = page.box.emu
    screen = await page.say(wang, "/book")
    for _ in range(2):  # the first day at the company's own station, its first slot
        await page.press(wang, screen, screen["buttons"][0][0]["text"])
        screen = page.box.message_view(await emu.wait_for_message(wang["id"], timeout=5))
    await page.press(wang, screen, t("zh", "btn_confirm"))
    calendar = page.box.message_view(await emu.next_message(wang["id"], timeout=5))
    assert calendar["document"]["name"].endswith(".ics")
    async with page.http.get(page.box.url + calendar["document"]["url"]) as download:
        assert download.content_type == "text/calendar"
        assert (await download.read()).startswith(b"BEGIN:VCALENDAR")


# -- the whole journey -------------------------------------------------------------------
async def register_newcomer(page: Page, person: dict[str, Any], company: str) -> None:
    """The newcomer registers a company at the robot park, tapping and pressing like a person."""
    emu = page.box.emu
    await page.say(person, "/start")
    await emu.next_message(person["id"], timeout=5)  # the welcome, then the first question
    await page.say(person, company)
    await page.say(person, BETA_CODE)
    await page.say(person, person["name"])
    label = (await page.messages(person))["keyboard"]["rows"][0][0]["text"]
    await page.post("/api/contact", {"person": person["id"], "label": label})
    ask_station = page.box.message_view(await emu.next_message(person["id"], timeout=5))
    await page.press(person, ask_station, "上海机器人产业园")
    summary = page.box.message_view(await emu.wait_for_message(
        person["id"], lambda m: matches("profile_summary", m.text), timeout=5))
    await page.press(person, summary, t("zh", "btn_confirm"))
    await emu.wait_for_edit(emu.world.get_message(person["id"], summary["id"]),
                            lambda m: matches("registered", m.text), timeout=5)
    menu = await emu.next_message(person["id"], timeout=5)  # the main menu keyboard
    assert menu.markup is not None
    assert not menu.markup.is_inline


async def test_the_people_list_says_who_registered_which_company(page: Page) -> None:
    chen = await page.person("陈总")
    assert chen["note"] == "新企业：发送 /start 登记"
    assert (await page.person("王经理"))["note"] == "已登记：上海示例机器人有限公司"
    await register_newcomer(page, chen, "上海新例科技有限公司")
    assert (await page.person("陈总"))["note"] == "已登记：上海新例科技有限公司"


async def test_a_new_company_asks_for_help_and_an_officer_answers_it_through_the_page(
    page: Page,
) -> None:
    """Register, submit with a file, claim, reply, resolve, rate: both sides, no browser."""
    box, emu = page.box, page.box.emu
    chen, officer = await page.person("陈总"), await page.person("李科员")
    staff = officer["chats"][1]
    topic = box.topics["robot-park"]
    await register_newcomer(page, chen, "上海新例科技有限公司")

    # The enterprise: /new, category, service, the service's questions, a description.
    screen = await page.say(chen, "/new")
    await page.press(chen, screen, "知识产权保护及利用")
    screen = box.message_view(await emu.next_message(chen["id"], timeout=5))
    await page.press(chen, screen, "知识产权质押融资")
    screen = box.message_view(await emu.next_message(
        chen["id"], lambda m: "几件" in m.text, timeout=5))
    screen = await page.say(chen, "2")
    await page.press(chen, screen, t("zh", "btn_skip"))  # the amount is optional
    screen = box.message_view(await emu.next_message(chen["id"], timeout=5))
    await page.press(chen, screen, "还没有，希望推荐")
    screen = box.message_view(await emu.next_message(chen["id"], timeout=5))
    assert "描述" in screen["html"]
    await page.say(chen, "想用两件发明专利质押贷款")
    form = aiohttp.FormData(quote_fields=False)  # a browser sends the name as UTF-8
    form.add_field("person", str(chen["id"]))
    form.add_field("file", "专利,状态\nZL1,有效\n".encode(), filename="专利清单.csv",
                   content_type="text/csv")
    async with page.http.post(box.url + "/api/upload", data=form) as response:
        assert response.status == 200, await response.text()
    # The file goes on the summary: no step of its own.
    summary = box.message_view(await emu.next_message(chen["id"], timeout=5))
    assert "第 1 个附件" in summary["html"]
    assert "专利清单.csv" in summary["html"]
    await page.press(chen, summary, t("zh", "btn_confirm"))
    done = box.message_view(await emu.wait_for_message(
        chen["id"], lambda m: matches("rq_submitted", m.text), timeout=5))
    assert done["id"] == summary["id"]  # the summary becomes the receipt
    reference = "RP-2612-0001"  # robot park, December 2026 in Shanghai, the first
    assert reference in done["html"]

    # The officer: the card in the station's topic, with the file under it; claim it.
    card = await emu.next_message(staff["id"], lambda m: reference in m.content
                                  and m.inline_keyboard is not None, thread_id=topic, timeout=5)
    attachment = await emu.next_message(staff["id"], lambda m: m.document is not None,
                                        thread_id=topic, timeout=5)
    assert attachment.document is not None
    assert attachment.document.filename == "专利清单.csv"
    shown = {m["id"]: m for m in (await page.messages(officer, staff["id"], topic))["messages"]}
    assert "上海新例科技有限公司" in shown[card.message_id]["html"]
    answer = await page.press(officer, box.message_view(card), t("zh", "btn_claim"))
    assert matches("claim_won", answer["answer"]["text"])
    await emu.wait_for_edit(card, lambda m: matches("card_state_owner", m.text), timeout=5)
    assert "李科员" in box.message_view(card)["html"]
    claimed = box.message_view(await emu.next_message(chen["id"], timeout=5))
    assert "李科员" in claimed["html"]

    # The officer replies to the card; the enterprise reads it labelled with the reference.
    await page.post("/api/send", {
        "person": officer["id"], "chat_id": staff["id"], "thread_id": topic,
        "text": "请带上专利证书原件，周三下午来站里面谈", "reply_to": card.message_id})
    relayed = box.message_view(await emu.next_message(chen["id"], timeout=5))
    assert reference in relayed["html"]
    assert "专员李科员" in relayed["html"]
    assert "请带上专利证书原件" in relayed["html"]
    # The officer's own message shows that it arrived: the bot's 👌 on it.
    own = next(m for m in reversed(emu.transcript(staff["id"])) if not m.outgoing
               and "请带上专利证书原件" in (m.text or ""))
    await emu.wait_until(lambda: own.reactions == ["👌"], timeout=5)
    assert box.message_view(own)["reactions"] == ["👌"]
    await page.post("/api/send", {"person": chen["id"], "text": "好的，周三下午两点到。",
                                  "reply_to": relayed["id"]})
    answered = await emu.next_message(staff["id"], lambda m: "周三下午两点到" in m.text,
                                      thread_id=topic, timeout=5)
    assert f"{reference} · 上海新例科技有限公司（陈总）" in answered.text
    passed_on = box.message_view(await emu.next_message(chen["id"], timeout=5))
    assert "已转给专员李科员" in passed_on["html"]

    # Resolved: the enterprise is asked to rate, rates, and the staff see the rating.
    await page.press(officer, box.message_view(card), t("zh", "btn_resolve"))
    prompt = box.message_view(await emu.next_message(chen["id"], timeout=5))
    assert matches("rq_status_resolved", prompt["html"])
    await page.press(chen, prompt, t("zh", "rating_5"))
    await emu.next_message(staff["id"], lambda m: matches("rated_group", m.text), thread_id=topic,
                           timeout=5)
    shown_to_chen = [m["html"] for m in (await page.messages(chen))["messages"]]
    assert any(matches("rq_rated", html) for html in shown_to_chen)


# -- only the page itself may drive the sandbox -----------------------------------------------
async def test_another_host_name_is_refused(page: Page) -> None:
    """DNS rebinding: a foreign name that resolves to 127.0.0.1 carries its own Host."""
    alice = await page.person("王经理")
    async with page.http.post(page.box.url + "/api/send",
                              json={"person": alice["id"], "text": "/start"},
                              headers={"Host": "evil.example"}) as response:
        assert response.status == 403
    async with page.http.get(page.box.url + "/api/state",
                             headers={"Host": "evil.example:8080"}) as response:
        assert response.status == 403
    assert (await page.messages(alice))["messages"] == []


async def test_a_cross_site_post_is_refused(page: Page) -> None:
    alice = await page.person("王经理")
    async with page.http.post(page.box.url + "/api/send",
                              json={"person": alice["id"], "text": "/start"},
                              headers={"Origin": "http://evil.example"}) as response:
        assert response.status == 403
    # A form can post text/plain across sites without asking first: refused as well.
    async with page.http.post(page.box.url + "/api/people",
                              data='{"name": "Eve", "role": "officer"}',
                              headers={"Content-Type": "text/plain"}) as response:
        assert response.status == 415
    assert all(p["name"] != "Eve" for p in (await page.state())["people"])
    assert (await page.messages(alice))["messages"] == []
