"""Typed settings, read once from the environment and an optional ``.env`` file."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

TELEGRAM_API_URL = "https://api.telegram.org"


class SettingsError(Exception):
    """The configuration cannot be used; the message is one line for a person."""


class Settings(BaseSettings):
    """Everything Frontdoor reads from its environment (prefix ``FRONTDOOR_``)."""

    model_config = SettingsConfigDict(
        env_prefix="FRONTDOOR_", env_file=".env", env_file_encoding="utf-8", extra="ignore",
        frozen=True,
    )

    bot_token: str = ""
    database_url: str = "sqlite+aiosqlite:///frontdoor.db"
    catalogue: Path = Path("catalogue.yaml")
    staff_chat_id: int | None = None
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    timezone: str = "Asia/Shanghai"
    telegram_api_url: str = TELEGRAM_API_URL
    # Seconds between two looks at catalogue.yaml on disk; 0 turns the watcher off.
    catalogue_watch_seconds: float = 2.0
    # Seconds between two questions to the database: is a newer catalogue in service (an
    # edit another replica took)? 0 turns following off.
    catalogue_poll_seconds: float = Field(default=3.0, ge=0)
    # Telegram's documented limits; lowered only by tests and benchmarks that know why.
    rate_limit: bool = True
    # The send budget every replica shares on PostgreSQL, a little under Telegram's 30
    # messages a second overall and 20 a minute per group.
    send_per_second: float = Field(default=28.0, gt=0)
    send_group_per_minute: float = Field(default=19.0, gt=0)
    # Last month's report to every admin on the 1st at 09:00 (the bureau's time zone).
    monthly_report: bool = True
    # How the bot talks HTTP to the Bot API: aiohttp (default, cheaper per call) or PTB's httpx.
    http_transport: Literal["aiohttp", "httpx"] = "aiohttp"
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    webhook_secret: str | None = None
    # /healthz, /readyz and /metrics on their own port (unset: not served). Keep it inside:
    # the load balancer forwards only the webhook path.
    ops_port: int | None = Field(default=None, ge=1, le=65535)
    ops_listen: str = "127.0.0.1"
    log_level: str = "INFO"
    # "text" (one line a record) or "json" (one JSON object a line, for log collectors).
    log_format: Literal["text", "json"] = "text"
    # The bot's @username, for deep links printed on posters when `frontdoor posters` runs
    # without a token; the running bot asks Telegram (getMe) instead.
    bot_username: str | None = None
    # A TrueType font with Chinese glyphs for posters; unset, the usual system paths are tried.
    poster_font: Path | None = None
    # Personal data's end (days): message bodies the bot sent, unfinished forms, and the
    # names in the threads of requests closed that long ago.
    retention_outbox_days: int = Field(default=30, ge=1)
    retention_dialog_days: int = Field(default=30, ge=1)
    retention_closed_days: int = Field(default=365, ge=1)

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.replace(";", ",").split(",")]
            return frozenset(int(p) for p in parts if p)
        if isinstance(value, int):
            return frozenset({value})
        return value

    @field_validator("staff_chat_id", "poster_font", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("bot_username", mode="before")
    @classmethod
    def _bare_username(cls, value: object) -> object:
        return bare_username(value) if isinstance(value, str) else value

    @property
    def api_base_url(self) -> str:
        """Base URL PTB prefixes to ``<token>/<method>``."""
        return self.telegram_api_url.rstrip("/") + "/bot"

    @property
    def api_file_url(self) -> str:
        return self.telegram_api_url.rstrip("/") + "/file/bot"

    def is_admin(self, user_id: int) -> bool:
        return user_id in self.admin_ids


def bare_username(value: str) -> str | None:
    """``@name`` or ``name`` → ``name`` (None when empty); ValueError if not a username."""
    value = value.strip().removeprefix("@")
    if not value:
        return None
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{3,31}", value):
        raise ValueError("a Telegram username: letters, digits and _, 4-32 long")
    return value


def load_settings(**overrides: object) -> Settings:
    """Read settings, turning pydantic's report into one readable line."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise SettingsError(f"FRONTDOOR_{field.upper()}: {first['msg']}") from exc
