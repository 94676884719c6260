"""A month of history at 上海机器人产业园 (October 2026), written straight into the database,
with every number of its report worked out by hand below (docs/reports.md's definitions).

Robot park keeps the default office hours, Monday to Friday 09:00-17:00, Beijing time. The
catalogue's calendar around it: 中秋 closes Fri 25 Sep; 国庆 closes 1-7 Oct; Sun 20 Sep and
Sat 10 Oct are 调休 make-up working days. Promises: other-needs and patent-fast-track 4 hours.

R0  other-needs, submitted Thu 10 Sep 10:00, claimed 11:00 by 李科员, still waiting.
R1  other-needs, submitted Wed 30 Sep 15:00; claimed Thu 8 Oct 10:00 by 李科员 (after the
    holiday): 2 h on 30 Sep + 1 h on 8 Oct = 3 h. Deadline: 2 h on 30 Sep + 2 h → 8 Oct 11:00
    (in October, met). Resolved Sat 10 Oct (调休) 10:00: 2 + 8 (8 Oct) + 8 (9 Oct) + 1 = 19 h.
    Rated 5 on 10 Oct.
R2  patent-fast-track, submitted Fri 9 Oct 16:00; an internal note at 16:30 (not a response);
    claimed Sat 10 Oct (调休) 10:00 by 李科员: 1 + 1 = 2 h. Deadline 10 Oct 12:00 (met).
    Resolved Mon 12 Oct 10:00: 1 + 8 + 1 = 10 h. Rated 2 “回复太慢” on 12 Oct: a 差评.
R3  other-needs, submitted Mon 12 Oct 09:00; first claimed 14:00 by 李科员 (5 h), unclaimed,
    claimed again Tue 13 Oct 09:30 by 张科员 (the claimed_at column says so; the first claim
    counts). Deadline 12 Oct 13:00: a breach. Open at the end (张科员).
R4  other-needs, submitted Thu 29 Oct 16:00, never answered. Deadline 1 h + 3 h on Fri 30 Oct →
    30 Oct 12:00: a breach. Open at the end (nobody's).
R5  other-needs, submitted Fri 30 Oct 16:00; an officer's message 16:30 (relayed), claimed by
    张科员 16:45: first response 0.5 h. Deadline Mon 2 Nov 12:00: not due in October.
    Resolved 16:45 (0.75 h); rated 4 on Sun 1 Nov: not a rating of October.
R6  other-needs, submitted Thu 15 Oct 10:00, withdrawn 10:10. Deadline 14:00, unanswered:
    a breach.
R7  other-needs at the bureau's own station, Tue 20 Oct: not robot park's.
R8  other-needs, submitted Mon 2 Nov: after the period.

October at robot park, by hand:
  received 5 (R2 R3 R4 R5 R6); resolved 3 (R1 R2 R5); open at the end 3 (R0 R3 R4)
  first response hours of October's requests [0.5, 2, 5]: median 2.0, p90 5.0
  resolution hours [0.75, 10, 19]: median 10.0, p90 19.0
  SLA: due 5 (R1 R2 R3 R4 R6), met 2 → 40.0 %, breaches R3 R4 R6
  ratings 2 (5★, 2★): 好评率 1/2 = 50.0 %, rating response 2/3 = 66.7 %, 差评 R2
Visits (windows: Mon 14:00-16:30, 5 slots × 2 seats; Thu 09:00-11:30, 5 slots × 1 seat):
  Mondays worked 12, 19, 26 Oct (5 Oct closed) → 30 seats; Thursdays 8, 15, 22, 29 Oct
  (1 Oct closed) → 20 seats. Booked: Mon 12 Oct 14:00 arrived + no-show, Thu 15 Oct 09:00
  arrived, Thu 29 Oct 10:00 confirmed; Mon 19 Oct 14:30 cancelled (not a booking).
  booked 4, attended 2, no-shows 1, no-show rate 1/3 = 33.3 %,
  seats Mon 2/30 = 6.7 %, Thu 2/20 = 10.0 %.
Companies: one registered at robot park in October (another in September, one at the bureau).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import insert

from storage.core.db import Database
from storage.tables import Booking, Company, Request, RequestEvent
from tests.harness import ACME_CODE, BETA_CODE

SHANGHAI = ZoneInfo("Asia/Shanghai")
LI, ZHANG = 9001, 9002


def at(text: str) -> datetime:
    """A Beijing wall-clock time, as the UTC moment stored."""
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI).astimezone(UTC)


def _request(number: int, company: int, service: str, submitted: str, *, station: str =
             "robot-park", status: str = "submitted", owner: tuple[int, str] | None = None,
             claimed: str | None = None, resolved: str | None = None, closed: str | None = None,
             rating: int | None = None, comment: str | None = None) -> dict[str, object]:
    created = at(submitted)
    return {
        "id": number, "reference": f"RP-2610-{number:04d}", "company_id": company,
        "station_id": station, "service_id": service, "status": status, "answers": {},
        "description": "需求", "created_by": 1, "claimed_by": owner[0] if owner else None,
        "owner_name": owner[1] if owner else None,
        "claimed_at": at(claimed) if claimed else None, "created_at": created,
        "updated_at": created, "due_at": created, "escalate_at": created, "queue_round": 0,
        "announced": False, "escalated": False,
        "first_response_at": None, "resolved_at": at(resolved) if resolved else None,
        "closed_at": at(closed) if closed else None, "rating": rating,
        "rating_comment": comment,
    }


def _event(request: int, kind: str, side: str, when: str, text: str = "") -> dict[str, object]:
    return {"request_id": request, "kind": kind, "side": side, "author_id": None,
            "author_name": "", "text": text, "created_at": at(when)}


def _visit(number: int, company: int, starts: str, status: str) -> dict[str, object]:
    start = at(starts)
    return {
        "id": number, "company_id": company, "user_id": 1, "station_id": "robot-park",
        "starts_at": start, "ends_at": start + timedelta(minutes=30), "service_id": None,
        "status": status, "remind_day_at": start, "remind_hour_at": start,
        "ics_uid": f"visit-{number}", "sequence": 0, "created_at": start, "updated_at": start,
    }


async def seed_october(db: Database) -> None:
    companies = [
        {"id": 1, "credit_code": ACME_CODE, "name": "上海甲科技有限公司", "contact_name": "王",
         "phone": "13800138000", "station_id": "robot-park", "created_at": at("2026-09-01 10:00")},
        {"id": 2, "credit_code": BETA_CODE, "name": "上海乙机器人有限公司", "contact_name": "赵",
         "phone": "13800138001", "station_id": "robot-park", "created_at": at("2026-10-05 10:00")},
        {"id": 3, "credit_code": "91310113MA1G0000XX"[:18], "name": "上海丙有限公司",
         "contact_name": "钱", "phone": "13800138002", "station_id": "bureau",
         "created_at": at("2026-10-20 10:00")},
    ]
    for c in companies:
        c["updated_at"] = c["created_at"]
        c["tier"] = "standard"
    requests = [
        _request(100, 1, "other-needs", "2026-09-10 10:00", status="waiting",
                 owner=(LI, "李科员"), claimed="2026-09-10 11:00"),
        _request(1, 1, "other-needs", "2026-09-30 15:00", status="closed", owner=(LI, "李科员"),
                 claimed="2026-10-08 10:00", resolved="2026-10-10 10:00",
                 closed="2026-10-10 12:00", rating=5),
        _request(2, 2, "patent-fast-track", "2026-10-09 16:00", status="closed",
                 owner=(LI, "李科员"), claimed="2026-10-10 10:00", resolved="2026-10-12 10:00",
                 closed="2026-10-12 11:00", rating=2, comment="回复太慢"),
        _request(3, 1, "other-needs", "2026-10-12 09:00", status="claimed",
                 owner=(ZHANG, "张科员"), claimed="2026-10-13 09:30"),
        _request(4, 2, "other-needs", "2026-10-29 16:00"),
        _request(5, 1, "other-needs", "2026-10-30 16:00", status="closed",
                 owner=(ZHANG, "张科员"), claimed="2026-10-30 16:45",
                 resolved="2026-10-30 16:45", closed="2026-11-01 10:00", rating=4),
        _request(6, 2, "other-needs", "2026-10-15 10:00", status="withdrawn",
                 closed="2026-10-15 10:10"),
        _request(7, 3, "other-needs", "2026-10-20 10:00", station="bureau", status="claimed",
                 owner=(LI, "李科员"), claimed="2026-10-20 10:30"),
        _request(8, 1, "other-needs", "2026-11-02 10:00"),
    ]
    events = [
        _event(100, "status", "staff", "2026-09-10 11:00", "claimed"),
        _event(1, "status", "enterprise", "2026-09-30 15:00", "submitted"),
        _event(1, "status", "staff", "2026-10-08 10:00", "claimed"),
        _event(1, "message", "staff", "2026-10-08 10:30", "您好"),
        _event(2, "note", "staff", "2026-10-09 16:30", "内部备注"),
        _event(2, "status", "staff", "2026-10-10 10:00", "claimed"),
        _event(3, "message", "enterprise", "2026-10-12 09:30", "请尽快"),
        _event(3, "status", "staff", "2026-10-12 14:00", "claimed"),
        _event(3, "status", "staff", "2026-10-12 15:00", "unclaimed"),
        _event(3, "status", "staff", "2026-10-13 09:30", "claimed"),
        _event(5, "message", "staff", "2026-10-30 16:30", "已收到"),
        _event(5, "status", "staff", "2026-10-30 16:45", "claimed"),
        _event(7, "status", "staff", "2026-10-20 10:30", "claimed"),
    ]
    visits = [
        _visit(1, 1, "2026-10-12 14:00", "arrived"),
        _visit(2, 2, "2026-10-12 14:00", "no_show"),
        _visit(3, 1, "2026-10-15 09:00", "arrived"),
        _visit(4, 2, "2026-10-19 14:30", "cancelled"),
        _visit(5, 2, "2026-10-29 10:00", "confirmed"),
    ]
    async with db.session() as s:
        await s.execute(insert(Company), companies)
        await s.execute(insert(Request), requests)
        await s.execute(insert(RequestEvent), events)
        await s.execute(insert(Booking), visits)
