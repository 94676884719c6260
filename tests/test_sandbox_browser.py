"""The sandbox page in a real browser (headless Chromium): a person's journey, clicked through.

Skipped only where no browser is installed: Debian's ``chromium`` package (with the fonts
``fonts-wqy-microhei`` and ``fonts-noto-color-emoji``) and Playwright's Python client
(``pip install -e ".[browser]"``).
"""

from __future__ import annotations

import os
import struct
import zlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.texts import t
from frontdoor_sandbox import Sandbox
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
        self.errors: list[str] = []  # scripts that failed in the page
        page.on("pageerror", lambda error: self.errors.append(str(error)))

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

    def message(self, text: str) -> Any:
        """The one message whose own text (not a quote of another) says ``text``."""
        own = self.page.locator(".text").filter(has_text=text)
        return self.pane.locator(".msg").filter(has=own)

    async def wait_for_text(self, text: str) -> None:
        await expect(self.bubble(text)).to_be_visible()

    async def reply_to(self, text: str) -> None:
        bubble = self.bubble(text)
        await bubble.hover()
        await bubble.locator(".reply-btn").click()
        await expect(self.page.locator("#reply-bar")).to_be_visible()

    async def screenshot(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        # Finished animations: a message that just arrived is caught mid-flash otherwise.
        await self.page.screenshot(path=ARTIFACTS / name, full_page=True, animations="disabled")


async def register(me: Client, company: str) -> None:
    """The person whose private chat is open registers ``company`` at the robot park."""
    await me.type("/start")
    await me.wait_for_text("企业全称")
    await me.type(company)
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
    await me.wait_for_text("登记成功")
    await expect(me.page.locator("#keyboard .reply-key").first).to_be_visible()  # the menu


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


async def tab(browser: Any, box: Sandbox, width: int = 1280, height: int = 820) -> Client:
    page = await browser.new_page(viewport={"width": width, "height": height})
    client = Client(page)
    page.set_default_timeout(5000)
    await page.goto(box.url)
    await expect(page.locator("li.person").first).to_be_visible()
    # The page listens to live events before anything happens.
    await expect(page.locator("body[data-live='1']")).to_be_attached()
    return client


async def test_a_newcomer_registers_a_company_and_browses_the_catalogue_in_the_page(
    box: Sandbox, browser: Any,
) -> None:
    me = await tab(browser, box)
    await me.open_chat("陈总")
    await register(me, "上海新例科技有限公司")
    # The confirmation replaced the summary in place, like an edit on Telegram.
    await expect(me.bubble("登记成功").locator(".edited")).to_be_visible()
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
    assert me.errors == []


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
    assert await fits(admin.page.locator("#new-role"))  # "Enterprise user", not "Enter"
    await admin.page.locator("#new-name").fill("周科员")
    await admin.page.locator("#new-role").select_option("officer")
    await admin.page.locator("#add-person button").click()
    await expect(officer.page.locator('li.person[data-name="周科员"]')).to_be_visible()
    await expect(admin.page.locator('li.chat[data-title="上海机器人产业园"]')).to_be_visible()
    assert admin.errors == officer.errors == []


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


async def test_a_new_company_asks_for_help_and_sees_the_officers_answer_live(
    box: Sandbox, browser: Any, tmp_path: Path,
) -> None:
    """The whole journey in two tabs: the enterprise's private chat, the station's topic."""
    me, officer = await tab(browser, box), await tab(browser, box)
    await officer.open_chat("李科员", "上海机器人产业园")
    await me.open_chat("陈总")
    await register(me, "上海新例科技有限公司")

    # A service from the catalogue, its questions, a description, a file from disk.
    await me.tap("📋 服务清单")
    await me.press("知识产权保护及利用")
    await me.wait_for_text("请选择具体服务")
    await me.press("知识产权质押融资")
    await me.wait_for_text("需准备材料")
    await me.press("我要办理")
    await me.wait_for_text("拟质押的专利、商标共有几件")
    await me.type("2")
    await me.wait_for_text("拟融资金额")
    await me.press("跳过")
    await me.wait_for_text("是否已有意向银行")
    await me.press("还没有，希望推荐")
    await me.wait_for_text("请描述您的需求")
    await me.type("想用两件发明专利质押贷款，请问流程？")
    await me.wait_for_text("请确认您的需求")  # files are added on the summary
    listing = tmp_path / "专利清单.csv"
    listing.write_text("专利号,状态\nZL2024100000001,有效\n", encoding="utf-8")
    async with me.page.expect_file_chooser() as chooser:
        await me.page.locator("#attach").click()  # the 📎 opens the file picker
    await (await chooser.value).set_files(listing)
    await me.wait_for_text("已附上第 1 个附件")
    await expect(me.bubble("已附上第 1 个附件")).to_contain_text("专利清单.csv")
    await me.press("✅ 确认")
    await me.wait_for_text("已提交")
    receipt = me.bubble("已提交")
    reference = await receipt.locator(".text b").first.inner_text()
    assert reference == "RP-2612-0001"  # robot park, December 2026 in Shanghai, the first

    # The officer's tab shows the card as it arrives, claims it, and the card says who.
    card = officer.message(f"📋 {reference}")
    await expect(card).to_be_visible()
    await expect(card).to_contain_text("上海新例科技有限公司")
    await expect(card).to_contain_text(t("zh", "card_state_unclaimed"))
    await officer.wait_for_text(f"{reference} 的附件")  # the file, under the card
    await card.locator(".kb-btn").filter(has_text="认领").click()
    await expect(officer.page.locator("#toast")).to_contain_text(f"您已认领 {reference}")
    await expect(card).to_contain_text("负责专员：李科员")
    await expect(card.locator(".edited")).to_be_visible()
    await expect(card.locator(".kb-btn").filter(has_text="认领")).to_have_count(0)
    await me.wait_for_text("已由专员李科员受理")

    # The officer replies to the card; the enterprise's tab shows it, labelled.
    await card.hover()
    await card.locator(".reply-btn").click()
    await expect(officer.page.locator("#reply-name")).to_have_text("Reply to Frontdoor")
    await officer.type("请带上专利证书原件，周三下午来站里面谈。")
    await expect(officer.bubble("请带上专利证书原件").locator(".quote")).to_contain_text(reference)
    await me.wait_for_text("请带上专利证书原件")
    answer = me.bubble("请带上专利证书原件")
    await expect(answer).to_contain_text(f"💬 {reference} · 专员李科员：")

    # The enterprise answers by replying to it; the officer's tab shows the answer.
    await me.reply_to("请带上专利证书原件")
    await me.type("好的，周三下午两点到。")
    await officer.wait_for_text("好的，周三下午两点到。")
    await expect(officer.bubble("好的，周三下午两点到。")).to_contain_text(
        f"💬 {reference} · 上海新例科技有限公司（陈总）")

    # Resolved: the enterprise is asked to rate, and the staff see the rating.
    await card.locator(".kb-btn").filter(has_text="办结").click()
    await me.wait_for_text("请为本次服务评价")
    await me.press("非常满意")
    await me.wait_for_text("感谢评价")
    await officer.wait_for_text(f"{reference} 企业评价")
    await me.screenshot("sandbox-journey-enterprise.png")
    await officer.screenshot("sandbox-journey-officer.png")
    assert me.errors == officer.errors == []


PHONE = {"width": 390, "height": 844}


def png(width: int, height: int) -> bytes:
    """A plain grey picture of this size."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x99" * (3 * width) for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


async def newest_in_sight(me: Client) -> None:
    """The chat's newest message is scrolled into view, whole, and no keyboard covers it."""
    newest = me.pane.locator(".msg").last
    await expect(newest).to_be_in_viewport(ratio=1)
    keyboard = me.page.locator("#keyboard")
    if await keyboard.is_visible():
        shown, below = await newest.bounding_box(), await keyboard.bounding_box()
        assert shown is not None
        assert below is not None
        assert shown["y"] + shown["height"] <= below["y"]


async def fits(select: Any) -> bool:
    """Is the select as wide as its longest option needs (nothing of the label cut off)?"""
    return bool(await select.evaluate("""(node) => {
        const free = node.cloneNode(true);
        free.style.cssText = "position: absolute; visibility: hidden; width: auto; flex: none";
        document.body.append(free);
        const needed = free.getBoundingClientRect().width;
        free.remove();
        return node.getBoundingClientRect().width >= needed - 0.5;
    }"""))


async def test_on_a_phone_the_newest_message_stays_in_sight_and_the_keyboard_folds_away(
    box: Sandbox, browser: Any,
) -> None:
    me = await tab(browser, box, **PHONE)
    page = me.page
    top = await page.locator(".topbar").bounding_box()
    assert top is not None
    assert top["height"] <= 48  # one line: the clock and its buttons, not three
    assert await fits(page.locator("#new-role"))
    assert await fits(page.locator("#new-language"))

    await page.locator('li.person[data-name="陈总"]').click()  # a phone opens the chat itself
    await expect(page.locator("#pane-title")).to_have_text("Frontdoor")
    await register(me, "上海新例科技有限公司")
    await newest_in_sight(me)  # the menu keyboard came up under the confirmation
    keyboard = page.locator("#keyboard")
    shown = await keyboard.bounding_box()
    chat = await me.pane.bounding_box()
    assert shown is not None
    assert chat is not None
    assert chat["height"] >= PHONE["height"] / 2  # the chat keeps most of the screen

    # The keyboard button folds the bot's keyboard away and brings it back, like Telegram's.
    toggle = page.locator("#kb-toggle")
    await toggle.click()
    await expect(keyboard).to_be_hidden()
    await expect(toggle).to_have_attribute("aria-expanded", "false")
    await newest_in_sight(me)
    await toggle.click()
    await expect(keyboard).to_be_visible()
    await newest_in_sight(me)
    await me.screenshot("sandbox-phone.png")

    # Back on the list of people, the newcomer is shown with the company just registered.
    await page.locator("#back").click()
    await expect(page.locator('li.person[data-name="陈总"] .note')).to_have_text(
        "已登记：上海新例科技有限公司")

    # An officer posts a tall picture in a busy topic, where nobody answers: once the
    # picture has loaded, its message is still in sight.
    await page.locator('li.person[data-name="李科员"]').click()
    await page.locator("#back").click()
    await page.locator('li.chat[data-title="上海机器人产业园"]').click()
    for n in range(1, 13):
        await me.type(f"今日走访第 {n} 家")
        await me.wait_for_text(f"今日走访第 {n} 家")
    await page.locator("#file").set_input_files(files=[{
        "name": "走访照片.png", "mimeType": "image/png", "buffer": png(600, 900)}])
    picture = me.pane.locator(".photo img").last
    await expect(picture).to_be_attached()
    await page.wait_for_function("(img) => img.complete && img.naturalWidth > 0",
                                 arg=await picture.element_handle())
    await newest_in_sight(me)
    await me.screenshot("sandbox-phone-topic.png")
    assert me.errors == []


async def test_unread_counts_survive_reloading_the_page(box: Sandbox, browser: Any) -> None:
    me = await tab(browser, box)
    await me.open_chat("王经理")
    chen = next(p for p in box.people.values() if p.name == "陈总")
    box.send({"person": chen.id, "text": "/start"})
    await box.emu.wait_for_message(chen.id, lambda m: "企业全称" in m.text, timeout=5)
    count = str(len(box.emu.transcript(box.emu.chat(chen.id))))
    badge = me.page.locator('li.person[data-name="陈总"] .badge')
    await expect(badge).to_have_text(count)

    await me.page.reload()
    await expect(me.page.locator("body[data-live='1']")).to_be_attached()
    await expect(badge).to_have_text(count)
    await expect(me.page.locator("#pane-sub")).to_contain_text("王经理")  # still in that chat
    await me.page.locator('li.person[data-name="陈总"]').click()
    await expect(badge).to_have_count(0)  # read
    assert me.errors == []
