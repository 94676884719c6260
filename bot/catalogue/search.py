"""Free questions matched to the catalogue's services, by character n-grams.

Chinese is written without spaces and a company rarely uses the catalogue's own words, so
text is cut into overlapping two- and three-character pieces (专利质押 → 专利, 利质, 质押,
专利质, 利质押) rather than into words; Latin letters and digits (ISO 9001, 3C, BE) are taken as
whole tokens. A piece counts for a service when it appears in the service's name, keywords,
description or category, weighted by the field (a name says more than a description) and
by how few services share it (利质 is rare; 企业 is everywhere and says almost nothing).

An index is built once per loaded catalogue and only read afterwards.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from bot.catalogue.model import Catalogue, Service, Text

__all__ = ["Match", "ServiceIndex", "indexable", "terms"]

_HAN: Final = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_LATIN: Final = re.compile(r"[a-z0-9]+")
_LETTERS_OR_DIGITS: Final = re.compile(r"[a-z]+|[0-9]+")

# How much a piece found in each field says about the service.
NAME: Final = 3.0
KEYWORD: Final = 3.0
CATEGORY: Final = 1.0
DESCRIPTION: Final = 1.0
CATEGORY_DESCRIPTION: Final = 0.5
# A whole Latin token (ISO, 9001, CCC) is a more exact match than two Chinese characters.
LATIN_WEIGHT: Final = 2.0
# English filler that would otherwise tie every description to every English question.
_ENGLISH_FILLER: Final = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "by", "can", "do", "for", "from", "how", "i", "if",
    "in", "is", "it", "its", "of", "on", "or", "our", "so", "that", "the", "their", "this", "to",
    "we", "what", "when", "which", "who", "with", "you", "your",
})
# Question words that are in every kind of message and mean nothing about a service.
_CHINESE_FILLER: Final = frozenset({
    "没有", "有没", "什么", "怎么", "怎样", "如何", "哪些", "哪个", "可以",
    "能否", "是否", "需要", "请问", "一下", "我们", "你们", "您好",
})
# A service is offered when its score reaches this: about one rare piece of its name or
# keywords, or a few of its description. Below it a match is chance (a word such as 产品).
MIN_SCORE: Final = 4.0


@dataclass(frozen=True, slots=True)
class Match:
    """A service offered for a question; a higher score is a closer match."""

    service_id: str
    score: float


def _normal(text: str) -> str:
    """Full-width letters and digits made plain (３Ｃ → 3c), everything lower-case."""
    return unicodedata.normalize("NFKC", text).lower()


def terms(text: str, *, filler: frozenset[str] = frozenset()) -> set[str]:
    """The pieces of ``text`` that are matched: Chinese bigrams and trigrams, Latin tokens.

    A Latin token mixing letters and digits also counts by its parts (iso9001 → iso, 9001);
    a token in ``filler`` is dropped, and so is a single letter or digit.
    """
    text = _normal(text)
    found: set[str] = set()
    for run in _HAN.findall(text):
        found.update(run[i:i + 2] for i in range(len(run) - 1))
        found.update(run[i:i + 3] for i in range(len(run) - 2))
    found -= _CHINESE_FILLER
    for token in _LATIN.findall(text):
        parts = {token, *_LETTERS_OR_DIGITS.findall(token)}
        found.update(p for p in parts if len(p) >= 2 and p not in filler)
    return found


def indexable(text: str) -> bool:
    """Tell whether ``text`` has anything to match (two Chinese characters, or a token)."""
    return bool(terms(text))


def _is_latin(term: str) -> bool:
    return term.isascii()


def _text_terms(text: Text | None) -> set[str]:
    if text is None:
        return set()
    found = terms(text.zh)
    if text.en:
        found |= terms(text.en, filler=_ENGLISH_FILLER)
    return found


class ServiceIndex:
    """The catalogue's services, ready to be ranked against a question."""

    def __init__(self, catalogue: Catalogue) -> None:
        self._postings: dict[str, dict[str, float]] = {}
        for service in catalogue.services:
            for term, weight in _weighted_terms(catalogue, service).items():
                self._postings.setdefault(term, {})[service.id] = weight
        count = len(catalogue.services)
        # Rarer pieces say more (the idf of BM25: near 0 for a piece every service has).
        self._idf = {
            term: math.log(1 + (count - len(found) + 0.5) / (len(found) + 0.5))
            for term, found in self._postings.items()
        }
        self._order = {service.id: n for n, service in enumerate(catalogue.services)}

    def scores(self, text: str) -> dict[str, float]:
        """Every service that shares a piece with ``text``, with its score."""
        totals: dict[str, float] = {}
        for term in terms(text):
            found = self._postings.get(term)
            if not found:
                continue
            weight = self._idf[term] * (LATIN_WEIGHT if _is_latin(term) else 1.0)
            for service_id, field_weight in found.items():
                totals[service_id] = totals.get(service_id, 0.0) + weight * field_weight
        return totals

    def rank(self, text: str, limit: int = 3) -> list[Match]:
        """The services that match ``text`` well, best first, at most ``limit`` of them."""
        ranked = sorted(
            (Match(service_id, score) for service_id, score in self.scores(text).items()
             if score >= MIN_SCORE),
            key=lambda m: (-m.score, self._order[m.service_id]),
        )
        return ranked[:limit]


def _weighted_terms(catalogue: Catalogue, service: Service) -> dict[str, float]:
    """Each piece of the service's texts with the weight of the best field it is in."""
    category = catalogue.category(service.category)
    fields: Iterable[tuple[float, set[str]]] = (
        (NAME, _text_terms(service.name)),
        (KEYWORD, set().union(*(terms(k) for k in service.keywords))),
        (DESCRIPTION, _text_terms(service.description)),
        (CATEGORY, _text_terms(category.name if category else None)),
        (CATEGORY_DESCRIPTION, _text_terms(category.description if category else None)),
    )
    weights: dict[str, float] = {}
    for weight, found in fields:
        for term in found:
            weights[term] = max(weights.get(term, 0.0), weight)
    return weights
