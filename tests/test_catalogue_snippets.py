"""Officers' saved answers in the catalogue: read, scoped, and every mistake at its line."""

from __future__ import annotations

from pathlib import Path

from bot.catalogue import load_catalogue, parse_catalogue
from tests.test_catalogue import BASE, FILE, issue_at, marked_line

SHIPPED = Path(__file__).resolve().parent.parent / "catalogue.yaml"

SNIPPETS = """\
snippets:
  - id: received
    name: {zh: 已收到, en: Received}
    keywords: [收到, sd]
    text: {zh: "{company}您好，{reference} 已收到。", en: "Dear {company}, {reference} received."}
  - id: insurance-kinds
    name: 保险险种
    keywords: 险种
    services: [ip-insurance]
    text: "{officer}为您介绍{station}可办理的险种。"
  - id: quality-visit
    name: 质量走访
    keywords: [走访]
    categories: [quality]
    text: "{station}将安排走访。"
"""


def with_snippets(*changes: tuple[str, str]) -> str:
    text = BASE + SNIPPETS
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def test_snippets_are_read_with_their_keywords_and_scope() -> None:
    cat = parse_catalogue(with_snippets(), FILE)
    received = cat.snippets[0]
    assert received.keywords == ("收到", "sd")
    assert received.fill("en", {"company": "ACME", "reference": "RP-2612-0001"}) \
        == "Dear ACME, RP-2612-0001 received."
    assert cat.snippets[1].keywords == ("险种",)  # one keyword may stand alone
    assert [s.id for s in cat.snippets_for("ip-insurance")] == ["received", "insurance-kinds"]
    assert [s.id for s in cat.snippets_for("shanghai-brand")] == ["received", "quality-visit"]


def test_a_catalogue_without_snippets_is_still_valid() -> None:
    assert parse_catalogue(BASE, FILE).snippets == ()


def test_the_shipped_snippets_fit_their_services() -> None:
    cat = load_catalogue(SHIPPED)
    ids = {s.id for s in cat.snippets}
    assert {"received", "materials-list", "window-meeting", "resolution-note"} <= ids
    assert "pledge-documents" in {s.id for s in cat.snippets_for("ip-pledge-financing")}
    assert "pledge-documents" not in {s.id for s in cat.snippets_for("other-needs")}
    for snippet in cat.snippets:
        assert snippet.text.en, f"{snippet.id} has no English"


def test_an_unknown_placeholder_is_reported_with_a_suggestion() -> None:
    text = with_snippets(('text: "{officer}为您介绍{station}可办理的险种。"',
                          'text: "{officr}为您介绍{station}可办理的险种。"  # <-'))
    issue = issue_at(text, "snippets[1].text")
    assert issue.line == marked_line(text)
    assert "unknown placeholder {officr} (did you mean {officer}?)" in issue.message


def test_a_placeholder_in_a_literal_block_is_reported_at_its_own_line() -> None:
    block = ("text:\n      zh: |-\n        {company}您好：\n        请于本周内补充材料。\n"
             "        如有疑问请联系{compnay}。\n      en: Hello")
    text = with_snippets(('text: "{station}将安排走访。"', block))
    expected = next(n for n, line in enumerate(text.splitlines(), start=1)
                    if "{compnay}" in line)
    issue = issue_at(text, "snippets[2].text.zh")
    assert issue.line == expected
    assert "did you mean {company}?" in issue.message


def test_a_brace_without_its_pair_is_reported() -> None:
    text = with_snippets(('"{station}将安排走访。"', '"{station}将安排走访。{"  # <-'))
    issue = issue_at(text, "snippets[2].text")
    assert issue.line == marked_line(text)
    assert "brace" in issue.message


def test_an_unknown_scope_is_reported_at_its_line() -> None:
    text = with_snippets(("services: [ip-insurance]", "services: [ip-insurence]  # <-"),
                         ("categories: [quality]", "categories: [qualty]"))
    issue = issue_at(text, "snippets[1].services[0]")
    assert issue.line == marked_line(text)
    assert "unknown service 'ip-insurence' (did you mean 'ip-insurance'?)" in issue.message
    category = issue_at(text, "snippets[2].categories[0]")
    assert "unknown category 'qualty' (did you mean 'quality'?)" in category.message


def test_a_repeated_id_or_keyword_is_reported_at_the_second() -> None:
    text = with_snippets(("  - id: quality-visit", "  - id: received  # <-"))
    issue = issue_at(text, "snippets[2].id")
    assert issue.line == marked_line(text)
    assert "'received' is already used" in issue.message
    text = with_snippets(("keywords: [走访]", "keywords: [走访, SD]  # <-"))
    issue = issue_at(text, "snippets[2].keywords[1]")
    assert issue.line == marked_line(text)
    assert "keyword 'SD' is already used (line " in issue.message


def test_an_empty_text_or_no_keyword_is_reported() -> None:
    text = with_snippets(('text: "{station}将安排走访。"', 'text: ""  # <-'))
    issue = issue_at(text, "snippets[2].text")
    assert issue.line == marked_line(text)
    assert "empty" in issue.message
    text = with_snippets(("keywords: [走访]", "keywords: []  # <-"))
    issue = issue_at(text, "snippets[2].keywords")
    assert issue.line == marked_line(text)
    text = with_snippets(('"{station}将安排走访。"', '"' + "长" * 3001 + '"  # <-'))
    assert "at most 3000 characters" in issue_at(text, "snippets[2].text").message
    text = with_snippets(("keywords: [走访]", "keywords: [上门 走访]  # <-"))
    issue = issue_at(text, "snippets[2].keywords[0]")
    assert "cannot be a keyword" in issue.message
