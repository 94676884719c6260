"""``frontdoor``: run the bot, check a catalogue, migrate the database."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bot.core.settings import Settings, SettingsError, load_settings

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


def main() -> None:
    # PTB 22 warns on every RetryAfter unless told to use timedelta values (its future default).
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    try:
        cli()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
