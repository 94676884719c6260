"""The sandbox page in a real browser (headless Chromium): a person's journey, clicked through.

Skipped only where no browser is installed: Debian's ``chromium`` package and Playwright's
Python client (``pip install -e ".[browser]"``).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.sandbox import Sandbox
from tests.harness import BETA_CODE, ROOT, copy_catalogue

CHROMIUM = Path(os.environ.get("FRONTDOOR_TEST_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
ARTIFACTS = ROOT / "test-artifacts"

try:
    from playwright.async_api import Page, async_playwright, expect
except ImportError:  # pragma: no cover - depends on the machine
    pytest.skip("browser tests need Playwright: pip install -e '.[browser]'",
                allow_module_level=True)
if not CHROMIUM.exists():  # pragma: no cover - depends on the machine
    pytest.skip(f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium, "
                "or set FRONTDOOR_TEST_CHROMIUM)", allow_module_level=True)


class Client:
    """One browser tab of the sandbox page, acting as one person at a time."""

    def __init__(self, page: Page) -> None:
        self.page = page

    @property
    def pane(self) -> Any:
        return self.page.locator("#messages")

    async def open_chat(self, person: str, chat: str = "Frontdoor") -> None:
        await self.page.locator(f'li.person[data-name="{person}"]').click()
        await self.page.locator(f'li.chat[data-title="{chat}"]').click()
        await expect(self.page.locator("#pane-title")).to_have_text(chat)

    async def type(self, text: str) -> None:
        await self.page.locator("#text").fill(text)
        await self.page.locator("#text").press("Enter")

    async def press(self, label: str) -> None:
        """Press an inline button under the latest message that has one with this label."""
        await self.pane.locator(".kb-btn").filter(has_text=label).last.click()

    async def tap(self, label: str) -> None:
        """Tap a button of the reply keyboard under the composer."""
        await self.page.locator("#keyboard .reply-key").filter(has_text=label).click()

    def bubble(self, text: str) -> Any:
        return self.pane.locator(".msg").filter(has_text=text).last

    async def wait_for_text(self, text: str) -> None:
        await expect(self.bubble(text)).to_be_visible()

    async def reply_to(self, text: str) -> None:
        bubble = self.bubble(text)
        await bubble.hover()
        await bubble.locator(".reply-btn").click()
        await expect(self.page.locator("#reply-bar")).to_be_visible()

    async def screenshot(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        await self.page.screenshot(path=ARTIFACTS / name, full_page=True)


@pytest.fixture
async def box(tmp_path: Path) -> AsyncIterator[Sandbox]:
    sandbox = Sandbox(
        data_dir=tmp_path / "data", catalogue=copy_catalogue(tmp_path), port=0,
        start_time=datetime(2026, 12, 1, 1, 0, tzinfo=UTC), job_tick=0.05,
    )
    await sandbox.start()
    yield sandbox
    await sandbox.stop()


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        await chromium.close()


async def tab(browser: Any, box: Sandbox) -> Client:
    page = await browser.new_page(viewport={"width": 1280, "height": 820})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_default_timeout(5000)
    await page.goto(box.url)
    await expect(page.locator("li.person").first).to_be_visible()
    # The page listens to live events before anything happens.
    await expect(page.locator("body[data-live='1']")).to_be_attached()
    client = Client(page)
    client.errors = errors  # type: ignore[attr-defined]
    return client


async def test_a_newcomer_registers_a_company_and_browses_the_catalogue_in_the_page(
    box: Sandbox, browser: Any,
) -> None:
    me = await tab(browser, box)
    await me.open_chat("陈总")
    await me.type("/start")
    await me.wait_for_text("企业全称")
    await me.type("上海新例科技有限公司")
    await me.wait_for_text("统一社会信用代码")
    await me.type(BETA_CODE)
    await me.wait_for_text("联系人姓名")
    await me.type("陈总")
    await me.wait_for_text("联系电话")
    await me.tap("📱 分享我的号码")
    await me.wait_for_text("园区服务站")
    await expect(me.page.locator("#keyboard")).to_be_hidden()  # one-time keyboard closed
    await me.press("上海机器人产业园")
    await me.wait_for_text("请确认企业信息")
    await me.press("✅ 确认")
    await me.wait_for_text("登记完成")
    # The confirmation replaced the summary in place, like an edit on Telegram.
    await expect(me.bubble("登记完成").locator(".edited")).to_be_visible()
    await expect(me.pane.locator(".msg").filter(has_text="请确认企业信息")).to_have_count(0)

    await me.tap("📋 服务清单")
    await me.wait_for_text("请选择服务领域")
    await me.press("知识产权保护及利用")
    await me.wait_for_text("请选择具体服务")
    await me.press("知识产权质押融资")
    await me.wait_for_text("需准备材料")
    await expect(me.bubble("需准备材料").locator(".text b").first).to_have_text("知识产权质押融资")

    # What people type is shown as text, never run as markup.
    await me.type("<img src=x onerror=document.title='pwned'>")
    await me.wait_for_text("<img src=x onerror=")
    await expect(me.pane.locator("img")).to_have_count(0)
    assert await me.page.title() == "Frontdoor sandbox"

    await me.page.locator("[data-clock='hour']").click()
    await expect(me.page.locator("#clock-time")).to_have_text("2026-12-01 10:00 Tue")
    await me.screenshot("sandbox-registration.png")
    assert me.errors == []  # type: ignore[attr-defined]


async def test_an_officers_message_in_a_topic_appears_live_for_the_admin(
    box: Sandbox, browser: Any,
) -> None:
    admin, officer = await tab(browser, box), await tab(browser, box)
    await admin.open_chat("Admin", "上海机器人产业园")
    await officer.open_chat("李科员", "上海机器人产业园")
    await officer.type("今天下午谁去园区走访？")
    await admin.wait_for_text("今天下午谁去园区走访？")
    await expect(admin.bubble("今天下午谁去园区走访？").locator(".sender")).to_have_text("李科员")

    await admin.reply_to("今天下午谁去园区走访？")
    await admin.type("I will go at 14:00")
    await officer.wait_for_text("I will go at 14:00")
    await expect(officer.bubble("I will go at 14:00").locator(".quote")).to_contain_text(
        "今天下午谁去园区走访？")

    # A file from disk: the officer attaches it, the admin downloads it.
    await officer.page.locator("#file").set_input_files(files=[{
        "name": "走访名单.csv", "mimeType": "text/csv", "buffer": "企业,时间\n示例,14:00\n".encode(),
    }])
    await admin.wait_for_text("走访名单.csv")
    link = admin.bubble("走访名单.csv").locator("a.doc")
    download = await admin.page.request.get(box.url + await link.get_attribute("href"))
    assert (await download.body()).decode() == "企业,时间\n示例,14:00\n"
    await admin.screenshot("sandbox-staff-topic.png")

    # A person added on the page is there for everyone, and officers get the staff group.
    await admin.page.locator("#new-name").fill("周科员")
    await admin.page.locator("#new-role").select_option("officer")
    await admin.page.locator("#add-person button").click()
    await expect(officer.page.locator('li.person[data-name="周科员"]')).to_be_visible()
    await expect(admin.page.locator('li.chat[data-title="上海机器人产业园"]')).to_be_visible()
    assert admin.errors == officer.errors == []  # type: ignore[attr-defined]


async def test_an_invalid_catalogue_is_explained_on_the_page(
    tmp_path: Path, browser: Any,
) -> None:
    edited = tmp_path / "edited.yaml"
    text = (ROOT / "catalogue.yaml").read_text(encoding="utf-8")
    edited.write_text(text.replace("code: BP", "code: bp", 1), encoding="utf-8")
    box = Sandbox(data_dir=tmp_path / "data", catalogue=edited, port=0, catalogue_poll=0.05)
    await box.start()
    try:
        page = await tab(browser, box)
        banner = page.page.locator("#banner")
        await expect(banner).to_be_visible()
        await expect(banner.locator("li").first).to_contain_text(f"{edited}:")
        await expect(banner.locator("li").first).to_contain_text("stations[0].code")
        await expect(page.page.locator("#bot-status")).to_have_text("bot not running")
        edited.write_text(text, encoding="utf-8")  # fixed: the bot starts, the banner goes
        await expect(banner).to_be_hidden()
        await expect(page.page.locator("#bot-status")).to_contain_text("running")
    finally:
        await box.stop()
