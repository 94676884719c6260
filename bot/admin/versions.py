"""One catalogue for every replica: the process that accepts an edit records it, all follow.

The file watcher and /reload read catalogue.yaml; a valid new text is written to
``catalogue_versions`` in the same transaction as the admins' announcement, and served at
once. Every process asks for the newest version's id every few seconds
(``catalogue_poll_seconds``) and serves that version when it is newer than its own, so a
replica whose file never changed serves the edit too. A broken edit is refused where it was
read and never recorded: nobody else ever sees it.
"""

from __future__ import annotations

import asyncio
import logging

from bot.catalogue import CatalogueError, diff_catalogues
from bot.core.context import Ctx, background_work
from bot.core.runtime import ReloadResult, Runtime, refused
from storage.core.catalogue import CatalogueVersions

log = logging.getLogger(__name__)


async def accept_file(ctx: Ctx, *, by: str) -> tuple[ReloadResult, int | None]:
    """Read the file and serve it when valid: a new text is recorded in ``ctx``'s transaction
    and served once that commits.

    The result, and the version's id when this call recorded it (None: refused, unchanged,
    or recorded by another process first).
    """
    holder = ctx.rt.catalogue
    try:
        text, new = holder.read_source()
    except CatalogueError as exc:
        return refused(holder.current, exc), None
    if new.digest == holder.current.digest:
        return holder.put(new), None
    # Problems only the database can see (an event dropped while companies are registered
    # for it) refuse the edit like a bad file: features.add_catalogue_check.
    problems = [line for check in ctx.rt.features.catalogue_checks
                for line in await check(ctx, new)]
    if problems:
        return ReloadResult(False, holder.current, errors=tuple(problems)), None
    version_id, recorded = await ctx.catalogue_versions.record(
        new.digest, text, source=str(holder.path), recorded_by=by,
        admin_id=ctx.user.id if by == "reload" else None, now=ctx.now)

    def serve() -> None:
        # Only once recorded: a rolled-back version must not be served, nor followed from.
        holder.put(new)
        holder.version_id = version_id
        log.info("catalogue %s in service as version %s%s", new.digest[:12], version_id,
                 "" if recorded else " (recorded by another process)")

    ctx.after_commit(serve)
    result = ReloadResult(True, new, diff=diff_catalogues(holder.current, new))
    return result, version_id if recorded else None


async def settle_at_start(rt: Runtime) -> None:
    """Serve what the database records, or record the file this process started with.

    A file never in service is an edit deployed while the bot was down: it is recorded. On
    PostgreSQL a file that was in service before but is no longer the newest is a replica's
    stale copy: the newest version is served instead (an admin's /reload puts the file back).
    On SQLite (one process) the file is always what an admin means.
    """
    holder = rt.catalogue
    async with background_work(rt) as ctx:
        versions = ctx.catalogue_versions
        head = await versions.head()
        digest = holder.current.digest
        if head is not None and head.digest == digest:
            holder.version_id = head.id
            return
        if head is not None and not rt.db.sqlite and await versions.known(digest):
            log.warning("catalogue.yaml here is an older version than the one in service "
                        "(%s); serving version %s", digest[:12], head.id)
            holder.version_id = None  # follow_once takes the newest
        else:
            try:
                text, new = holder.read_source()
            except CatalogueError:
                text, new = "", None
            if new is None or new.digest != digest:
                # Served from elsewhere than its file (a tool's runtime): nothing to record.
                holder.version_id = head.id if head is not None else 0
                return
            holder.version_id, _ = await versions.record(
                digest, text, source=str(holder.path), recorded_by="start", admin_id=None,
                now=ctx.now)
            return
    await follow_once(rt)


async def follow_once(rt: Runtime) -> bool:
    """Serve the newest recorded version if it is newer than the one served; True if swapped."""
    holder = rt.catalogue
    async with rt.db.reader() as session:
        versions = CatalogueVersions(session)
        head = await versions.head()
        if head is None or (holder.version_id is not None and head.id < holder.version_id):
            return False  # nothing recorded, or this process's own edit not yet committed
        if head.digest == holder.current.digest or head.id == holder.refused_id:
            holder.version_id = head.id
            return False
        version = await versions.get(head.id)
    if version is None:
        return False
    try:
        new = holder.parse(version.content)
    except CatalogueError as exc:
        # Recorded by a process that could read it (a newer release, say): keep ours.
        holder.refused_id = head.id
        log.error("catalogue version %s cannot be served here: %s", head.id,
                  "; ".join(str(i) for i in exc.issues[:3]))
        return False
    holder.put(new)
    holder.version_id = version.id
    log.info("catalogue version %s in service (recorded by %s at %s)", version.id,
             version.recorded_by, version.recorded_at.isoformat(timespec="seconds"))
    return True


async def follow_versions(rt: Runtime) -> None:
    """Every ``catalogue_poll_seconds``, serve the newest recorded version."""
    while True:
        await asyncio.sleep(rt.settings.catalogue_poll_seconds)
        try:
            if rt.catalogue.version_id is None:
                await settle_at_start(rt)  # the database could not be asked at start
            else:
                await follow_once(rt)
        except Exception:
            log.warning("could not ask which catalogue is in service", exc_info=True)
