"""Notices: an admin composes one, sees whom it reaches, sends it; each person receives it
once; people choose in /settings which kinds they receive; the admin sees how it went."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import func, select

from bot.core.context import Actor, unit_of_work
from bot.requests.enterprise import submit
from bot.texts import t
from storage.notices.models import NoticeOptOut, NoticeRecipient
from tests.harness import BotUnderTest, matches, shown
from tests.notices_support import (
    BODY,
    compose,
    en,
    labels,
    mark_blocked_in_db,
    notice_row,
    press_new,
    received,
    seed_people,
    set_tier,
    wait_status,
)


async def test_a_notice_to_everyone_reaches_each_person_once_and_the_admin_gets_the_misses(
        any_bot: BotUnderTest) -> None:
    bot, emu = any_bot, any_bot.emu
    people = await seed_people(bot.runtime, emu, 6, per_company=2)  # 3 companies
    gone = await seed_people(bot.runtime, emu, 1, start=10)  # blocked, known to the bot
    await mark_blocked_in_db(bot, gone[0].user.id)
    emu.block(people[5].user)  # blocked, not known yet: Telegram refuses

    bold = [{"type": "bold", "offset": 0, "length": 4}]
    preview = await compose(bot, entities=bold)
    # 4 companies, 7 people: one blocked the bot as far as it knows; 6 will be tried.
    assert en("nt_preview", kind=en("nt_kind_policy"), audience=en("nt_audience_everyone"),
              companies=3, people=6, opted_out=0, blocked=1, file="",
              body=BODY).split("\n\n")[0] in preview.text, preview.text
    assert BODY in preview.text

    started = await press_new(bot, bot.admin, preview, en("nt_btn_send_now"))
    assert en("nt_sending", id=1) in started.text
    done = await wait_status(bot, "done")
    await bot.drained()

    for person in people[:5]:
        got = received(emu, person.user)
        assert len(got) == 1, person.user.first_name
        assert matches("nt_message", got[0].text)
        assert "<b>请各企业</b>" in (got[0].source or "")  # the admin's bold kept
    assert received(emu, people[5].user) == []
    assert received(emu, gone[0].user) == []
    assert (done.sent, done.blocked, done.failed, done.skipped) == (5, 2, 0, 0)
    assert done.companies == 3

    summary = await emu.wait_for_message(
        bot.admin, lambda m: bool(m.text) and en("nt_summary_done", id=1, companies=3, sent=5,
                                                 failed=0, blocked=2, skipped=0) in m.text)
    assert summary is not None
    sheet = await emu.wait_for_message(bot.admin, lambda m: m.document is not None)
    assert sheet.document is not None
    rows = list(load_workbook(io.BytesIO(sheet.document.content)).active.iter_rows(
        values_only=True))
    assert rows[0][0] == en("nt_xlsx_user")
    assert sorted((r[0], r[3]) for r in rows[1:]) == sorted(
        [(people[5].user.id, en("nt_reason_blocked")), (gone[0].user.id, en("nt_reason_blocked"))])
    progress = [m for m in emu.messages(bot.admin)
                if m.text and en("nt_state_done") in m.text and "#1" in m.text]
    assert progress
    assert not progress[0].buttons  # its buttons went with the end


async def test_the_audience_is_exactly_the_station_tier_or_interest_chosen(
        bot: BotUnderTest) -> None:
    emu = bot.emu
    robots = await seed_people(bot.runtime, emu, 3, station="robot-park")
    bio = await seed_people(bot.runtime, emu, 2, start=20, station="bio-park")
    await set_tier(bot, bio[0].company_id, "key")

    # One robot-park person follows a category in /settings.
    screen = await bot.say(robots[0].user, "/settings")
    ip = bot.runtime.cat.category("ip")
    assert ip is not None
    await bot.press(robots[0].user, screen, ip.name.get("zh"))

    bio_name = bot.runtime.cat.station("bio-park").name.get("en")  # type: ignore[union-attr]
    preview = await compose(bot, audience="stations", picks=(bio_name,))
    assert "It will reach <b>2</b>" in (preview.source or "") or "reach 2 people" in preview.text
    discarded = await press_new(bot, bot.admin, preview, en("nt_btn_cancel"))
    assert en("nt_discarded") in discarded.text

    key = next(t for t in bot.runtime.cat.tiers if t.id == "key")
    preview = await compose(bot, audience="tiers", picks=(f"{key.emoji} {key.name.get('en')}",))
    assert "reach 1 people in 1 companies" in preview.text, preview.text
    await press_new(bot, bot.admin, preview, en("nt_btn_cancel"))

    # A bio-park company asked for an IP service: it is in the category's audience too.
    service = bot.runtime.cat.services_in("ip")[0]
    async with unit_of_work(bot.runtime, Actor(user_id=bio[1].user.id,
                                               chat_id=bio[1].user.id)) as ctx:
        company = await ctx.company()
        assert company is not None
        await submit(ctx, company, service, {}, "咨询专利质押", [])
    preview = await compose(bot, kind="events", audience="categories",
                            picks=(ip.name.get("en"),))
    assert "reach 2 people in 2 companies" in preview.text, preview.text
    await press_new(bot, bot.admin, preview, en("nt_btn_send_now"))
    await wait_status(bot, "done")
    await bot.drained()
    assert len(received(emu, robots[0].user)) == 1
    assert len(received(emu, bio[1].user)) == 1
    assert all(received(emu, p.user) == [] for p in [*robots[1:], bio[0]])


async def test_a_person_who_opts_out_of_policy_notices_still_gets_events(
        bot: BotUnderTest) -> None:
    emu = bot.emu
    alice, bob = await seed_people(bot.runtime, emu, 2)
    screen = await bot.say(alice.user, "/settings")
    assert matches("nt_settings", screen.text)
    after = await bot.press(alice.user, screen, shown("nt_set_kind_on",
                                                       kind=shown("nt_kind_policy")))
    assert shown("nt_set_kind_off", kind=shown("nt_kind_policy")) in labels(after)

    preview = await compose(bot, kind="policy")
    assert "reach 1 people in 1 companies (1 opted out" in preview.text, preview.text
    await press_new(bot, bot.admin, preview, en("nt_btn_send_now"))
    first = await wait_status(bot, "done")
    assert (first.sent, first.skipped) == (1, 1)

    preview = await compose(bot, kind="events", body="欢迎参加宣贯会")
    await press_new(bot, bot.admin, preview, en("nt_btn_send_now"))
    await bot.emu.wait_for_message(alice.user, lambda m: bool(m.text) and "宣贯会" in m.text)
    await bot.drained()
    assert received(emu, alice.user) == []
    assert len(received(emu, bob.user)) == 1
    assert len(received(emu, alice.user, "欢迎参加宣贯会")) == 1


async def test_notices_lists_past_notices_with_their_reach(bot: BotUnderTest) -> None:
    await seed_people(bot.runtime, bot.emu, 2)
    preview = await compose(bot)
    await press_new(bot, bot.admin, preview, en("nt_btn_send_now"))
    await wait_status(bot, "done")
    await bot.drained()
    bot.emu.skip_unread(bot.admin)
    listing = await bot.say(bot.admin, "/notices")
    assert en("nt_history_reach", companies=2, sent=2, failed=0, blocked=0,
              skipped=0) in listing.text
    assert "#1" in listing.text
    row = await notice_row(bot)
    assert row.sent == 2


async def test_a_notice_with_a_document_delivers_the_text_then_the_file(bot: BotUnderTest) -> None:
    emu = bot.emu
    (alice,) = await seed_people(bot.runtime, emu, 1)
    await bot.say(bot.admin, "/notice")
    emu.send_text(bot.admin, BODY)
    ask_file = await emu.next_message(bot.admin)
    assert en("nt_ask_file") in ask_file.text
    emu.send_document(bot.admin, filename="申报指南.pdf", content=b"%PDF-1.4 guide",
                      mime_type="application/pdf")
    ask_kind = await emu.next_message(bot.admin)
    ask_audience = await press_new(bot, bot.admin, ask_kind, en("nt_kind_policy"))
    preview = await press_new(bot, bot.admin, ask_audience, en("nt_audience_everyone"))
    assert en("nt_preview_file").strip() in preview.text
    await press_new(bot, bot.admin, preview, en("nt_btn_send_now"))
    await wait_status(bot, "done")
    await bot.drained()
    mine = emu.messages(alice.user)
    assert [m.text is not None and BODY in m.text for m in mine] == [True, False]
    assert mine[1].document is not None
    assert mine[1].document.content == b"%PDF-1.4 guide"


async def test_a_notice_told_to_wait_by_telegram_still_reaches_each_person_once(
        clocked_bot: BotUnderTest) -> None:
    import asyncio
    from datetime import timedelta

    bot, emu = clocked_bot, clocked_bot.emu
    people = await seed_people(bot.runtime, emu, 6)
    preview = await compose(bot)
    await press_new(bot, bot.admin, preview, en("nt_btn_schedule"))
    await bot.say(bot.admin, "2026-12-01 09:30")
    rule = emu.fail_next(3, status=429, retry_after=1, method="sendMessage")
    bot.clock.advance(timedelta(minutes=30))  # type: ignore[attr-defined]
    await emu.wait_until(lambda: rule.remaining == 0, timeout=10)
    for _ in range(100):  # the waits Telegram asked for pass on the bot's clock
        bot.clock.advance(timedelta(seconds=2))  # type: ignore[attr-defined]
        if (await notice_row(bot)).status == "done":
            break
        await asyncio.sleep(0.05)
    done = await wait_status(bot, "done")
    assert [len(received(emu, p.user)) for p in people] == [1] * 6
    assert (done.sent, done.failed) == (6, 0)


async def test_a_forgotten_person_leaves_no_opt_out_and_no_place_on_a_notice(
        bot: BotUnderTest) -> None:
    alice, bob = await seed_people(bot.runtime, bot.emu, 2)
    screen = await bot.say(alice.user, "/settings")
    await bot.press(alice.user, screen, shown("nt_set_kind_on", kind=shown("nt_kind_policy")))
    preview = await compose(bot, kind="events", body="欢迎参加宣贯会")
    await press_new(bot, bot.admin, preview, en("nt_btn_send_now"))
    await wait_status(bot, "done")

    async def rows(user_id: int) -> tuple[int, int]:
        async with bot.db.reader() as s:
            outs = await s.scalar(select(func.count()).select_from(NoticeOptOut)
                                  .where(NoticeOptOut.user_id == user_id))
            places = await s.scalar(select(func.count()).select_from(NoticeRecipient)
                                    .where(NoticeRecipient.user_id == user_id))
        return int(outs or 0), int(places or 0)

    assert await rows(alice.user.id) == (1, 1)
    await bot.drained()
    bot.emu.skip_unread(alice.user)
    sure = await bot.say(alice.user, "/forget")
    await bot.press(alice.user, sure, t("zh", "btn_forget_yes"))
    assert await rows(alice.user.id) == (0, 0)
    assert await rows(bob.user.id) == (0, 1)  # nobody else's
    assert (await notice_row(bot)).sent == 2  # the notice keeps its totals
