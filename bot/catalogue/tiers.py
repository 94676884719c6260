"""The tiers section: the grades of company on a growth record (分类分级), each with a colour."""

from __future__ import annotations

import unicodedata
from typing import Final

import yaml

from bot.catalogue.checks import unique
from bot.catalogue.model import DEFAULT_TIERS, Tier
from bot.catalogue.nodes import Fields, NodeReader, is_null, join

__all__ = ["read_tiers"]

_TIER_KEYS: Final = {"id": True, "name": True, "emoji": True}
# The companies' column that stores a tier id is this wide.
TIER_ID_MAX_LENGTH: Final = 16
EMOJI_MAX_LENGTH: Final = 8


def read_tiers(reader: NodeReader, top: Fields) -> tuple[Tier, ...]:
    """The file's tiers in order, or the default three when it lists none."""
    if not top.has("tiers") or is_null(top.value_node("tiers")):
        return DEFAULT_TIERS
    node = top.value_node("tiers")
    entries = reader.items(top, "tiers")
    if not entries and isinstance(node, yaml.SequenceNode):
        reader.problem(node, "tiers", "list at least one tier, or leave tiers out")
    ids: dict[str, int] = {}
    tiers = [_tier(reader, entry, path, ids) for entry, path in entries]
    return tuple(t for t in tiers if t is not None) or DEFAULT_TIERS


def _tier(reader: NodeReader, node: yaml.Node, path: str, ids: dict[str, int]) -> Tier | None:
    fields = reader.mapping(node, path, _TIER_KEYS)
    if fields is None:
        return None
    before = len(reader.issues)
    tier_id = reader.get(fields, "id", reader.ident)
    if tier_id is not None and len(tier_id) > TIER_ID_MAX_LENGTH:
        reader.problem(fields.value_node("id"), join(path, "id"),
                       f"'{tier_id}' is too long for a tier id: at most "
                       f"{TIER_ID_MAX_LENGTH} characters")
    unique(reader, tier_id, fields, "id", ids)
    name = reader.get(fields, "name", reader.text)
    emoji = reader.get(fields, "emoji", reader.string)
    if emoji is not None and (len(emoji) > EMOJI_MAX_LENGTH or not any(
            unicodedata.category(ch) == "So" for ch in emoji)):
        reader.problem(fields.value_node("emoji"), join(path, "emoji"),
                       f"'{emoji}' is not a colour emoji such as 🟢")
        emoji = None
    if tier_id is None or name is None or emoji is None or len(reader.issues) > before:
        return None
    return Tier(tier_id, name, emoji)
