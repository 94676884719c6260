"""Events in the sandbox: the seeded company signs up for a sample event from the page, and an
officer opens its pass's link (what scanning the QR code does) on the event's day."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import pytest

from bot.texts import t
from frontdoor_emulator.entities import parse_html
from frontdoor_sandbox import Sandbox
from tests.harness import matches
from tests.test_sandbox import Page, make_sandbox

LINK = re.compile(r"https://t\.me/\w+\?start=ev-[A-Za-z0-9_-]+")
# The shipped sample briefing: 18 March 2027, 14:00 in Shanghai.
BRIEFING = "知识产权质押融资政策宣贯会"


@pytest.fixture
async def events_page(tmp_path: Path) -> AsyncIterator[Page]:
    box: Sandbox = make_sandbox(tmp_path)
    await box.start()
    async with aiohttp.ClientSession() as http:
        yield Page(box, http)
    await box.stop()


async def test_a_pass_link_opened_from_the_page_checks_the_company_in_on_the_day(
        events_page: Page) -> None:
    page = events_page
    emu = page.box.emu
    wang = await page.person("王经理")
    listing = await page.say(wang, "/events")
    assert matches("ev_list", parse_html(listing["html"])[0]), listing["html"]
    label = next(b["text"] for row in listing["buttons"] for b in row if BRIEFING in b["text"])
    await page.press(wang, listing, label)
    card = page.box.message_view(await emu.wait_for_message(
        wang["id"], lambda m: matches("ev_details", m.text), timeout=5))
    await page.press(wang, card, t("zh", "ev_btn_sign_up"))
    await emu.next_message(wang["id"], lambda m: matches("ev_ask_names", m.text), timeout=5)
    done = await page.say(wang, "王经理")
    assert matches("ev_confirmed", parse_html(done["html"])[0]), done["html"]
    qr = await emu.next_message(wang["id"], lambda m: m.photo is not None, timeout=5)
    found = LINK.search(qr.caption or "")
    assert found is not None, qr.caption
    link = found.group(0)

    officer = next(p for p in (await page.state())["people"] if p["role"] == "officer")
    await page.post("/api/open", {"person": officer["id"], "link": link})
    early = await emu.next_message(officer["id"], timeout=5)
    assert matches("ev_scan_wrong_day", early.text), early.text

    page.box.clock.set(datetime(2027, 3, 18, 5, 45, tzinfo=UTC))  # 13:45 on the day
    await page.post("/api/open", {"person": officer["id"], "link": link})
    checked = await emu.next_message(officer["id"], timeout=5)
    assert matches("ev_checked_in", checked.text), checked.text
    told = await emu.next_message(
        wang["id"], lambda m: matches("ev_checked_in_company", m.text), timeout=5)
    assert BRIEFING in told.text


async def test_only_links_into_the_sandbox_bot_are_opened(events_page: Page) -> None:
    page = events_page
    wang = await page.person("王经理")
    for link in ("https://t.me/some_other_bot?start=ev-abc", "https://example.com/?start=x",
                 "https://t.me/frontdoor_sandbox_bot?start=<script>", ""):
        await page.post("/api/open", {"person": wang["id"], "link": link}, status=400)
    await page.post("/api/open", {"person": 424242, "link": "https://t.me/x?start=y"},
                    status=400)
