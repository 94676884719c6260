"""The categories and services sections, with each service's intake form."""

from __future__ import annotations

from typing import Final

import yaml

from bot.catalogue.checks import Pending, ServiceDraft, unique
from bot.catalogue.model import (
    Category,
    Choice,
    Defaults,
    Delivery,
    Question,
    QuestionType,
    Service,
)
from bot.catalogue.nodes import Fields, NodeReader, Ref, join, line
from bot.catalogue.search import indexable, terms

__all__ = ["read_category", "read_service"]

_QUESTION_TYPES: Final[tuple[QuestionType, ...]] = ("text", "number", "choice", "date")
KEYWORD_MAX_LENGTH: Final = 30
_DELIVERIES: Final[tuple[Delivery, ...]] = ("request", "visit", "both")

# The keys each kind of mapping may have; True marks the required ones.
_CATEGORY_KEYS: Final = {"id": True, "name": True, "description": False}
_SERVICE_KEYS: Final = {
    "id": True,
    "category": True,
    "name": True,
    "description": True,
    "bring": False,
    "delivery": True,
    "stations": False,
    "response_hours": False,
    "form": False,
    "keywords": False,
    "general": False,
}
_QUESTION_KEYS: Final = {
    "key": True,
    "prompt": True,
    "type": False,
    "required": False,
    "choices": False,
}
_CHOICE_KEYS: Final = {"id": True, "label": True}


def read_category(
    reader: NodeReader, node: yaml.Node, path: str, ids: dict[str, int], pending: Pending
) -> Category | None:
    before = len(reader.issues)
    fields = reader.mapping(node, path, _CATEGORY_KEYS)
    if fields is None:
        return None
    category_id = reader.get(fields, "id", reader.ident)
    unique(reader, category_id, fields, "id", ids)
    if category_id is not None:
        pending.category_nodes.setdefault(category_id, (node, path))
    name = reader.get(fields, "name", reader.text)
    description = reader.get(fields, "description", reader.text)
    if category_id is None or name is None or len(reader.issues) > before:
        return None
    return Category(id=category_id, name=name, description=description)


def read_service(
    reader: NodeReader,
    node: yaml.Node,
    path: str,
    defaults: Defaults,
    ids: dict[str, int],
    general_lines: list[int],
) -> ServiceDraft:
    """One service; ``general_lines`` collects the lines of ``general: true``."""
    before = len(reader.issues)
    draft = ServiceDraft(None, node, path, None, None, [], None)
    fields = reader.mapping(node, path, _SERVICE_KEYS)
    if fields is None:
        return draft
    draft.id = reader.get(fields, "id", reader.ident)
    unique(reader, draft.id, fields, "id", ids)
    category = reader.get(fields, "category", reader.ident)
    if category is not None:
        draft.category = Ref(category, fields.value_node("category"), join(path, "category"))
    name = reader.get(fields, "name", reader.text)
    description = reader.get(fields, "description", reader.text)
    bring = [reader.text(item, item_path) for item, item_path in reader.items(fields, "bring")]
    draft.delivery = reader.get(
        fields, "delivery", reader.one_of("delivery", _DELIVERIES, "use request, visit or both")
    )
    draft.stations = reader.id_list(fields, "stations", "station")
    response_hours = reader.get(fields, "response_hours", reader.positive)
    keys: dict[str, int] = {}
    form = [
        _question(reader, item, item_path, keys)
        for item, item_path in reader.items(fields, "form")
    ]
    keywords = _keywords(reader, fields)
    general = reader.get(fields, "general", reader.boolean)
    if general:
        _general(reader, fields, draft.delivery, form, general_lines)
    if (
        draft.id is None
        or category is None
        or name is None
        or description is None
        or draft.delivery is None
        or len(reader.issues) > before
    ):
        return draft
    draft.service = Service(
        id=draft.id,
        category=category,
        name=name,
        description=description,
        bring=tuple(t for t in bring if t is not None),
        delivery=draft.delivery,
        stations=tuple(ref.id for ref in draft.stations),  # resolved in cross_check
        response_hours=defaults.response_hours if response_hours is None else response_hours,
        form=tuple(q for q in form if q is not None),
        keywords=keywords,
        general=bool(general),
    )
    return draft


def _keywords(reader: NodeReader, fields: Fields) -> tuple[str, ...]:
    """Words a company would type for the service: each searchable, none listed twice."""
    keywords: list[str] = []
    seen: dict[frozenset[str], int] = {}
    for node, path in reader.items(fields, "keywords"):
        word = reader.string(node, path)
        if word is None:
            continue
        if len(word) > KEYWORD_MAX_LENGTH:
            reader.problem(
                node, path, f"'{word}' is too long for a keyword: at most "
                f"{KEYWORD_MAX_LENGTH} characters (a word or a short phrase)",
            )
            continue
        if not indexable(word):
            reader.problem(
                node, path, f"'{word}' cannot be searched: a keyword needs at least two "
                "Chinese characters, or two letters or digits, besides words every question "
                "has (怎么, 可以, 需要, ...)",
            )
            continue
        pieces = frozenset(terms(word))
        if pieces in seen:
            reader.problem(node, path, f"'{word}' is listed twice (first on line {seen[pieces]})")
            continue
        seen[pieces] = line(node)
        keywords.append(word)
    return tuple(keywords)


def _general(
    reader: NodeReader,
    fields: Fields,
    delivery: Delivery | None,
    form: list[Question | None],
    general_lines: list[int],
) -> None:
    """The service that takes free questions: only one, taking requests, asking nothing."""
    node = fields.value_node("general")
    path = join(fields.path, "general")
    if general_lines:
        reader.problem(
            node, path, "only one service can take free questions "
            f"(general: true is already set on line {general_lines[0]})",
        )
    general_lines.append(line(node))
    if delivery == "visit":
        reader.problem(
            node, path, "free questions are filed as requests: a general service needs "
            "delivery: request or both",
        )
    if any(q is not None and q.required for q in form):
        reader.problem(
            node, path, "a free question is filed as it was typed: a general service can "
            "ask no required questions (mark them required: false)",
        )


def _question(
    reader: NodeReader, node: yaml.Node, path: str, keys: dict[str, int]
) -> Question | None:
    before = len(reader.issues)
    fields = reader.mapping(node, path, _QUESTION_KEYS)
    if fields is None:
        return None
    key = reader.get(fields, "key", reader.ident)
    unique(reader, key, fields, "key", keys)
    prompt = reader.get(fields, "prompt", reader.text)
    kind: QuestionType | None = "text"
    if fields.has("type"):
        kind = reader.get(
            fields,
            "type",
            reader.one_of("type", _QUESTION_TYPES, "use text, number, choice or date"),
        )
    required = reader.get(fields, "required", reader.boolean)
    choices = _choices(reader, fields, kind)
    if key is None or prompt is None or kind is None or len(reader.issues) > before:
        return None
    return Question(
        key=key,
        prompt=prompt,
        type=kind,
        required=True if required is None else required,
        choices=choices,
    )


def _choices(
    reader: NodeReader, fields: Fields, kind: QuestionType | None
) -> tuple[Choice, ...]:
    path = join(fields.path, "choices")
    if kind != "choice":
        if fields.has("choices") and kind is not None:
            reader.problem(
                fields.key_node("choices"),
                path,
                f"only a question of type choice has choices (this one is {kind})",
            )
        return ()
    items = reader.items(fields, "choices")
    if not items:
        where = fields.value_node("choices") if "choices" in fields.items else fields.node
        reader.problem(where, path, "a choice question needs at least one choice")
        return ()
    choices: list[Choice] = []
    ids: dict[str, int] = {}
    for node, choice_path in items:
        choice_fields = reader.mapping(node, choice_path, _CHOICE_KEYS)
        if choice_fields is None:
            continue
        choice_id = reader.get(choice_fields, "id", reader.ident)
        unique(reader, choice_id, choice_fields, "id", ids)
        label = reader.get(choice_fields, "label", reader.text)
        if choice_id is not None and label is not None:
            choices.append(Choice(id=choice_id, label=label))
    return tuple(choices)
