"""The sandbox's copy of a catalogue: the same file, with the sandbox's own forum topics.

A real deployment writes the staff group's topic numbers into ``topic_id``; the sandbox
creates its own topics, so its copy of the catalogue names those instead. Values are replaced
where they stand, so the copy keeps the original's comments and (nearly always) its line
numbers, and an error the bot reports about the copy points at the right line of the original.
"""

from __future__ import annotations

from collections.abc import Mapping

import yaml


def _station_nodes(text: str) -> list[yaml.MappingNode]:
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if (isinstance(key, yaml.ScalarNode) and key.value == "stations"
                and isinstance(value, yaml.SequenceNode)):
            return [n for n in value.value if isinstance(n, yaml.MappingNode)]
    return []


def with_topics(text: str, topics: Mapping[str, int]) -> str:
    """``text`` with each station's ``topic_id`` set to ``topics[station id]``."""
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement) in characters
    for node in _station_nodes(text):
        fields = {k.value: (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}
        ident = fields.get("id")
        if ident is None or not isinstance(ident[1], yaml.ScalarNode):
            continue
        topic = topics.get(str(ident[1].value))
        if topic is None:
            continue
        if "topic_id" in fields:
            value = fields["topic_id"][1]
            edits.append((value.start_mark.index, value.end_mark.index, str(topic)))
        elif node.flow_style:
            # "{id: x, ...}": add the key inside the braces, on the same line.
            end = node.end_mark.index - 1
            edits.append((end, end, f", topic_id: {topic}"))
        else:
            # A new line under the id (the only edit that moves later line numbers).
            key, value = ident
            line_end = text.find("\n", value.end_mark.index)
            line_end = len(text) if line_end < 0 else line_end
            indent = " " * key.start_mark.column
            edits.append((line_end, line_end, f"\n{indent}topic_id: {topic}"))
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text
