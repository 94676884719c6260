"""Files a company sends: what officers can open, never a program, whatever its name says."""

from __future__ import annotations

import io
import zipfile

import pytest

from bot.requests.uploads import extension, refusal
from tests.harness import BotUnderTest, matches
from tests.requests_steps import open_service

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(120)
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "mime", "content"), [
    ("setup.exe.", None, EXE),
    ("setup.exe ", None, EXE),
    ("invoice.pdf", "application/pdf", EXE),  # a program named like a PDF
    ("disk.iso", None, b"CD001" + bytes(100)),
    ("report.docm", None, docx()),  # Word with macros
    ("app.msix", None, docx()),
    ("explorer.scf", None, b"[Shell]\nCommand=2\n"),
    ("noextension", "application/x-dosexec", EXE),
    ("notes.txt", None, b"#!/bin/sh\nrm -rf /\n"),
])
def test_refused(name: str, mime: str | None, content: bytes) -> None:
    assert refusal(name, mime, content[:8192]) is not None


@pytest.mark.parametrize(("name", "content"), [
    ("营业执照.pdf", PDF), ("申请表.docx", docx()), ("旧表.doc", OLE), ("说明.txt", "你好".encode()),
    ("INVOICE.PDF", PDF),
])
def test_accepted(name: str, content: bytes) -> None:
    assert refusal(name, None, content) is None


def test_trailing_dots_and_spaces_do_not_hide_an_extension() -> None:
    assert extension("setup.exe. . ") == "exe"
    assert extension("README") == ""


async def test_a_program_named_like_a_pdf_is_refused_in_the_chat(bot: BotUnderTest) -> None:
    alice = bot.user("Alice")
    await bot.register(alice)
    await open_service(bot, alice, "other-needs")
    await bot.say(alice, "请看附件")
    bot.emu.send_document(alice, filename="invoice.pdf", content=EXE,
                          mime_type="application/pdf")
    assert matches("file_type_refused", (await bot.emu.next_message(alice)).text)
    bot.emu.send_document(alice, filename="申请表.docx", content=docx())
    accepted = await bot.emu.next_message(alice)
    assert not matches("file_type_refused", accepted.text)
    assert bot.emu.calls_of("getFile")  # the content was looked at, not just the name
