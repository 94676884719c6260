"""The sandbox's catalogue: the previewed file as read, each station in the sandbox's own topic.

A real deployment writes the staff group's topic numbers into ``topic_id``; the sandbox creates
topics of its own. It reads the file exactly as ``frontdoor run`` does (so an admin sees the
same errors, naming the same file and lines) and only then puts each station in its topic.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from pathlib import Path

from bot.catalogue import Catalogue
from bot.core.runtime import CatalogueHolder


def with_topics(cat: Catalogue, topics: Mapping[str, int]) -> Catalogue:
    """``cat`` with each station's ``topic_id`` set to ``topics[station id]`` where known."""
    stations = tuple(
        dataclasses.replace(s, topic_id=topics[s.id]) if s.id in topics else s
        for s in cat.stations
    )
    return dataclasses.replace(cat, stations=stations)


class TopicCatalogue(CatalogueHolder):
    """The bot's catalogue in the sandbox: every reload reads the previewed file itself (a bad
    edit is refused with the errors ``frontdoor run`` gives), then ``place`` puts its stations
    in the sandbox's topics (the same for a version recorded in the database)."""

    def __init__(self, path: Path, catalogue: Catalogue, default_timezone: str | None,
                 place: Callable[[Catalogue], Catalogue]) -> None:
        super().__init__(path, catalogue, default_timezone)
        self.place = place

    def parse(self, text: str) -> Catalogue:
        return self.place(super().parse(text))


__all__ = ["TopicCatalogue", "with_topics"]
