"""Growth records (成长档案): officers read a company's record in the staff group, grade it, tag
it, note it, page its timeline, export it; the company sees only what it received."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest

from bot.core.clock import ManualClock
from bot.texts import t
from frontdoor_emulator import ChatMessage, User
from tests.harness import ACME_CODE, BETA_CODE, CATALOGUE, BotUnderTest, matches, shown
from tests.requests_steps import card_of, claimed, forge_press, submit

ACME = "上海示例科技有限公司"
BETA = "上海示例材料有限公司"


async def in_group(bot: BotUnderTest, officer: User, text: str, key: str) -> ChatMessage:
    """``officer`` types ``text`` in the staff group; the bot's answer showing ``key``."""
    bot.emu.send_text(officer, text, chat=bot.staff)
    return await bot.emu.next_message(bot.staff, lambda m: matches(key, m.content))


async def record_of(bot: BotUnderTest, officer: User, query: str) -> ChatMessage:
    return await in_group(bot, officer, f"/company {query}", "gr_title")


def timeline_of(record: ChatMessage) -> list[str]:
    """The record's timeline lines, as shown (newest first)."""
    head = shown("gr_timeline_head", page=1, pages=1, zone="北京时间").split("（")[0]
    assert head in record.text, record.text
    return record.text.split(head, 1)[1].splitlines()[1:]


async def test_the_record_tells_the_companys_story_newest_first(any_bot: BotUnderTest) -> None:
    bot = any_bot
    alice = bot.user("Alice")
    await bot.register(alice)
    reference = await submit(bot, alice, "想了解专利质押融资")
    li = bot.officers[0]
    card = await claimed(bot, li, await card_of(bot, reference))
    bot.emu.skip_unread(alice)
    bot.emu.press_button(li, card, t("zh", "btn_resolve"))
    rating = await bot.emu.next_message(alice, lambda m: any(
        b.text.startswith("★★★★★") for b in m.buttons))
    rated = await bot.press(alice, rating, next(b.text for b in rating.buttons
                                                if b.text.startswith("★★★★★")))
    assert reference in rated.text
    await bot.drained()

    record = await record_of(bot, li, reference)  # a request's reference finds its company
    assert ACME in record.text
    assert "王经理" in record.text
    assert "Alice" in record.text
    assert t("zh", "tier_standard") in record.text
    assert shown("gr_received", resolved=1, attended=0, open=0, upcoming=0) in record.text
    lines = timeline_of(record)
    kinds = [next((k for k in ("tl_request_rated", "tl_request_resolved",
                               "tl_request_submitted", "tl_registered")
                   if line.split(" ", 2)[-1].startswith(t("zh", k))), line) for line in lines]
    assert kinds == ["tl_request_rated", "tl_request_resolved", "tl_request_submitted",
                     "tl_registered"]
    assert "李科员" in lines[1]
    assert reference in lines[1]
    assert "★★★★★" in lines[0]
    assert "Alice" in lines[0]


async def test_only_officers_in_their_group_read_a_record(bot: BotUnderTest) -> None:
    alice = bot.user("Alice")
    await bot.register(alice)
    refused = await bot.say(alice, f"/company {ACME}")
    assert refused.text == t("zh", "gr_staff_only")
    assert ACME not in refused.text
    li = bot.officers[0]
    in_private = await bot.say(li, f"/company {ACME}")
    assert in_private.text == t("zh", "staff_only_in_group")
    for command in (f"/note {ACME} 内部情况", f"/tag {ACME} 专精特新"):
        told = await bot.say(alice, command)
        assert told.text == t("zh", "gr_staff_only")
    record = await record_of(bot, li, ACME)
    assert "内部情况" not in record.text
    assert "专精特新" not in record.text


async def test_an_ambiguous_name_offers_the_companies_and_an_unknown_one_is_said(
        bot: BotUnderTest) -> None:
    alice, bob = bot.user("Alice"), bot.user("Bob")
    await bot.register(alice)
    await bot.register(bob, name=BETA, code=BETA_CODE)
    li = bot.officers[0]
    pick = await in_group(bot, li, "/company 示例", "gr_pick")
    assert sorted(b.text for b in pick.buttons) == sorted([ACME, BETA])
    bot.emu.press_button(li, pick, BETA)
    record = await bot.emu.wait_for_edit(pick, lambda m: matches("gr_title", m.text))
    assert BETA in record.text
    assert ACME not in record.text
    unknown = await in_group(bot, li, "/company 不存在的公司", "gr_unknown")
    assert "不存在的公司" in unknown.text
    usage = await in_group(bot, li, "/company", "gr_usage_company")
    assert usage.buttons == []
    by_code = await record_of(bot, li, BETA_CODE)
    assert BETA in by_code.text


async def test_officers_grade_tag_and_note_and_each_change_is_on_the_timeline(
        bot: BotUnderTest) -> None:
    alice = bot.user("Alice")
    await bot.register(alice)
    li = bot.officers[0]
    record = await record_of(bot, li, ACME)
    growth = next(b.text for b in record.buttons if t("zh", "gr_btn_export") != b.text
                  and "成长型" in b.text)
    query = bot.emu.press_button(li, record, growth)
    toast = await bot.emu.wait_for_callback_answer(query)
    assert matches("gr_tier_set", toast.text)
    record = await bot.emu.wait_for_edit(record, lambda m: any(
        b.text.startswith("✓") and "成长型" in b.text for b in m.buttons))
    assert "🟢成长型" in record.text
    assert any(t("zh", "tl_tier") in line and "李科员" in line for line in timeline_of(record))

    added = await in_group(bot, li, f"/tag {ACME} 专精特新 高新技术企业", "gr_tag_added")
    assert "专精特新" in added.text
    await in_group(bot, li, f"/tag {ACME} 专精特新", "gr_tag_exists")
    await in_group(bot, li, f"/untag {ACME} 高新技术企业", "gr_tag_removed")
    await in_group(bot, li, f"/untag {ACME} 不存在", "gr_tag_missing")
    await in_group(bot, li, f"/note {ACME} 企业计划明年申报专精特新", "gr_note_saved")
    record = await record_of(bot, li, ACME)
    assert shown("gr_profile", code="", station="", tier="", tags="专精特新", contact="",
                 phone="", members="", since="").split("标签：")[1].split("\n")[0] \
        in record.text
    lines = timeline_of(record)
    assert "🔒" in lines[0]
    assert "企业计划明年申报专精特新" in lines[0]
    assert any(t("zh", "tl_tag_removed") in line and "高新技术企业" in line for line in lines)

    # The company's own profile: what it received, never notes, tier or tags.
    profile = await bot.say(alice, "/profile")
    assert matches("gr_profile_summary", profile.text)
    for secret in ("专精特新", "成长型", "申报", "李科员"):
        assert secret not in profile.text


async def test_the_timeline_pages_in_place_and_forged_buttons_change_nothing(
        bot: BotUnderTest) -> None:
    alice = bot.user("Alice")
    await bot.register(alice)
    li = bot.officers[0]
    for n in range(10):
        await in_group(bot, li, f"/note {ACME} 第{n}次走访", "gr_note_saved")
    first = await record_of(bot, li, ACME)
    assert "第9次走访" in first.text
    assert "第0次走访" not in first.text
    assert t("zh", "gr_btn_newer") not in [b.text for b in first.buttons]
    bot.emu.press_button(li, first, t("zh", "gr_btn_older"))
    second = await bot.emu.wait_for_edit(first, lambda m: "第0次走访" in m.text)
    assert second.message_id == first.message_id
    assert "第9次走访" not in second.text
    assert t("zh", "gr_btn_newer") in [b.text for b in second.buttons]

    company_id = second.buttons[0].callback_data.split(":")[2]
    for data in (f"gr:t:{company_id}:platinum", "gr:t:999999:key", "gr:p:1x:0",
                 "gr:fd:abc", "gr:zz:1"):
        answer = await bot.emu.wait_for_callback_answer(forge_press(bot, li, second, data))
        assert answer.text == t("zh", "stale_button"), data
    # A company forging a record's button in its own chat changes nothing either.
    private = bot.emu.last_message(alice)
    assert private is not None
    answer = await bot.emu.wait_for_callback_answer(
        forge_press(bot, alice, private, f"gr:t:{company_id}:key"))
    assert answer.text == t("zh", "stale_button")
    record = await record_of(bot, li, ACME)
    assert "🔴重点企业" not in record.text.split("\n\n")[0]


async def test_a_record_exports_as_a_workbook(bot: BotUnderTest) -> None:
    alice = bot.user("Alice")
    await bot.register(alice)
    li = bot.officers[0]
    await in_group(bot, li, f"/note {ACME} 已了解融资需求", "gr_note_saved")
    record = await record_of(bot, li, ACME)
    bot.emu.press_button(li, record, t("zh", "gr_btn_export"))
    sent = await bot.emu.next_message(bot.staff, lambda m: m.document is not None)
    assert sent.document is not None
    assert sent.document.content is not None
    assert sent.document.filename.endswith(".xlsx")
    book = openpyxl.load_workbook(io.BytesIO(sent.document.content))
    profile, timeline = book[t("zh", "gr_xlsx_profile")], book[t("zh", "gr_xlsx_timeline")]
    fields = {row[0]: row[1] for row in profile.iter_rows(min_row=2, values_only=True)}
    assert fields[t("zh", "gr_xlsx_name")] == ACME
    assert fields[t("zh", "gr_xlsx_tier")] == "⚪一般企业"
    assert timeline.freeze_panes == "A2"
    assert timeline.auto_filter.ref == "A1:E3"
    rows = list(timeline.iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in rows] == [t("zh", "tl_registered"), t("zh", "tl_note")]
    assert rows[1][2] == "已了解融资需求"
    assert rows[1][4] == t("zh", "gr_xlsx_staff")
    assert timeline.cell(2, 1).is_date
    assert timeline.column_dimensions["C"].width >= 40


@pytest.mark.parametrize(("typed", "key"), [("昨天", "gr_follow_up_bad_day"),
                                            ("2026-11-30", "gr_follow_up_past")])
async def test_a_follow_up_needs_a_day_to_come(bot: BotUnderTest, typed: str, key: str) -> None:
    alice = bot.user("Alice")
    await bot.register(alice)
    li = bot.officers[0]
    await in_group(bot, li, f"/followup {ACME} {typed} 回访", key)
    record = await record_of(bot, li, ACME)
    assert "回访" not in record.text


def move_to(bot: BotUnderTest, when: dt.datetime) -> None:
    assert isinstance(bot.clock, ManualClock)
    bot.clock.set(when)
    bot.runtime.wake()


async def test_a_follow_up_comes_on_its_day_and_is_done_or_moved(
        clocked_bot: BotUnderTest) -> None:
    bot = clocked_bot  # Tuesday 2026-12-01, 09:00 in Shanghai
    alice = bot.user("Alice")
    await bot.register(alice)
    li, zhang = bot.officers[0], bot.officers[1]
    record = await record_of(bot, li, ACME)
    bot.emu.press_button(li, record, t("zh", "gr_btn_follow_up"))
    hint = await bot.emu.next_message(bot.staff, lambda m: matches("gr_follow_up_hint", m.text))
    command = next(line for line in hint.text.splitlines() if line.startswith("/followup"))
    assert command.split()[1] == ACME_CODE  # the one company, beyond doubt
    set_ = await in_group(bot, li, f"/followup {ACME_CODE} 明天 回访专利质押进展",
                          "gr_follow_up_set")
    assert "12月2日（周三）" in set_.text
    await in_group(bot, li, f"/followup {ACME} 2周后 了解上市辅导", "gr_follow_up_set")
    mine = await in_group(bot, li, "/mine", "mine_empty")
    assert "回访专利质押进展" not in mine.text

    move_to(bot, dt.datetime(2026, 12, 2, 0, 0, tzinfo=dt.UTC))  # Wednesday 08:00
    roster = await bot.emu.next_message(bot.staff, lambda m: matches("ro_title", m.text))
    assert shown("gr_roster_follow_up", company=ACME, text="回访专利质押进展",
                 officer="李科员") in roster.text
    assert "了解上市辅导" not in roster.text
    bot.emu.send_text(li, "/mine", chat=bot.staff)
    item = await bot.emu.next_message(bot.staff, lambda m: matches("gr_follow_up_item", m.text))
    assert "回访专利质押进展" in item.text
    others = await in_group(bot, zhang, "/mine", "mine_empty")  # not Zhang's follow-up
    assert "回访专利质押进展" not in others.text

    move_data = item.buttons[1].callback_data
    bot.emu.press_button(li, item, t("zh", "gr_btn_move"))
    moved = await bot.emu.wait_for_edit(item, lambda m: matches("gr_follow_up_moved", m.text))
    assert "12月9日（周三）" in moved.text
    assert moved.buttons == []
    again = forge_press(bot, li, moved, move_data)
    assert (await bot.emu.wait_for_callback_answer(again)).text == t(
        "zh", "gr_follow_up_handled")

    move_to(bot, dt.datetime(2026, 12, 9, 1, 0, tzinfo=dt.UTC))
    bot.emu.send_text(li, "/mine", chat=bot.staff)
    item = await bot.emu.next_message(bot.staff, lambda m: matches("gr_follow_up_item", m.text))
    bot.emu.press_button(li, item, t("zh", "gr_btn_done"))
    done = await bot.emu.wait_for_edit(item, lambda m: matches("gr_follow_up_done", m.text))
    assert "李科员" in done.text
    record = await record_of(bot, li, ACME)
    lines = timeline_of(record)
    assert t("zh", "tl_follow_up_done") in lines[0]
    assert any(t("zh", "tl_follow_up_moved") in line for line in lines)
    assert "了解上市辅导" in record.text  # still to do, on the record
    assert "回访专利质押进展（" not in record.text.split("\n\n")[0]


async def test_an_overdue_follow_up_is_escalated_once(clocked_bot: BotUnderTest) -> None:
    bot = clocked_bot
    alice = bot.user("Alice")
    await bot.register(alice)
    await bot.say(bot.admin, "/help")  # the admin has talked to the bot
    li = bot.officers[0]
    await in_group(bot, li, f"/followup {ACME} 明天 回访专利质押进展", "gr_follow_up_set")
    move_to(bot, dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC))  # Wednesday 17:00: not late
    await bot.drained()
    assert not [m for m in bot.emu.messages(bot.staff)
                if matches("gr_follow_up_escalate", m.text)]

    move_to(bot, dt.datetime(2026, 12, 3, 1, 0, tzinfo=dt.UTC))  # Thursday: a day late
    told = await bot.emu.next_message(bot.staff,
                                      lambda m: matches("gr_follow_up_escalate", m.text))
    assert "回访专利质押进展" in told.text
    assert "李科员" in told.text
    private = await bot.emu.next_message(bot.admin, lambda m: ACME in m.text)
    assert private.text.startswith(t("en", "gr_follow_up_escalate_private").split("{")[0])
    for minutes in (2, 4, 6):
        move_to(bot, dt.datetime(2026, 12, 3, 1, minutes, tzinfo=dt.UTC))
        await bot.drained()
    escalations = [m for m in bot.emu.messages(bot.staff)
                   if matches("gr_follow_up_escalate", m.text)]
    assert len(escalations) == 1
    # Moved from the late notice, it is a week from today, not from the day it was missed.
    bot.emu.press_button(li, told, t("zh", "gr_btn_move"))
    moved = await bot.emu.wait_for_edit(told, lambda m: matches("gr_follow_up_moved", m.text))
    assert "12月10日（周四）" in moved.text


BAD_TIERS = """\
tiers:
  - {id: standard, name: 一般企业, emoji: ⚪}
  - {id: standard, name: 重复, emoji: 🟢}
  - {id: key, name: 重点企业, emoji: red}
"""


def test_tiers_come_from_the_catalogue_and_mistakes_name_their_line() -> None:
    from bot.catalogue import CatalogueError, parse_catalogue
    from tests.test_catalogue import BASE, FILE

    shipped = parse_catalogue(CATALOGUE.read_text(encoding="utf-8"), FILE)
    assert [(tier.id, tier.name.zh, tier.emoji) for tier in shipped.tiers] == [
        ("standard", "一般企业", "⚪"), ("growth", "成长型", "🟢"), ("key", "重点企业", "🔴")]
    assert parse_catalogue(BASE, FILE).tiers == shipped.tiers  # left out: the same three
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(BASE + BAD_TIERS, FILE)
    start = len(BASE.splitlines())
    found = {(issue.line, issue.field) for issue in caught.value.issues}
    assert found == {(start + 3, "tiers[1].id"), (start + 4, "tiers[2].emoji")}


async def test_a_forgotten_person_leaves_the_record_but_not_their_name(bot: BotUnderTest) -> None:
    from tests.test_privacy import personal_values

    alice = bot.user("Half Forgotten")
    await bot.register(alice)
    await submit(bot, alice, "想了解商标续展")
    await bot.drained()
    assert "timeline_entries.actor_name" in await personal_values(bot, "Half Forgotten")
    sure = await bot.say(alice, "/forget")
    await bot.press(alice, sure, t("zh", "btn_forget_yes"))
    assert await personal_values(bot, "Half Forgotten") == []
    record = await record_of(bot, bot.officers[0], ACME)
    lines = timeline_of(record)
    assert len(lines) == 2  # what the company did stays on its record
    assert "Half Forgotten" not in record.text


async def test_visits_go_on_the_record_as_booked_and_attended(clocked_bot: BotUnderTest) -> None:
    from tests.test_booking_flow import book_first_slot

    bot = clocked_bot
    alice = bot.user("Alice")
    await bot.register(alice)
    await book_first_slot(bot, alice)  # Thursday 12-03, 09:00
    move_to(bot, dt.datetime(2026, 12, 3, 1, 0, tzinfo=dt.UTC))  # Thu 09:00 Shanghai
    roster = await bot.emu.next_message(bot.staff, lambda m: matches("ro_title", m.text))
    li = bot.officers[0]
    bot.emu.press_button(li, roster, "✅ 09:00 到场")
    await bot.emu.wait_for_edit(roster, lambda m: matches("bk_status_arrived", m.text))
    record = await record_of(bot, li, ACME)
    lines = timeline_of(record)
    assert t("zh", "tl_visit_attended") in lines[0]
    assert "BK000001 2026-12-03 09:00" in lines[0]
    assert "李科员" in lines[0]
    assert t("zh", "tl_visit_booked") in lines[1]
    assert "Alice" in lines[1]
    assert shown("gr_received", resolved=0, attended=1, open=0, upcoming=0) in record.text
    profile = await bot.say(alice, "/profile")
    assert shown("gr_profile_summary", resolved=0, attended=1, open=0, upcoming=0) \
        in profile.text


async def resolved_and_rated(bot: BotUnderTest, alice: User, stars: int) -> str:
    """Alice's request, claimed and resolved by 李科员, rated ``stars`` by her: its reference."""
    reference = await submit(bot, alice, "想了解专利质押融资")
    li = bot.officers[0]
    card = await claimed(bot, li, await card_of(bot, reference))
    bot.emu.skip_unread(alice)
    bot.emu.press_button(li, card, t("zh", "btn_resolve"))
    label = t("zh", f"rating_{stars}")
    rating = await bot.emu.next_message(alice, lambda m: any(b.text == label
                                                             for b in m.buttons))
    await bot.press(alice, rating, label)
    return reference


async def test_a_poor_rating_opens_a_call_back_that_the_officer_closes_with_its_outcome(
        clocked_bot: BotUnderTest) -> None:
    bot = clocked_bot  # Tuesday 2026-12-01, 09:00 in Shanghai
    alice = bot.user("Alice")
    await bot.register(alice)
    li, zhang = bot.officers[0], bot.officers[1]
    reference = await resolved_and_rated(bot, alice, 2)
    asked = await bot.emu.next_message(alice, lambda m: matches("rq_comment_low", m.text))
    assert asked.buttons  # the comment may be skipped
    thanks = await bot.say(alice, "等了三天才答复")
    assert matches("rq_comment_thanks", thanks.text)
    await bot.drained()
    text = f"差评回访：{reference} ★★ 等了三天才答复"

    record = await record_of(bot, li, ACME)
    lines = timeline_of(record)
    opened = next(line for line in lines if t("zh", "tl_follow_up") in line)
    assert "2026-12-02 差评回访：" in opened  # due the next working day, for 李科员
    assert text in record.text  # the comment joined the open 回访
    mine = await in_group(bot, li, "/mine", "mine_empty")
    assert "差评回访" not in mine.text  # not yet its day

    move_to(bot, dt.datetime(2026, 12, 2, 0, 0, tzinfo=dt.UTC))  # Wednesday 08:00
    roster = await bot.emu.next_message(bot.staff, lambda m: matches("ro_title", m.text))
    assert shown("gr_roster_follow_up", company=ACME, text=text, officer="李科员") in roster.text
    others = await in_group(bot, zhang, "/mine", "mine_empty")
    assert "差评回访" not in others.text
    bot.emu.send_text(li, "/mine", chat=bot.staff)
    item = await bot.emu.next_message(bot.staff, lambda m: matches("gr_follow_up_item", m.text))
    assert text in item.text
    number = re.search(r"/followup done (\d+)", item.text)
    assert number is not None
    follow_up = number.group(1)

    # 完成 alone asks for the outcome and closes nothing.
    bot.emu.press_button(li, item, t("zh", "gr_btn_done"))
    how = await bot.emu.next_message(bot.staff,
                                      lambda m: matches("gr_return_visit_how", m.text))
    assert f"/followup done {follow_up}" in how.text
    for typed, key in ((f"/followup done {follow_up}", "gr_done_usage"),
                       ("/followup done abc 已回访", "gr_done_usage"),
                       ("/followup done 99999 已回访", "gr_follow_up_unknown"),
                       (f"/followup done {follow_up} {'长' * 301}", "gr_outcome_too_long")):
        await in_group(bot, li, typed, key)
    record = await record_of(bot, li, ACME)
    assert t("zh", "tl_follow_up_done") not in record.text

    done = await in_group(bot, li, f"/followup done {follow_up} 已电话致歉，企业认可加急方案",
                          "gr_follow_up_done_outcome")
    assert "已电话致歉，企业认可加急方案" in done.text
    assert "李科员" in done.text
    again = await in_group(bot, li, f"/followup done {follow_up} 再次回访", "gr_follow_up_handled")
    assert "再次回访" not in again.text
    record = await record_of(bot, li, ACME)
    lines = timeline_of(record)
    assert t("zh", "tl_follow_up_done") in lines[0]
    assert "回访结果：已电话致歉，企业认可加急方案" in lines[0]
    mine = await in_group(bot, li, "/mine", "mine_empty")
    assert "差评回访" not in mine.text
    # The company never reads the officers' side of its record.
    profile = await bot.say(alice, "/profile")
    assert "差评回访" not in profile.text


async def test_a_good_rating_opens_no_call_back(clocked_bot: BotUnderTest) -> None:
    bot = clocked_bot
    alice = bot.user("Alice")
    await bot.register(alice)
    li = bot.officers[0]
    reference = await resolved_and_rated(bot, alice, 4)
    await bot.emu.next_message(alice, lambda m: matches("rq_comment_ask", m.text))
    await bot.say(alice, "很及时")
    await bot.drained()
    record = await record_of(bot, li, reference)
    assert "差评回访" not in record.text
    assert t("zh", "tl_follow_up") not in record.text
    move_to(bot, dt.datetime(2026, 12, 2, 1, 0, tzinfo=dt.UTC))
    mine = await in_group(bot, li, "/mine", "mine_empty")
    assert "差评回访" not in mine.text


async def test_a_poor_rating_on_a_friday_is_called_back_on_monday(
        clocked_bot: BotUnderTest) -> None:
    bot = clocked_bot
    move_to(bot, dt.datetime(2026, 12, 4, 2, 0, tzinfo=dt.UTC))  # Friday 10:00 in Shanghai
    alice = bot.user("Alice")
    await bot.register(alice)
    reference = await resolved_and_rated(bot, alice, 1)
    await bot.emu.next_message(alice, lambda m: matches("rq_comment_low", m.text))
    await bot.drained()
    record = await record_of(bot, bot.officers[0], reference)
    assert f"2026-12-07 差评回访：{reference} ★" in record.text  # the weekend is not worked
