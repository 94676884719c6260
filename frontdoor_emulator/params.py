"""Decoding Bot API request parameters (query string, urlencoded, multipart or JSON)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from aiohttp import BodyPartReader, web

from .errors import ApiError

__all__ = ["MAX_UPLOAD_BYTES", "Params", "UploadedFile", "read_params"]

#: Telegram's limit for files uploaded by bots.
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
_ATTACH = "attach://"


@dataclass(frozen=True)
class UploadedFile:
    """A multipart file part."""

    field: str
    filename: str | None
    content_type: str | None
    data: bytes


class Params:
    """Parameters of one Bot API call with Telegram-like coercion.

    Values may be strings (form encoding: JSON-encoded for objects) or already-decoded JSON
    values (JSON bodies); the getters accept both.
    """

    def __init__(
        self, values: dict[str, Any] | None = None, files: dict[str, UploadedFile] | None = None
    ) -> None:
        self.values: dict[str, Any] = dict(values or {})
        self.files: dict[str, UploadedFile] = dict(files or {})

    def __contains__(self, name: str) -> bool:
        return self.values.get(name) is not None or name in self.files

    def raw(self, name: str) -> Any:
        return self.values.get(name)

    def get_str(self, name: str) -> str | None:
        value = self.values.get(name)
        if value is None:
            return None
        if isinstance(value, str):
            return value
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return str(value)
        return json.dumps(value)

    def get_int(self, name: str) -> int | None:
        value = self.values.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        try:
            return int(str(value).strip())
        except ValueError:
            raise ApiError.bad_request(f"invalid {name} specified") from None

    def get_float(self, name: str) -> float | None:
        value = self.values.get(name)
        if value is None or value == "":
            return None
        try:
            return float(value)
        except (TypeError, ValueError):
            raise ApiError.bad_request(f"invalid {name} specified") from None

    def get_bool(self, name: str, default: bool = False) -> bool:
        value = self.values.get(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float):
            return bool(value)
        return str(value).strip().lower() in ("true", "1", "yes", "on")

    def get_json(self, name: str) -> Any:
        """A JSON-serialized parameter (``reply_markup``, ``entities``, ...)."""
        value = self.values.get(name)
        if not isinstance(value, str):
            return value
        if value == "":
            return None
        try:
            return json.loads(value)
        except ValueError:
            raise ApiError.bad_request(f"can't parse {name} JSON object") from None

    def attachment(self, reference: str) -> UploadedFile | None:
        """Resolve ``attach://name`` to the uploaded part (``None`` for other strings)."""
        if reference.startswith(_ATTACH):
            name = reference[len(_ATTACH) :]
            part = self.files.get(name)
            if part is None:
                raise ApiError.bad_request(f"file attach://{name} not found in the request")
            return part
        return None

    def file(self, name: str) -> UploadedFile | str | None:
        """An ``InputFile`` parameter: an uploaded part, or a file_id/URL string."""
        if name in self.files:
            return self.files[name]
        value = self.get_str(name)
        if value is None or value == "":
            return None
        attached = self.attachment(value)
        return attached if attached is not None else value

    def summary(self) -> dict[str, Any]:
        """Parameters for logs: values as given, files as ``<file name (N bytes)>``."""
        data: dict[str, Any] = dict(self.values)
        for name, part in self.files.items():
            data[name] = f"<file {part.filename or name} ({len(part.data)} bytes)>"
        return data


async def read_params(request: web.Request) -> Params:
    """Collect parameters from the query string and the body of ``request``."""
    values: dict[str, Any] = dict(request.query)
    files: dict[str, UploadedFile] = {}
    if not request.body_exists:
        return Params(values, files)
    content_type = request.content_type
    if content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise ApiError.bad_request("can't parse JSON request body") from None
        if not isinstance(body, dict):
            raise ApiError.bad_request("JSON request body must be an object")
        values.update(body)
    elif content_type.startswith("multipart/"):
        reader = await request.multipart()
        total = 0
        while True:
            part = await reader.next()
            if part is None:
                break
            if not isinstance(part, BodyPartReader):
                continue  # nested multipart is not used by the Bot API
            name = part.name or ""
            if part.filename is not None:
                data = bytes(await part.read(decode=True))
                total += len(data)
                if total > MAX_UPLOAD_BYTES:
                    raise ApiError(413, "Request Entity Too Large")
                files[name] = UploadedFile(
                    field=name,
                    filename=part.filename,
                    content_type=part.headers.get("Content-Type"),
                    data=data,
                )
            else:
                values[name] = await part.text()
    else:
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, str):
                values[key] = value
    return Params(values, files)
