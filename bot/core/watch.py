"""Tell when a file on disk changes: the catalogue in service, or one being previewed."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import watchfiles


def file_changes(path: Path, *, settle_seconds: float = 0.2) -> AsyncIterator[None]:
    """Yield once per change of ``path`` (written, created, or replaced by rename).

    The folder is watched rather than the file: editors save by writing a new file and
    renaming it over the old one, and a watch on the old file would see nothing after that.
    Changes within ``settle_seconds`` of each other are one change (an editor's several writes).
    """
    return _changes(Path(os.path.abspath(path)), max(int(settle_seconds * 1000), 10))


async def _changes(target: Path, step: int) -> AsyncIterator[None]:
    def is_target(_change: watchfiles.Change, changed: str) -> bool:
        return Path(changed) == target

    async for _ in watchfiles.awatch(target.parent, watch_filter=is_target, recursive=False,
                                     step=step, debounce=max(step * 8, 1600)):
        yield
