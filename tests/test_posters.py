"""QR posters: what an admin prints and hangs at a station, and what a phone reads off it."""

from __future__ import annotations

import asyncio
import io
import os
import re
import sys
from pathlib import Path

import pytest

from bot.catalogue import load_catalogue
from bot.texts import t
from frontdoor_emulator import BotApiEmulator
from storage.core.db import Database
from tests.conftest import make_bot
from tests.harness import CATALOGUE, ROOT, TOKEN, BotUnderTest, matches, shown
from tests.test_cli import frontdoor

zxingcpp = pytest.importorskip("zxingcpp", reason="the QR reader (pip install zxing-cpp)")
from PIL import Image  # noqa: E402  (Pillow comes with reportlab, after the skip above)

STATION_LINK = "https://t.me/frontdoor_bot?start=st-robot-park"
SERVICE_LINK = "https://t.me/frontdoor_bot?start=svc-ip-pledge-financing"


def read_qr(png: bytes) -> list[str]:
    """What a phone's camera reads off the picture: every QR code's text."""
    image = Image.open(io.BytesIO(png))
    return [code.text for code in zxingcpp.read_barcodes(image)
            if code.format == zxingcpp.BarcodeFormat.QRCode]


def pdf_title(pdf: bytes) -> str:
    """The document's title from its info dictionary (a UTF-16 string with octal escapes)."""
    found = re.search(rb"/Title \((.*?)(?<!\\)\)", pdf, re.DOTALL)
    assert found, "no title"
    raw = re.sub(rb"\\([0-7]{3})", lambda m: bytes([int(m.group(1), 8)]), found.group(1))
    raw = re.sub(rb"\\(.)", rb"\1", raw, flags=re.DOTALL)
    return raw.decode("utf-16")


def assert_printable_pdf(pdf: bytes, link: str, name: str) -> None:
    """A one-page PDF that carries its own Chinese font, names ``name`` and links ``link``."""
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    assert b"/FontFile2" in pdf  # the TrueType font is embedded, not merely named
    assert b"/Count 1" in pdf
    assert f"/URI ({link})".encode() in pdf
    assert name in pdf_title(pdf)


def test_cli_writes_a_poster_per_station_and_service_whose_codes_open_the_bot(
        tmp_path: Path, chinese_font: None) -> None:
    out = tmp_path / "posters"
    result = frontdoor("posters", "--station", "robot-park", "--out", str(out),
                       "--bot", "@frontdoor_bot", env={"FRONTDOOR_CATALOGUE": str(CATALOGUE)},
                       cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    folder = out / "robot-park"
    assert read_qr((folder / "robot-park-qr.png").read_bytes()) == [STATION_LINK]
    assert_printable_pdf((folder / "robot-park.pdf").read_bytes(), STATION_LINK, "上海机器人产业园")
    service = folder / "robot-park--ip-pledge-financing"
    assert read_qr(service.with_name(service.name + "-qr.png").read_bytes()) == [SERVICE_LINK]
    assert_printable_pdf(service.with_suffix(".pdf").read_bytes(), SERVICE_LINK, "知识产权质押融资")
    # One poster for the station and one per service offered there; no other station's.
    cat = load_catalogue(CATALOGUE)
    offered = {s.id for s in cat.services if "robot-park" in s.stations}
    assert {p.name for p in folder.glob("*.pdf")} == (
        {"robot-park.pdf"} | {f"robot-park--{s}.pdf" for s in offered})
    assert len(list(folder.glob("*-qr.png"))) == len(offered) + 1
    assert [p.name for p in out.iterdir()] == ["robot-park"]
    assert "robot-park" in result.stdout


def test_the_printed_poster_itself_scans(tmp_path: Path, chinese_font: None) -> None:
    """The code as drawn on the poster (not only the PNG beside it) reads back as the link:
    the preview is the poster's own layout, rasterised."""
    preview = tmp_path / "poster.png"
    result = frontdoor("posters", "--station", "上海机器人产业园", "--out", str(tmp_path / "p"),
                       "--preview", str(preview),
                       env={"FRONTDOOR_CATALOGUE": str(CATALOGUE),
                            "FRONTDOOR_BOT_USERNAME": "frontdoor_bot"}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert read_qr(preview.read_bytes()) == [STATION_LINK]


def test_cli_names_an_unknown_station_in_one_line_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "posters"
    result = frontdoor("posters", "--station", "nope", "--out", str(out), "--bot", "frontdoor_bot",
                       env={"FRONTDOOR_CATALOGUE": str(CATALOGUE)}, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "frontdoor: no station 'nope' (stations: bio-park, materials-park, robot-park, "
        "university-park, bureau)"]
    assert not out.exists()


def test_cli_without_a_username_or_token_says_how_to_give_one(tmp_path: Path) -> None:
    result = frontdoor("posters", "--out", str(tmp_path / "p"),
                       env={"FRONTDOOR_CATALOGUE": str(CATALOGUE)}, cwd=tmp_path)
    assert result.returncode == 1
    assert "--bot" in result.stderr
    assert "FRONTDOOR_BOT_USERNAME" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "p").exists()
    bad = frontdoor("posters", "--bot", "not a name", "--out", str(tmp_path / "p"),
                    env={"FRONTDOOR_CATALOGUE": str(CATALOGUE)}, cwd=tmp_path)
    assert bad.returncode == 1
    assert "not a Telegram username" in bad.stderr


async def test_cli_asks_telegram_for_the_username_when_a_token_is_set(
        tmp_path: Path, chinese_font: None) -> None:
    emu = BotApiEmulator(token=TOKEN, bot_username="district_front_bot")
    await emu.start()
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith("FRONTDOOR_")}
        env.update(PYTHONPATH=str(ROOT), FRONTDOOR_CATALOGUE=str(CATALOGUE),
                   FRONTDOOR_BOT_TOKEN=TOKEN, FRONTDOOR_TELEGRAM_API_URL=emu.url)
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "posters", "--station", "bureau",
            "--out", str(tmp_path), env=env, cwd=tmp_path,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        _, stderr = await asyncio.wait_for(process.communicate(), 60)
    finally:
        await emu.stop()
    assert process.returncode == 0, stderr.decode()
    assert read_qr((tmp_path / "bureau" / "bureau-qr.png").read_bytes()) == [
        "https://t.me/district_front_bot?start=st-bureau"]


async def test_an_admin_gets_a_stations_poster_in_the_chat(
        bot: BotUnderTest, chinese_font: None) -> None:
    poster = await bot.say(bot.admin, "/poster 机器人")
    assert poster.document is not None
    assert poster.document.filename == "robot-park.pdf"
    assert poster.document.content is not None
    # The bot's own username, as Telegram (here the emulator) reported it at start.
    assert_printable_pdf(poster.document.content, STATION_LINK, "上海机器人产业园")
    assert STATION_LINK in (poster.caption or "")
    code = await bot.emu.next_message(bot.admin)
    assert code.document is not None
    assert code.document.filename == "robot-park-qr.png"
    assert code.document.content is not None
    assert read_qr(code.document.content) == [STATION_LINK]
    # A company that scans it starts at that station: registration has it chosen already.
    newcomer = bot.user("陈总")
    await bot.say(newcomer, "/start " + STATION_LINK.split("?start=", 1)[1])
    preselected = await bot.emu.next_message(newcomer)
    assert "上海机器人产业园" in preselected.text


async def test_poster_alone_lists_the_stations_and_bad_names_change_nothing(
        bot: BotUnderTest) -> None:
    await bot.say(bot.admin, "/language zh")  # the admin reads Chinese from here on
    listed = await bot.say(bot.admin, "/poster")
    assert matches("poster_pick", listed.text)
    assert "上海机器人产业园" in listed.text
    assert "robot-park" in listed.text
    unknown = await bot.say(bot.admin, "/poster 火星站")
    assert matches("poster_unknown_station", unknown.text)
    assert "火星站" in unknown.text
    assert unknown.document is None
    several = await bot.say(bot.admin, "/poster 上海")  # four stations' names have it
    assert matches("poster_ambiguous_station", several.text)
    assert several.document is None
    await bot.emu.expect_no_message(bot.admin, within=0.3)


async def test_poster_is_no_command_for_anyone_but_admins(bot: BotUnderTest) -> None:
    company = bot.user("王经理")
    await bot.register(company)
    answer = await bot.say(company, "/poster robot-park")
    assert answer.text == shown("unknown_command")
    assert answer.document is None
    await bot.emu.expect_no_message(company, within=0.3)
    officer = bot.officers[0]
    answer = await bot.say(officer, "/poster robot-park")
    assert answer.text == shown("unknown_command")
    assert answer.document is None


async def test_admins_see_poster_in_their_menu_and_help(bot: BotUnderTest) -> None:
    admin = {c["command"] for c in bot.emu.commands({"type": "chat", "chat_id": bot.admin.id})}
    assert "poster" in admin
    private = {c["command"] for c in bot.emu.commands({"type": "all_private_chats"})}
    assert "poster" not in private
    help_text = await bot.say(bot.admin, "/help")
    assert "/poster" in help_text.text
    await bot.say(bot.admin, "/language zh")
    help_text = await bot.say(bot.admin, "/help")
    assert "/poster 加服务站名称" in help_text.text
    # Companies' own help does not offer it.
    assert "/poster" not in t("zh", "help")
    assert "/poster" not in t("en", "help")


def test_cli_without_a_chinese_font_says_what_to_install(tmp_path: Path) -> None:
    not_a_font = tmp_path / "plain.ttf"
    not_a_font.write_text("not a font", encoding="utf-8")
    result = frontdoor("posters", "--bot", "frontdoor_bot", "--out", str(tmp_path / "p"),
                       env={"FRONTDOOR_CATALOGUE": str(CATALOGUE),
                            "FRONTDOOR_POSTER_FONT": str(not_a_font)}, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith(f"frontdoor: {not_a_font}: not a usable TrueType font")
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "p").exists()


async def test_without_a_usable_font_the_admin_is_told_and_gets_no_file(
        emu: BotApiEmulator, sqlite_db: Database, tmp_path: Path) -> None:
    under_test = make_bot(emu, sqlite_db, tmp_path, poster_font=tmp_path / "missing.ttc")
    await under_test.start()
    try:
        answer = await under_test.say(under_test.admin, "/poster robot-park")
        assert answer.text == t("en", "poster_unavailable")
        assert answer.document is None
        await emu.expect_no_message(under_test.admin, within=0.3)
    finally:
        await under_test.stop()
