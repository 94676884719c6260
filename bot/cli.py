"""``frontdoor``: run the bot, check a catalogue, migrate the database."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bot.core.settings import Settings, SettingsError, bare_username, load_settings

if TYPE_CHECKING:
    from bot.delivery.lifecycle import Webhook

cli = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Frontdoor: the enterprise service stations' Telegram bot.")


def fail(message: str) -> typer.Exit:
    typer.echo(f"frontdoor: {message}", err=True)
    return typer.Exit(code=2)


def _settings() -> Settings:
    try:
        return load_settings()
    except SettingsError as exc:
        raise fail(str(exc)) from None


@cli.command()
def check(
    catalogue: Annotated[Path | None, typer.Argument(help="catalogue file (default: settings)")]
    = None,
) -> None:
    """Validate a catalogue: exit 0 with a summary (and any warnings, such as placeholders
    still to fill in), or 1 with every error and its line."""
    from bot.catalogue import CatalogueError, load_catalogue, summary

    path = catalogue or _settings().catalogue
    try:
        cat = load_catalogue(path)
    except CatalogueError as exc:
        for issue in exc.issues:
            typer.echo(str(issue), err=True)
        raise typer.Exit(code=1) from None
    # An event companies registered for must stay in the file (cancelled, if need be): asked
    # of the configured database, when there is one.
    from bot.events.guard import check_database, has_database

    try:
        url = load_settings().database_url
    except SettingsError:
        url = ""
    problems = asyncio.run(check_database(url, cat)) if url and has_database(url) else []
    if problems:
        for line in problems:
            typer.echo(line, err=True)
        raise typer.Exit(code=1)
    for warning in cat.warnings:
        typer.echo(str(warning), err=True)
    noted = len(cat.warnings)
    more = f" ({noted} warning{'s' if noted != 1 else ''})" if noted else ""
    typer.echo(f"{path}: ok — {summary(cat)}{more}")


@cli.command()
def migrate(
    revision: Annotated[str, typer.Argument(help="target revision")] = "head",
) -> None:
    """Bring the database schema up to date (PostgreSQL deployments run this explicitly)."""
    from storage.migrate import upgrade

    settings = _settings()
    asyncio.run(upgrade(settings.database_url, revision))
    typer.echo(f"database at {revision}")


@cli.command()
def run() -> None:
    """Run the bot: polling, or a webhook server when FRONTDOOR_WEBHOOK_URL is set."""
    from bot.catalogue import CatalogueError
    from storage.core.db import is_sqlite
    from storage.migrate import upgrade

    settings = _settings()
    from bot.core.logs import configure_logging

    configure_logging(settings.log_level, settings.log_format)
    from bot.core.redact import redact_logging

    redact_logging(settings.bot_token, settings.webhook_secret or "")
    if not settings.bot_token:
        raise fail("FRONTDOOR_BOT_TOKEN is not set (ask @BotFather for a token)")
    from bot.app import build_application, make_runtime

    try:
        rt = make_runtime(settings)
    except CatalogueError as exc:
        first = exc.issues[0] if exc.issues else "unreadable"
        more = f" (and {len(exc.issues) - 1} more; run `frontdoor check`)" if len(
            exc.issues) > 1 else ""
        raise fail(f"catalogue not usable: {first}{more}") from None
    from bot.delivery.lifecycle import Webhook

    try:
        webhook = Webhook.from_settings(settings)
    except ValueError as exc:
        raise fail(str(exc)) from None
    claim = None
    if is_sqlite(settings.database_url):
        from storage.core.db import AlreadyServed, claim_sqlite

        try:
            claim = claim_sqlite(settings.database_url)
        except AlreadyServed as exc:
            raise fail(f"another frontdoor process serves {exc} already; SQLite serves one "
                       "process: stop the other, or move to PostgreSQL to run replicas") from None
        asyncio.run(upgrade(settings.database_url))
    try:
        asyncio.run(_serve(build_application(rt), webhook))
    finally:
        if claim is not None:
            claim.close()


async def _serve(app: Any, webhook: Webhook | None) -> None:
    """Run the application until SIGINT or SIGTERM, then stop it cleanly."""
    from bot.core.signals import until_stopped
    from bot.delivery.lifecycle import running

    async with running(app, webhook=webhook):
        await until_stopped()


@cli.command()
def sandbox(
    port: Annotated[int, typer.Option(help="port of the web page")] = 8080,
    catalogue: Annotated[Path, typer.Option(help="catalogue to preview")] = Path(
        "catalogue.yaml"),
    reset: Annotated[bool, typer.Option(help="delete the sandbox's data and start over")] = False,
    data: Annotated[Path, typer.Option(help="where the sandbox keeps its database")] = Path(
        ".frontdoor-sandbox"),
) -> None:
    """Try the bot without Telegram: an emulated Telegram, the real bot, a chat page."""
    from frontdoor_sandbox import Sandbox

    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("httpx", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    from bot.core.redact import redact_logging

    redact_logging()

    from bot.core.signals import until_stopped

    async def serve() -> None:
        box = Sandbox(data_dir=data, catalogue=catalogue, port=port, reset=reset)
        try:
            url = await box.start()
        except OSError as exc:
            raise fail(f"cannot serve on port {port}: {exc.strerror}") from None
        typer.echo(f"Frontdoor sandbox: open {url} (data in {box.data_dir}; Ctrl+C stops)")
        try:
            await until_stopped()
        finally:
            await box.stop()

    asyncio.run(serve())


@cli.command()
def posters(
    station: Annotated[str | None, typer.Option(
        help="only this station (id, code or name); default: every station")] = None,
    out: Annotated[Path, typer.Option(help="folder to write into")] = Path("posters"),
    bot: Annotated[str | None, typer.Option(
        "--bot", help="the bot's @username (default: FRONTDOOR_BOT_USERNAME, else asked of "
                      "Telegram with FRONTDOOR_BOT_TOKEN)")] = None,
    catalogue: Annotated[Path | None, typer.Option(help="catalogue file (default: settings)")]
    = None,
    preview: Annotated[Path | None, typer.Option(
        help="also write the (first) station's poster as a small PNG to this file")] = None,
) -> None:
    """Write printable A4 QR posters (PDF) and the QR codes alone (PNG): one per station and
    one per service it offers, in OUT/<station id>/."""
    from bot.catalogue import CatalogueError, load_catalogue
    from bot.core.display import stations_named
    from bot.posters.fonts import NoChineseFont, poster_font
    from bot.posters.make import preview_png, write_station

    settings = _settings()
    try:
        cat = load_catalogue(catalogue or settings.catalogue,
                             default_timezone=settings.timezone)
    except CatalogueError as exc:
        first = exc.issues[0] if exc.issues else "unreadable"
        typer.echo(f"frontdoor: catalogue not usable: {first}", err=True)
        raise typer.Exit(code=1) from None
    chosen = list(cat.stations)
    if station is not None:
        chosen = stations_named(cat, station)
        if len(chosen) != 1:
            known = ", ".join(s.id for s in (chosen or cat.stations))
            what = "several stations match" if chosen else "no station"
            typer.echo(f"frontdoor: {what} {station!r} (stations: {known})", err=True)
            raise typer.Exit(code=1)
    username = _bot_username(bot, settings)
    try:
        font = poster_font(settings.poster_font)
    except NoChineseFont as exc:
        typer.echo(f"frontdoor: {exc}", err=True)
        raise typer.Exit(code=1) from None
    for one in chosen:
        written = write_station(cat, one, username, font, out)
        typer.echo(f"{one.id}: the station's poster and {len(written) // 2 - 1} service "
                   f"posters (PDF, each with its QR code as PNG) in {out / one.id}")
    if preview is not None and chosen:
        preview.write_bytes(preview_png(chosen[0], username, font))
        typer.echo(f"preview: {preview}")


def _bot_username(option: str | None, settings: Settings) -> str:
    """The username deep links name: --bot, the setting, or Telegram's answer to getMe (only
    asked when a token is set); exit 1 when none of them gives one."""
    if option is not None:
        try:
            given = bare_username(option)
        except ValueError:
            given = None
        if given is None:
            typer.echo(f"frontdoor: --bot {option!r} is not a Telegram username", err=True)
            raise typer.Exit(code=1)
        return given
    if settings.bot_username:
        return settings.bot_username
    if settings.bot_token:
        from telegram import Bot
        from telegram.error import TelegramError

        async def ask() -> str | None:
            async with Bot(settings.bot_token, base_url=settings.api_base_url) as telegram:
                return telegram.username

        try:
            asked = asyncio.run(ask())
        except TelegramError as exc:
            typer.echo(f"frontdoor: Telegram did not tell the bot's username ({exc}); "
                       "pass --bot or set FRONTDOOR_BOT_USERNAME", err=True)
            raise typer.Exit(code=1) from None
        if asked:
            return asked
    typer.echo("frontdoor: the bot's username is unknown: pass --bot USERNAME, set "
               "FRONTDOOR_BOT_USERNAME, or set FRONTDOOR_BOT_TOKEN to ask Telegram", err=True)
    raise typer.Exit(code=1)


def main() -> None:
    # PTB 22 warns on every RetryAfter unless told to use timedelta values (its future default).
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    try:
        cli()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
