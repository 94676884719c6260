"""Which files a company may send with a request: what officers can open, and nothing that runs.

A name proves nothing (``setup.exe.``, ``"setup.exe "``, an executable named ``invoice.pdf``),
so a file is judged twice: its normalised extension must be on the allow-list, and its first
bytes — fetched by the Telegram side before the unit of work opens — must be what that
extension promises, never a program. The bytes are identified by ``puremagic``, a maintained
pure-Python library, so no system ``libmagic`` is needed.
"""

from __future__ import annotations

import puremagic

# Extension → the family of contents it may hold.
ALLOWED: dict[str, str] = {
    "pdf": "pdf", "ofd": "zip",  # ofd: China's e-invoice format, a zip container
    "doc": "ole", "xls": "ole", "ppt": "ole", "wps": "ole", "et": "ole", "dps": "ole",
    "docx": "zip", "xlsx": "zip", "pptx": "zip", "odt": "zip", "ods": "zip", "odp": "zip",
    "zip": "zip", "rar": "rar", "7z": "7z",
    "jpg": "jpeg", "jpeg": "jpeg", "png": "png", "gif": "gif", "bmp": "bmp", "webp": "webp",
    "tif": "tiff", "tiff": "tiff", "heic": "heic",
    "txt": "text", "csv": "text", "rtf": "rtf",
}
# What puremagic calls each family (by the extensions it reports).
_FAMILY_OF_MAGIC: dict[str, str] = {
    ".pdf": "pdf", ".doc": "ole", ".xls": "ole", ".ppt": "ole", ".msg": "ole",
    ".docx": "zip", ".xlsx": "zip", ".pptx": "zip", ".zip": "zip", ".odt": "zip",
    ".ods": "zip", ".odp": "zip", ".jar": "zip", ".rar": "rar", ".7z": "7z",
    ".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png", ".gif": "gif", ".bmp": "bmp",
    ".webp": "webp", ".tif": "tiff", ".tiff": "tiff", ".heic": "heic", ".rtf": "rtf",
}
# Programs by their first bytes: Windows (MZ), Linux (ELF), macOS (Mach-O), scripts.
_PROGRAMS = (b"MZ", b"\x7fELF", b"\xfe\xed\xfa", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe",
             b"\xca\xfe\xba\xbe", b"#!")
_PROGRAM_MIME = ("application/x-msdownload", "application/x-msdos-program",
                 "application/x-dosexec", "application/x-executable", "application/x-sh",
                 "application/java-archive", "application/vnd.android.package-archive",
                 "application/vnd.microsoft.portable-executable")


def extension(name: str | None) -> str:
    """The extension as Windows would act on it: trailing dots and spaces do not count."""
    stem = (name or "").strip().rstrip(". ").strip()
    return stem.rsplit(".", 1)[-1].lower() if "." in stem else ""


def refusal(name: str | None, mime_type: str | None, head: bytes | None) -> str | None:
    """What is wrong with the file (the extension to name in the refusal), or None."""
    ext = extension(name)
    if (mime_type or "").lower() in _PROGRAM_MIME:
        return ext or mime_type or "?"
    if ext not in ALLOWED:
        return ext or "?"
    if head is not None and not _content_fits(ALLOWED[ext], head):
        return ext
    return None


def _content_fits(family: str, head: bytes) -> bool:
    if head.startswith(_PROGRAMS):
        return False
    if family == "text":
        return b"\x00" not in head[:4096]
    try:
        found = {m.extension.lower() for m in puremagic.magic_string(head)}
    except puremagic.PureError:
        return False
    return family in {_FAMILY_OF_MAGIC.get(ext) for ext in found}
