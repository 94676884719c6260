"""Exceptions used by the Bot API emulator."""

from __future__ import annotations

from typing import Any

__all__ = ["ApiError", "WaitTimeoutError"]


class ApiError(Exception):
    """A Bot API error reply: ``{"ok": false, "error_code": ..., "description": ...}``.

    Raised inside method implementations; the HTTP layer turns it into the JSON reply with
    :attr:`status` as both the HTTP status and ``error_code``.
    """

    def __init__(
        self, status: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def to_json(self) -> dict[str, Any]:
        """The reply body Telegram would send for this error."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = dict(self.parameters)
        return body

    @classmethod
    def bad_request(cls, detail: str, parameters: dict[str, Any] | None = None) -> ApiError:
        """``400 Bad Request: <detail>``."""
        return cls(400, f"Bad Request: {detail}", parameters)

    @classmethod
    def forbidden(cls, detail: str) -> ApiError:
        """``403 Forbidden: <detail>``."""
        return cls(403, f"Forbidden: {detail}")


class WaitTimeoutError(AssertionError):
    """A ``wait_*``/``next_*`` helper of the emulator gave up.

    It subclasses :class:`AssertionError` so that a test failing on it reads as a failed
    expectation; the message includes the tail of the chat's transcript.
    """
