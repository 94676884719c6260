"""/report: the bureau's numbers for a station and a period, checked against a month of history
whose answers were worked out by hand (tests/reports_history.py); the workbook, the chart, the
refusals, and the monthly report to the admins."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import io
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Coroutine, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet._writer import ALL_TEMP_FILES
from sqlalchemy import func, insert, select

from bot.reports.metrics import Clocks, build, nearest_rank, spans
from bot.reports.period import parse_period
from bot.reports.sections import Section
from bot.reports.workbook import workbook
from bot.texts import t
from frontdoor_emulator import ChatMessage
from storage.reports.queries import Reports
from storage.tables import Company, FollowUp, OutboxMessage, Request, SnippetUse
from tests.harness import ROOT, BotUnderTest, manual_clock, matches, shown
from tests.reports_history import LI, _request, at, seed_october

DOCS = ROOT / "docs"


async def october(bot: BotUnderTest, station: str = "robot-park"):  # type: ignore[no-untyped-def]
    rt = bot.runtime
    st = rt.cat.station(station)
    assert st is not None
    async with bot.db.reader(snapshot=True) as s:
        return await build(Reports(s), rt.cat, parse_period("2026-10", date(2026, 12, 1)),
                           [st], "Asia/Shanghai", every=False)


async def test_october_at_robot_park_matches_the_numbers_worked_out_by_hand(
    any_bot: BotUnderTest,
) -> None:
    bot = any_bot
    await seed_october(bot.db)
    report = await october(bot)
    assert (report.received, report.resolved, report.open_at_end) == (5, 3, 3)
    assert sorted(report.first_response_hours) == [0.5, 2.0, 5.0]
    assert nearest_rank(report.first_response_hours, 50) == 2.0
    assert nearest_rank(report.first_response_hours, 90) == 5.0
    assert sorted(report.resolution_hours) == [0.75, 10.0, 19.0]
    assert nearest_rank(report.resolution_hours, 50) == 10.0
    assert nearest_rank(report.resolution_hours, 90) == 19.0
    assert (report.sla_due, report.sla_met) == (5, 2)
    assert sorted(b.reference for b in report.breaches) == [
        "RP-2610-0003", "RP-2610-0004", "RP-2610-0006"]
    assert report.ratings == {5: 1, 2: 1}
    assert [(b.reference, b.comment) for b in report.bad] == [("RP-2610-0002", "回复太慢")]
    assert (report.booked, report.attended, report.no_shows) == (4, 2, 1)
    seats = {(w.weekday, w.start.strftime("%H:%M")): (w.booked, w.offered)
             for w in report.windows}
    assert seats == {(0, "14:00"): (2, 30), (3, "09:00"): (2, 20)}
    assert report.new_companies == {"robot-park": 1}
    assert report.by["category"] == {"coordination": [4, 2, 3], "ip": [1, 1, 0]}
    assert report.by["officer"] == {"李科员": [0, 2, 1], "张科员": [0, 1, 1], "—": [0, 0, 1]}

    # The same in the staff group, as an officer reads it.
    bot.emu.send_text(bot.officers[0], "/report 机器人 2026-10", chat=bot.staff)
    message = await bot.emu.next_message(bot.staff, lambda m: matches("rp_title", m.text))
    text = message.text
    assert shown("rp_requests", received=5, resolved=3, open=3) in text
    assert shown("rp_times", frt_median="2.0", frt_p90="5.0", res_median="10.0",
                 res_p90="19.0") in text
    assert shown("rp_sla", rate="40.0%", due=5, met=2) in text
    assert shown("rp_ratings", satisfaction="50.0%", rated=2, response="66.7%", r5=1, r4=0,
                 r3=0, r2=1, r1=0) in text
    assert shown("rp_bad_line", reference="RP-2610-0002", company="上海乙机器人有限公司",
                 rating=2, officer="李科员", comment="回复太慢") in text
    assert shown("rp_visits", booked=4, attended=2, no_shows=1, rate="33.3%") in text
    assert shown("rp_companies", count=1) in text
    assert "2026-10-01至2026-10-31" in text
    photo = await bot.emu.next_message(bot.staff, lambda m: m.photo is not None)
    assert photo.photo is not None
    document = await bot.emu.next_message(bot.staff, lambda m: m.document is not None)
    assert document.document is not None
    assert document.document.filename == "report-robot-park-2026-10.xlsx"


async def test_the_workbook_has_real_types_a_frozen_header_and_filters(bot: BotUnderTest,
                                                                        tmp_path: Path) -> None:
    await seed_october(bot.db)
    bot.emu.send_text(bot.officers[1], "/report robot-park 2026-10", chat=bot.staff)
    document = await bot.emu.next_message(bot.staff, lambda m: m.document is not None,
                                          timeout=20)
    assert document.document is not None
    assert document.document.content is not None
    content = document.document.content
    wb = load_workbook(io.BytesIO(content))
    # R2 is October's 差评: the 差评回访 section has a sheet (no saved answers were sent).
    assert wb.sheetnames == [shown("rp_sheet_summary"), shown("rp_sheet_requests"),
                             shown("rp_sheet_visits"), shown("rp_rv_sheet")]
    requests = wb[shown("rp_sheet_requests")]
    assert requests.freeze_panes == "A2"
    assert requests.auto_filter.ref == "A1:O7"  # the header and six requests
    assert (requests.column_dimensions["B"].width or 0) >= 20
    rows = {r[0]: r for r in requests.iter_rows(min_row=2, values_only=True)}
    # Submitted or resolved in October: R1 (resolved), R2 to R6.
    assert set(rows) == {f"RP-2610-000{n}" for n in range(1, 7)}
    r1 = rows["RP-2610-0001"]
    assert r1[6] == datetime(2026, 9, 30, 15, 0)  # local time, a real date
    assert r1[7] == datetime(2026, 10, 8, 10, 0)
    assert r1[10] == pytest.approx(3.0)
    assert isinstance(r1[10], int | float)  # a number, not text
    assert requests["G2"].is_date
    assert requests["K2"].number_format == "0.0"
    assert r1[11] == pytest.approx(19.0)
    assert r1[12] is True
    assert r1[13] == 5
    r3 = rows["RP-2610-0003"]
    assert r3[10] == pytest.approx(5.0)
    assert r3[12] is False
    assert rows["RP-2610-0002"][14] == "回复太慢"
    visits = wb[shown("rp_sheet_visits")]
    assert visits.freeze_panes == "A2"
    assert visits.auto_filter.ref == "A1:H6"
    starts = [r[4] for r in visits.iter_rows(min_row=2, values_only=True)]
    assert starts[0] == datetime(2026, 10, 12, 14, 0)

    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-calc-nogui)")
    source = tmp_path / "report.xlsx"
    source.write_bytes(content)
    done = await asyncio.to_thread(
        subprocess.run,
        [office, "--headless", "--convert-to", "csv", "--outdir", str(tmp_path), str(source)],
        capture_output=True, timeout=120, check=False,
        env={**os.environ, "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "report.csv").read_text(encoding="utf-8", errors="replace")


async def test_the_chart_draws_chinese_labels_with_a_cjk_font(bot: BotUnderTest) -> None:
    from bot.reports import chart
    from bot.reports.report import chart_data

    font = chart.cjk_font()
    if font is None:
        if os.environ.get("FRONTDOOR_REQUIRE_CJK") == "1":
            pytest.fail("no CJK font found (apt-get install fonts-wqy-microhei)")
        pytest.skip("no CJK font installed (apt-get install fonts-wqy-microhei)")
    await seed_october(bot.db)
    report = await october(bot)
    data = chart_data(bot.runtime.cat, report, "zh")
    # Weeks from Monday 28 Sep; bars by category, the busiest first.
    assert data.weeks == (date(2026, 9, 28), date(2026, 10, 5), date(2026, 10, 12),
                          date(2026, 10, 19), date(2026, 10, 26))
    assert data.series == (("跨部门协调及其他需求", (0, 0, 2, 0, 2)),
                           ("知识产权保护及利用", (0, 1, 0, 0, 0)))
    # On time by the week the deadline fell in: R1 R2 met; R3 R6 late; R4 late.
    assert data.sla == (None, 100.0, 0.0, None, 0.0)
    from matplotlib.font_manager import FontProperties, get_font

    face = get_font(font)
    # Every Chinese character of the labels has a glyph in the font that draws them.
    for text in (data.title, data.requests_label, data.sla_label, data.week_label,
                 *(label for label, _ in data.series)):
        for char in text:
            if "\u4e00" <= char <= "\u9fff":
                assert face.get_char_index(ord(char)) != 0, char
    assert FontProperties(fname=font).get_name()
    png = await asyncio.to_thread(chart.draw, data)
    assert png.startswith(b"\x89PNG")
    (DOCS / "report-chart-example.png").write_bytes(png)


@pytest.mark.parametrize(("typed", "key"), [
    ("/report 2026-13", "rp_bad_month"),
    ("/report 3月..1月", "rp_bad_order"),
    ("/report 2026-W54", "rp_bad_week"),
    ("/report 2026-02-30", "rp_bad_date"),
    ("/report 火星", "rp_unknown_station"),
    ("/report 产业园", "rp_ambiguous_station"),
])
async def test_a_malformed_period_or_unknown_station_is_answered_and_changes_nothing(
    bot: BotUnderTest, typed: str, key: str,
) -> None:
    bot.emu.send_text(bot.officers[0], typed, chat=bot.staff)
    answer = await bot.emu.next_message(bot.staff)
    assert matches(key, answer.text), answer.text
    await asyncio.sleep(0.3)
    assert not [m for m in bot.emu.messages(bot.staff) if m.document or m.photo]
    async with bot.db.reader() as s:
        assert await s.scalar(select(func.count()).select_from(OutboxMessage)) == 0


async def test_only_staff_in_the_group_and_admins_in_private_may_ask(bot: BotUnderTest) -> None:
    alice = bot.user("Alice")
    answer = await bot.say(alice, "/report")
    assert matches("rp_staff_only", answer.text)
    officer = await bot.say(bot.officers[0], "/report")  # staff, but not an admin, in private
    assert matches("rp_staff_only", officer.text)
    other = bot.emu.add_group("闲聊群", members=[alice, bot.officers[0]])
    bot.emu.send_text(alice, "/report", chat=other)
    assert matches("rp_staff_only", (await bot.emu.next_message(other)).text)
    bot.emu.send_text(bot.officers[0], "/report", chat=other)
    assert matches("staff_only_in_group", (await bot.emu.next_message(other)).text)
    assert not [m for m in bot.emu.messages(other) if m.document or m.photo]
    # The admin (who reads English), in private: every station.
    report = await bot.say(bot.admin, "/report 2026-10")
    assert report.text.startswith(f'{t("en", "rp_all_stations")} service report')
    await bot.emu.next_message(bot.admin, lambda m: m.document is not None, timeout=20)


async def test_someone_else_is_answered_while_a_long_report_is_built(bot: BotUnderTest) -> None:
    """A month of 3,000 requests takes a while to count; a company is served meanwhile."""
    rows = []
    start = at("2026-10-05 09:00")
    async with bot.db.session() as s:
        await s.execute(insert(Company), [{
            "id": 1, "credit_code": "91310113MA1G000099", "name": "上海甲科技有限公司",
            "contact_name": "王", "phone": "13800138000", "station_id": "robot-park",
            "created_at": start, "updated_at": start, "tier": "standard"}])
        for n in range(3000):
            created = start.replace(day=5 + n % 25, hour=1 + n % 8)
            rows.append({
                "reference": f"RP-2610-{n:04d}", "company_id": 1, "station_id": "robot-park",
                "service_id": "other-needs", "status": "closed", "answers": {},
                "description": "需求", "created_by": 1, "claimed_by": 1, "owner_name": "李科员",
                "created_at": created, "updated_at": created, "due_at": created,
                "escalate_at": created, "queue_round": 0, "announced": False,
                "escalated": False, "resolved_at": created.replace(hour=7),
                "closed_at": created.replace(hour=8), "rating": 1 + n % 5})
        await s.execute(insert(Request), rows)
    bot.emu.send_text(bot.officers[0], "/report robot-park 2026-10", chat=bot.staff)
    await asyncio.sleep(0.2)  # the report is being built
    alice = bot.user("Alice")
    bot.emu.send_text(alice, "/start")
    welcome: ChatMessage = await bot.emu.next_message(alice, timeout=30)
    assert welcome.text
    # Alice was answered first: the report was still being built.
    assert not [m for m in bot.emu.messages(bot.staff) if matches("rp_title", m.text)]
    report = await bot.emu.next_message(bot.staff, lambda m: matches("rp_title", m.text),
                                        timeout=60)
    assert shown("rp_requests", received=3000, resolved=3000, open=0) in report.text


async def test_the_admins_get_last_months_report_on_the_first_at_nine_once(
    emu, sqlite_db, tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    from tests.conftest import make_bot

    # 08:59 on 1 November, Beijing time.
    bot = make_bot(emu, sqlite_db, tmp_path, clock=manual_clock("2026-11-01T00:59:00+00:00"),
                   monthly_report=True)
    await seed_october(bot.db)
    await bot.start()
    try:
        await bot.say(bot.admin, "/start")
        await asyncio.sleep(0.5)
        assert not [m for m in emu.messages(bot.admin) if m.document is not None]
        bot.clock.advance(timedelta(seconds=60))  # type: ignore[attr-defined]
        monthly = t("en", "rp_monthly")  # in the admin's language
        intro = await emu.next_message(bot.admin, lambda m: monthly in m.content, timeout=30)
        assert "2026-10-01" in intro.text
        await emu.next_message(bot.admin, lambda m: m.photo is not None, timeout=30)
        sheet = await emu.next_message(bot.admin, lambda m: m.document is not None,
                                       timeout=30)
        assert sheet.document is not None
        assert sheet.document.filename == "report-all-2026-10.xlsx"
        await bot.restart()
        bot.clock.advance(timedelta(hours=1))  # type: ignore[attr-defined]
        await asyncio.sleep(1.0)
        await bot.drained()
        assert len([m for m in emu.messages(bot.admin) if monthly in m.content]) == 1
        assert len([m for m in emu.messages(bot.admin) if m.document is not None]) == 1
    finally:
        await bot.stop()


def test_periods_read_as_people_write_them() -> None:
    today = date(2026, 12, 1)
    assert parse_period(None, today).label == "2026-11"
    assert parse_period("11月", today).first == date(2026, 11, 1)
    assert parse_period("12月", date(2026, 11, 15)).first == date(2025, 12, 1)
    week = parse_period("2026-W48", today)
    assert (week.first, week.last) == (date(2026, 11, 23), date(2026, 11, 29))
    span = parse_period("2026-11-03..2026-11-20", today)
    assert (span.first, span.last) == (date(2026, 11, 3), date(2026, 11, 20))
    assert parse_period("2026年2月", today).last == date(2026, 2, 28)



async def seed_call_backs_and_saved_answers(bot: BotUnderTest) -> None:
    """October's 差评 at robot park, with their 回访, and the saved answers officers sent.

    差评 of October at robot park: R2 (2★ “回复太慢”, 回访 done: “已电话致歉”) and R9 (1★, no
    comment, 回访 still open). R10 (1★ at the bureau) is another station's; R11 (1★ on
    1 Nov) another period's. So: 2 差评, 1 followed up, 1 open.
    Saved answers: “received” on 12 Oct and 31 Oct 23:30, “materials-list” on 20 Oct count;
    “received” at 00:30 on 1 Nov and 23:00 on 30 Sep (Beijing time) do not. So: 3 uses,
    已收到正在处理 2, 材料清单提醒 1.
    """
    extra = [
        _request(9, 1, "other-needs", "2026-10-19 09:00", status="closed", owner=(LI, "李科员"),
                 claimed="2026-10-19 09:30", resolved="2026-10-19 10:00",
                 closed="2026-10-20 10:00", rating=1),
        _request(10, 3, "other-needs", "2026-10-19 09:00", station="bureau", status="closed",
                 owner=(LI, "李科员"), claimed="2026-10-19 09:30", resolved="2026-10-19 10:00",
                 closed="2026-10-20 10:00", rating=1),
        _request(11, 2, "other-needs", "2026-10-28 09:00", status="closed", owner=(LI, "李科员"),
                 claimed="2026-10-28 09:30", resolved="2026-10-28 10:00",
                 closed="2026-11-01 10:00", rating=1),
    ]

    def call_back(request: int, company: int, status: str,
                  outcome: str | None = None) -> dict[str, object]:
        return {"company_id": company, "officer_id": LI, "officer_name": "李科员",
                "due_on": date(2026, 10, 21), "text": f"差评回访：RP-2610-{request:04d}",
                "status": status, "created_at": at("2026-10-20 10:00"),
                "done_at": at("2026-10-21 10:00") if status == "done" else None,
                "request_id": request, "outcome": outcome}

    def use(snippet: str, when: str, request: int = 3) -> dict[str, object]:
        return {"snippet_id": snippet, "request_id": request, "officer_id": LI,
                "used_at": at(when)}

    async with bot.db.session() as s:
        await s.execute(insert(Request), extra)
        await s.execute(insert(FollowUp), [
            call_back(2, 2, "done", "已电话致歉"), call_back(9, 1, "open"),
            call_back(10, 3, "done", "另一站的回访"), call_back(11, 2, "open")])
        await s.execute(insert(SnippetUse), [
            use("received", "2026-10-12 10:00"), use("received", "2026-10-31 23:30"),
            use("materials-list", "2026-10-20 11:00"), use("received", "2026-11-01 00:30"),
            use("received", "2026-09-30 23:00"),
            # another station's request: not robot-park's use
            use("materials-list", "2026-10-20 11:00", request=10)])


async def test_saved_answer_uses_count_on_the_reported_stations_requests(
        any_bot: BotUnderTest) -> None:
    bot = any_bot
    await seed_october(bot.db)
    await seed_call_backs_and_saved_answers(bot)
    cat = bot.runtime.cat
    period = parse_period("2026-10", date(2026, 12, 1))
    robot = cat.station("robot-park")
    assert robot is not None
    async with bot.db.session() as s:  # a use whose request was forgotten since
        await s.execute(insert(SnippetUse), [{"snippet_id": "received", "request_id": 9999,
                                              "officer_id": None,
                                              "used_at": at("2026-10-15 10:00")}])
    async with bot.db.reader() as s:
        one = await Reports(s).snippet_uses(
            spans(cat, period, [robot], "Asia/Shanghai", every=False))
        every = await Reports(s).snippet_uses(
            spans(cat, period, list(cat.stations), "Asia/Shanghai", every=True))
    assert one == {"received": 2, "materials-list": 1}
    assert every == {"received": 3, "materials-list": 2}


async def october_workbook(bot: BotUnderTest, session: Any,
                           extras: Sequence[Section] = ()) -> Coroutine[Any, Any, bytes]:
    """Robot-park's October workbook, ready to be awaited (or cancelled)."""
    rt = bot.runtime
    st = rt.cat.station("robot-park")
    assert st is not None
    period = parse_period("2026-10", date(2026, 12, 1))
    repo = Reports(session)
    report = await build(repo, rt.cat, period, [st], "Asia/Shanghai", every=False)
    scope = spans(rt.cat, period, [st], "Asia/Shanghai", every=False)
    return workbook(repo, rt.cat, report, scope, Clocks(rt.cat, "Asia/Shanghai"), "zh",
                    "Asia/Shanghai", extras)


@contextlib.contextmanager
def nothing_left_behind() -> Iterator[None]:
    """No temporary file of a workbook stays, and nothing fails where nobody sees it (the
    garbage collector finishing a half-written sheet)."""
    before = list(ALL_TEMP_FILES)
    stray: list[object] = []
    hook, sys.unraisablehook = sys.unraisablehook, stray.append
    try:
        yield
        gc.collect()
    finally:
        sys.unraisablehook = hook
    assert list(ALL_TEMP_FILES) == before
    assert stray == []


async def test_a_workbook_that_fails_half_way_leaves_no_files_and_no_stray_errors(
    bot: BotUnderTest,
) -> None:
    """A sheet that cannot be written stops the workbook; the half-written sheets are closed
    and their temporary files deleted at once, not left to the garbage collector (which wrote
    into a closed file and raised where nobody saw it)."""
    await seed_october(bot.db)
    broken = Section(sheet_title="broken", header=("a",), rows=(("fine",), (object(),)))
    with nothing_left_behind():
        async with bot.db.reader(snapshot=True) as s:
            sheet = await october_workbook(bot, s, [broken])
            with pytest.raises(ValueError):  # noqa: PT011 - openpyxl's bare ValueError
                await sheet


async def test_a_report_cancelled_while_its_save_waits_for_a_thread_leaves_nothing_behind(
    bot: BotUnderTest,
) -> None:
    """The bot stops while the workbook's save is still queued for a worker thread: the
    queued save is withdrawn, so the workbook must be discarded here, not left half-open."""
    await seed_october(bot.db)
    loop = asyncio.get_running_loop()
    queued = asyncio.Event()

    class Busy(ThreadPoolExecutor):
        def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Any:
            if fn is not release.wait:
                queued.set()  # called on the loop's thread, by run_in_executor
            return super().submit(fn, *args, **kwargs)

    busy, release = Busy(max_workers=1), threading.Event()
    loop.set_default_executor(busy)
    blocker = loop.run_in_executor(None, release.wait)  # the only worker thread is taken
    try:
        with nothing_left_behind():
            async with bot.db.reader(snapshot=True) as s:
                task = asyncio.create_task(await october_workbook(bot, s))
                await asyncio.wait_for(queued.wait(), 20)  # every sheet written, save queued
                task.cancel()
                with pytest.raises(asyncio.CancelledError):
                    await task
            release.set()
            await blocker
            busy.shutdown(wait=True)
    finally:
        release.set()
        loop.set_default_executor(ThreadPoolExecutor())


async def test_the_report_shows_call_backs_of_poor_ratings_and_saved_answer_uses(
        any_bot: BotUnderTest) -> None:
    bot = any_bot
    await seed_october(bot.db)
    await seed_call_backs_and_saved_answers(bot)
    bot.emu.send_text(bot.officers[0], "/report robot-park 2026-10", chat=bot.staff)
    message = await bot.emu.next_message(bot.staff, lambda m: matches("rp_title", m.text))
    text = message.text
    assert shown("rp_rv_line", total=2, done=1, open=1) in text
    listed = [line for line in text.splitlines() if line.startswith("· RP-")]
    assert listed == [  # R10 (another station) and R11 (another month) are not
        shown("rp_rv_item", reference="RP-2610-0002", stars="★★", comment="回复太慢",
              outcome="已电话致歉"),
        shown("rp_rv_item", reference="RP-2610-0009", stars="★",
              comment=t("zh", "rp_no_comment"), outcome=t("zh", "rp_rv_open")),
    ]
    assert shown("rp_snippets_line", total=3) in text
    assert shown("rp_snippets_item", name="已收到正在处理", count=2) in text
    assert shown("rp_snippets_item", name="材料清单提醒", count=1) in text

    document = await bot.emu.next_message(bot.staff, lambda m: m.document is not None,
                                          timeout=20)
    assert document.document is not None
    assert document.document.content is not None
    wb = load_workbook(io.BytesIO(document.document.content))
    assert wb.sheetnames[-2:] == [shown("rp_rv_sheet"), shown("rp_snippets_sheet")]
    call_backs = list(wb[shown("rp_rv_sheet")].iter_rows(values_only=True))
    assert call_backs == [
        tuple(shown(f"rp_rv_col_{c}") for c in
              ("reference", "rating", "comment", "status", "outcome")),
        ("RP-2610-0002", 2, "回复太慢", shown("rp_rv_done"), "已电话致歉"),
        ("RP-2610-0009", 1, None, shown("rp_rv_open"), None),
    ]
    uses = list(wb[shown("rp_snippets_sheet")].iter_rows(values_only=True))
    assert uses == [(shown("rp_snippets_col_name"), shown("rp_snippets_col_uses")),
                    ("已收到正在处理", 2), ("材料清单提醒", 1)]
