"""Problems found in a catalogue file, each with file, line and field."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["CatalogueError", "CatalogueIssue"]


@dataclass(frozen=True, slots=True)
class CatalogueIssue:
    """One problem: ``catalogue.yaml:42: services[3].stations[0]: unknown station 'x'``.

    A warning (``warning=True``) is something valid that still wants attention.
    """

    file: str
    line: int | None  # 1-based; None when the problem is not on a line (unreadable file)
    field: str  # path such as "stations[0].windows[1].end"; empty for the whole file
    message: str
    # A warning leaves the catalogue usable: ``file:line: field: warning: message``.
    warning: bool = False

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        if self.field:
            where = f"{where}: {self.field}"
        return f"{where}: warning: {self.message}" if self.warning else f"{where}: {self.message}"


class CatalogueError(Exception):
    """A catalogue that cannot be used; ``issues`` lists every problem found, by line."""

    issues: list[CatalogueIssue]

    def __init__(self, issues: Iterable[CatalogueIssue]) -> None:
        self.issues = sorted(issues, key=lambda issue: issue.line or 0)
        super().__init__("\n".join(str(issue) for issue in self.issues))
