"""Free questions matched to the catalogue: the ranking over the shipped catalogue.yaml.

The questions below are what companies type when they do not know the catalogue's wording.
They were written before any service had ``keywords:``, and more than half of them share no
two-character word with the name of the service they are about.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.catalogue import Catalogue, load_catalogue, parse_catalogue
from bot.catalogue.search import ServiceIndex
from tests.test_catalogue import FILE, edit, issue_at, marked_line

SHIPPED = Path(__file__).resolve().parent.parent / "catalogue.yaml"

# (what a company types, the service it needs)
QUESTIONS: list[tuple[str, str]] = [
    ("专利质押怎么办理？", "ip-pledge-financing"),
    ("我们想用公司的发明专利向银行贷款，可以吗？", "ip-pledge-financing"),
    ("商标能不能抵押给银行借钱？", "ip-pledge-financing"),
    ("有没有专利方面的保险可以买？", "ip-insurance"),
    ("打专利官司的费用能不能投保？", "ip-insurance"),
    ("我们的发明专利申请想快一点授权，有什么办法？", "patent-fast-track"),
    ("发现别家在仿造我们的发明产品，怎么尽快制止？", "patent-fast-track"),
    ("想注册一个商标，需要准备哪些材料？", "trademark-guidance"),
    ("商标快到期了，怎么续期？", "trademark-guidance"),
    ("公司的logo想注册保护起来，找谁咨询？", "trademark-guidance"),
    ("怎么申请上海品牌认证？", "shanghai-brand"),
    ("我们想评“上海品牌”，能不能先帮我们看看申报材料？", "shanghai-brand"),
    ("想做ISO9001认证，有人指导吗？", "qms-coaching"),
    ("公司想建立一套质量管理制度，不知道从哪入手", "qms-coaching"),
    ("首席质量官培训什么时候报名？", "chief-quality-officer"),
    ("想安排品控经理去上课，有没有相关课程？", "chief-quality-officer"),
    ("产品老是出质量问题，能不能请专家来厂里看看？", "quality-diagnosis"),
    ("产品合格率低、返工多，一直找不到原因", "quality-diagnosis"),
    ("企业标准要在哪个平台上公开？", "standard-self-declaration"),
    ("我们产品用的企标怎么对外公布？", "standard-self-declaration"),
    ("几家同行想一起定个行业规范，怎么立项？", "group-standard"),
    ("想和国外同类产品比一比，看看差距在哪", "benchmarking"),
    ("这个产品应该执行哪个国家标准？", "standard-lookup"),
    ("想查一下我们产品适用的国标和行标", "standard-lookup"),
    ("我们的产品想做个认证，不知道该找哪家认证机构", "certification-consulting"),
    ("我们的电线电缆没有3C能上市卖吗？", "ccc-guidance"),
    ("我们的涂料是低VOC的，想拿个环保标志", "green-certification"),
    ("仿制药一致性评价要做BE，能帮忙联系有资质的医院吗？", "clinical-trial-matching"),
    ("环评和消防的审批卡住了，谁能帮忙沟通一下？", "cross-department"),
    ("有没有针对小微企业的补贴可以申请？", "policy-consulting"),
]

# Written after the keywords were added, and never used to choose them: how the search does
# on questions it was not tuned for.
HELD_OUT: list[tuple[str, str]] = [
    ("知识产权能融资吗？", "ip-pledge-financing"),
    ("我们有几件实用新型专利，能换点流动资金吗？", "ip-pledge-financing"),
    ("担心被竞争对手起诉专利侵权，有什么保障？", "ip-insurance"),
    ("发明专利审查太慢了，能加速吗？", "patent-fast-track"),
    ("商标被驳回了怎么办？", "trademark-guidance"),
    ("想给新产品起个牌子并保护起来", "trademark-guidance"),
    ("公司想拿个质量方面的荣誉，上海有什么品牌评选？", "shanghai-brand"),
    ("客户要求我们通过质量体系审核", "qms-coaching"),
    ("质量管理人员有什么培训？", "chief-quality-officer"),
    ("一批货被客户退回来了，说有质量缺陷", "quality-diagnosis"),
    ("产品执行标准怎么在网上声明？", "standard-self-declaration"),
    ("我们想牵头起草一个团体标准", "group-standard"),
    ("想知道我们的产品和国际先进水平差多少", "benchmarking"),
    ("在哪里能查到某个标准的全文和是否有效？", "standard-lookup"),
    ("我们的产品想做认证，怎么选认证机构？", "certification-consulting"),
    ("哪些产品必须做强制认证？", "ccc-guidance"),
    ("绿色产品标识怎么申请？", "green-certification"),
    ("医疗器械想找医院做临床，怎么对接？", "clinical-trial-matching"),
    ("厂房改造涉及规划和住建，两边说法不一样", "cross-department"),
    ("今年市场监管有什么扶持资金可以申报？", "policy-consulting"),
]

# Messages that are about no service, some sharing a word or two with the catalogue's texts
# (企业, 了解, 回复, 帮助): nothing is offered for them.
UNRELATED = [
    "你好", "在吗？", "好的，知道了", "我们是一家小企业", "我想了解一下", "麻烦尽快回复",
    "收到，谢谢您的帮助", "1234", "hello",
]

REQUIRED_HITS = 27


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(SHIPPED)


@pytest.fixture(scope="module")
def index(catalogue: Catalogue) -> ServiceIndex:
    return ServiceIndex(catalogue)


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)}


def test_the_questions_name_real_services_and_mostly_avoid_their_names(
    catalogue: Catalogue,
) -> None:
    assert len(QUESTIONS) == 30
    for _, service_id in QUESTIONS:
        assert catalogue.service(service_id) is not None, service_id
    names = {service.id: service.name.zh for service in catalogue.services}
    own_words = [
        question for question, service_id in QUESTIONS
        if _bigrams(question) & _bigrams(names[service_id])
    ]
    assert len(QUESTIONS) - len(own_words) >= len(QUESTIONS) // 2, own_words


def hits(index: ServiceIndex, questions: list[tuple[str, str]]) -> tuple[int, list[str]]:
    """How many questions have their service among the three offered, and the misses."""
    missed = []
    for question, expected in questions:
        offered = [m.service_id for m in index.rank(question, limit=3)]
        if expected not in offered:
            missed.append(f"{question} → {offered} (expected {expected})")
    return len(questions) - len(missed), missed


def test_the_service_asked_about_is_among_the_three_offered(index: ServiceIndex) -> None:
    count, missed = hits(index, QUESTIONS)
    print(f"\nfree-question hits: {count}/{len(QUESTIONS)}")
    assert count >= REQUIRED_HITS, "\n".join(missed)


def test_questions_the_keywords_were_not_chosen_for_mostly_find_their_service(
    index: ServiceIndex,
) -> None:
    count, missed = hits(index, HELD_OUT)
    print(f"\nheld-out hits: {count}/{len(HELD_OUT)}")
    assert count >= len(HELD_OUT) * 4 // 5, "\n".join(missed)


@pytest.mark.parametrize("text", UNRELATED)
def test_small_talk_matches_no_service(index: ServiceIndex, text: str) -> None:
    assert index.rank(text, limit=3) == []


def test_a_reloaded_catalogue_is_searched_with_its_own_keywords(catalogue: Catalogue) -> None:
    """The index is the catalogue's: a keyword added to the file is found once it is loaded."""
    question = "直播带货要办什么手续？"
    assert "cross-department" not in [m.service_id for m in ServiceIndex(catalogue).rank(question)]
    text = SHIPPED.read_text(encoding="utf-8").replace(
        "keywords: [多个部门,", "keywords: [直播带货, 多个部门,")
    edited = parse_catalogue(text, "catalogue.yaml")
    assert [m.service_id for m in ServiceIndex(edited).rank(question)][:1] == ["cross-department"]


# -- the keywords and general fields in catalogue.yaml ----------------------------------------

SERVICE_END = "    delivery: request\n    stations: [bio-park]\n"


def test_keywords_and_the_general_service_are_read() -> None:
    cat = parse_catalogue(edit((SERVICE_END, SERVICE_END + (
        "    keywords: [上海品牌, ISO 9001]\n"
        "    general: true\n"
    ))), FILE)
    brand = cat.service("shanghai-brand")
    assert brand is not None
    assert brand.keywords == ("上海品牌", "ISO 9001")
    assert cat.general_service() == brand
    assert [s.keywords for s in cat.services] == [(), ("上海品牌", "ISO 9001")]


def test_the_shipped_catalogue_files_free_questions_as_other_needs(catalogue: Catalogue) -> None:
    general = catalogue.general_service()
    assert general is not None
    assert (general.id, general.requestable, general.form) == ("other-needs", True, ())


KEYWORD_CASES = [
    pytest.param(
        edit((SERVICE_END, SERVICE_END + "    keywords: 上海品牌  # <-\n")),
        "services[1].keywords",
        "expected a list, found '上海品牌'",
        id="keywords-not-a-list",
    ),
    pytest.param(
        edit((SERVICE_END, SERVICE_END + "    keywords:\n      - 品牌\n      - {zh: 品牌}  # <-\n")),
        "services[1].keywords[1]",
        "expected text, found a mapping",
        id="keyword-not-text",
    ),
    pytest.param(
        edit((SERVICE_END, SERVICE_END + "    keywords:\n      - 品牌\n      - 税  # <-\n")),
        "services[1].keywords[1]",
        "'税' cannot be searched: a keyword needs at least two Chinese characters",
        id="keyword-too-short-to-search",
    ),
    pytest.param(
        edit((SERVICE_END, SERVICE_END + "    keywords: [" + "品" * 31 + "]  # <-\n")),
        "services[1].keywords[0]",
        "is too long for a keyword: at most 30 characters",
        id="keyword-too-long",
    ),
    pytest.param(
        edit((SERVICE_END, SERVICE_END + "    keywords:\n      - 上海品牌\n      - 上海品牌  # <-\n")),
        "services[1].keywords[1]",
        "'上海品牌' is listed twice (first on line",
        id="keyword-repeated",
    ),
    pytest.param(
        edit((SERVICE_END, SERVICE_END + "    general: maybe  # <-\n")),
        "services[1].general",
        "expected true or false, found 'maybe'",
        id="general-not-a-boolean",
    ),
    pytest.param(
        edit(("    delivery: both\n", "    delivery: both\n    general: true  # <-\n")),
        "services[0].general",
        "a general service can ask no required questions",
        id="general-service-with-required-questions",
    ),
    pytest.param(
        edit(("    delivery: request\n", "    delivery: visit\n    general: true  # <-\n")),
        "services[1].general",
        "a general service needs delivery: request or both",
        id="general-service-not-taking-requests",
    ),
    pytest.param(
        edit(
            ("        prompt: 关注哪一类保险？\n", "        prompt: 关注哪一类保险？\n        required: false\n"),
            ("    delivery: both\n", "    delivery: both\n    general: true\n"),
            (SERVICE_END, SERVICE_END + "    general: true  # <-\n"),
        ),
        "services[1].general",
        "only one service can take free questions (general: true is already set on line",
        id="two-general-services",
    ),
]


@pytest.mark.parametrize(("text", "field", "message"), KEYWORD_CASES)
def test_each_keyword_or_general_mistake_is_reported_at_its_line_and_field(
    text: str, field: str, message: str
) -> None:
    issue = issue_at(text, field)
    assert message in issue.message
    assert issue.line == marked_line(text)


def test_a_keyword_written_again_in_other_letters_is_reported_with_the_first_line() -> None:
    """Case and full-width letters do not make another keyword: the search sees the same."""
    text = edit((SERVICE_END, SERVICE_END + "    keywords:\n      - ISO 9001\n      - iso ９００１\n"))
    issue = issue_at(text, "services[1].keywords[1]")
    first = text.splitlines().index("      - ISO 9001") + 1
    assert issue.message == f"'iso ９００１' is listed twice (first on line {first})"
