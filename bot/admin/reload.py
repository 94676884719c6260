"""Admins: reload the catalogue from disk, told precisely what changed or what is wrong."""

from __future__ import annotations

import hashlib

from bot.admin.versions import accept_file
from bot.catalogue import CatalogueDiff, both_languages, summary
from bot.core.context import Ctx
from bot.core.replies import Reply
from bot.core.runtime import ReloadResult
from bot.texts import Raw, t

MAX_ERRORS_SHOWN = 20


def diff_lines(diff: CatalogueDiff, lang: str) -> list[str]:
    """One line per change an admin cares about, in ``lang``."""
    lines: list[str] = []
    for kind, added, removed, renamed in (
        ("station", diff.added_stations, diff.removed_stations, diff.renamed_stations),
        ("service", diff.added_services, diff.removed_services, diff.renamed_services),
    ):
        lines += [t(lang, f"diff_{kind}_added", name=x.name.get(lang), id=x.id) for x in added]
        lines += [t(lang, f"diff_{kind}_removed", name=x.name.get(lang), id=x.id) for x in removed]
        lines += [
            t(lang, f"diff_{kind}_renamed", id=r.id, old=both_languages(r.old),
              new=both_languages(r.new))
            for r in renamed
        ]
    for key, closures in (("diff_closure_added", diff.added_closures),
                          ("diff_closure_removed", diff.removed_closures)):
        lines += [
            t(lang, key, date=c.date.isoformat(),
              stations=", ".join(c.stations) or t(lang, "diff_all_stations"),
              reason=c.reason.get(lang))
            for c in closures
        ]
    if not lines:
        lines.append(t(lang, "diff_other" if diff.other_changes else "diff_none"))
    return lines


def describe_reload(result: ReloadResult, lang: str, *, watched: bool = False) -> str:
    """The admin's message about a reload, in ``lang``."""
    if not result.ok:
        lines = list(result.errors[:MAX_ERRORS_SHOWN])
        if len(result.errors) > MAX_ERRORS_SHOWN:
            lines.append(f"… (+{len(result.errors) - MAX_ERRORS_SHOWN})")
        key = "reload_watch_failed" if watched else "reload_failed"
        return t(lang, key, errors="\n".join(lines))
    text = summary(result.catalogue)
    if result.diff is None or result.diff.is_empty:
        return t(lang, "reload_watch_ok" if watched else "reload_unchanged", summary=text)
    changes = Raw("\n".join(diff_lines(result.diff, lang)))  # each line escaped by t()
    head = t(lang, "reload_watch_ok" if watched else "reload_ok", summary=text)
    return head + "\n" + t(lang, "reload_changes", changes=changes)


async def reload(ctx: Ctx, args: list[str]) -> list[Reply]:
    if not ctx.rt.settings.is_admin(ctx.user.id):
        return [Reply(ctx.t("not_allowed"))]
    # Recorded for every replica to serve (bot.admin.versions), in this unit of work.
    result, _ = await accept_file(ctx, by="reload")
    return [Reply(describe_reload(result, ctx.lang))]


async def announce_reload(ctx: Ctx, result: ReloadResult, version_id: int | None = None) -> None:
    """Tell every admin about a change picked up from disk (through the outbox).

    Only the process that recorded ``version_id`` announces it; a refused edit is refused by
    every replica whose file it is, and its digest makes the news go out once.
    """
    for admin_id in sorted(ctx.rt.settings.admin_ids):
        admin = await ctx.users.get(admin_id)
        lang = admin.language if admin else "zh"
        key = (f"v{version_id}" if version_id is not None else
               result.catalogue.digest[:24] if result.ok else
               "bad-" + hashlib.sha256("\n".join(result.errors).encode()).hexdigest()[:20])
        await ctx.send(admin_id, describe_reload(result, lang, watched=True),
                       dedupe_key=f"reload:{admin_id}:{key}", bulk=True)
