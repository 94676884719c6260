"""Booking a window visit, and the enterprise's commands around it (/book, /bookings).

The common case is four taps: /book, a day at the company's own station (another station is
one tap away), a slot, Confirm. The topic and a note are offered on the confirm screen
rather than asked as steps of their own; a topic is asked first only when the slot takes
several kinds of visit and none is known yet. A reschedule starts at the day with the
station, topic and note of the visit it replaces. Every pick is checked again by the
rule book in :mod:`bot.schedule` when the seat is taken, so stale or forged buttons change
nothing they should not.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot import texts
from bot.core import display, engine
from bot.core.context import Ctx
from bot.core.engine import Flow, Step
from bot.core.payloads import BOOKING
from bot.core.replies import Button, Input, Reply, notice
from bot.visits import booking, schedule
from storage.requests.repo import RequestDTO
from storage.visits.repo import BookingDTO
from storage.visits.status import LIVE, BookingStatus

FLOW = "bk"
OTHER = "-"
# A topic button naming one of the company's open requests: ``r<request id>``.
REQUEST = "r"
# Open requests offered as topics, oldest first (the keyboard stays short).
REQUEST_TOPICS = 8


def _int(value: str) -> int | None:
    return int(value) if value.isascii() and value.isdigit() and len(value) < 12 else None


def _slot_key(value: str) -> int | None:
    """A slot key from a button: digits naming a minute this century, or None (forged)."""
    key = _int(value)
    return key if key is not None and schedule.is_key(key) else None


def _bookable(ctx: Ctx, service_id: str) -> bool:
    service = ctx.cat.service(service_id)
    return service is not None and service.bookable


class BookingFlow(Flow):
    name = FLOW
    title_key = "flow_title_bk"

    async def start(self, ctx: Ctx, **args: Any) -> Step:
        company = await ctx.company()
        if company is None:
            return Step.done(Reply(ctx.t("need_registration")))
        data: dict[str, Any] = {}
        service_id = args.get("service")
        if isinstance(service_id, str):
            if not _bookable(ctx, service_id):
                return Step.done(Reply(ctx.t("service_gone")))
            data["service"] = service_id
        request_id = args.get("request_id")
        if isinstance(request_id, int):
            req = await ctx.requests.open_of_company(request_id, company.id)
            if req is None:
                return Step.done(Reply(ctx.t("bk_request")))
            # The request is the topic: its service when windows take it, else "other".
            data.setdefault("service", OTHER)
            data.update(request_id=req.id, request_ref=req.reference)
        old_id = args.get("reschedule")
        if isinstance(old_id, int):
            old = await ctx.bookings.get(old_id)
            if old is None or old.company_id != company.id or old.status not in LIVE:
                return Step.done(Reply(ctx.t("bk_gone")))
            if not booking.can_cancel(ctx, old):
                reach = display.station_reach(ctx.cat.station(old.station_id), ctx.lang)
                return Step.done(Reply(ctx.t("bk_cutoff_passed", reach=reach)))
            data.update(reschedule=old.id, station=old.station_id, note=old.note,
                        service=old.service_id or OTHER)
            if old.request_id is not None:
                # The new time is about the same request, whatever its state now.
                linked = await ctx.requests.get(old.request_id)
                data.update(request_id=old.request_id,
                            request_ref=linked.reference if linked else None)
            return await self.prompt(ctx, "day", data)
        data["own"] = company.station_id
        stations = self._stations(ctx, data)
        if company.station_id in stations or len(stations) == 1:
            # Straight to the days of the company's own station: most visits go there.
            data["station"] = company.station_id if company.station_id in stations \
                else stations[0]
            data["preselected"] = len(stations) > 1
            return await self.prompt(ctx, "day", data)
        return await self.prompt(ctx, "station", data)

    # -- questions -----------------------------------------------------------------------
    async def prompt(self, ctx: Ctx, step: str, data: dict[str, Any]) -> Step:
        cancel = self.button(step, ctx.t("btn_cancel"), "cancel")
        if step == "station":
            return self._ask_station(ctx, data, cancel)
        if step == "day":
            return await self._ask_day(ctx, data, cancel)
        if step == "slot":
            return await self._ask_slot(ctx, data, cancel)
        if step == "topic":
            return await self._ask_topic(ctx, data, cancel)
        if step == "note":
            row = [self.button(step, ctx.t("btn_back"), "back")]
            if data.get("note"):
                row.insert(0, self.button(step, ctx.t("bk_btn_no_note"), "skip"))
            return Step([Reply(ctx.t("bk_ask_note", limit=booking.NOTE_LIMIT),
                               buttons=(tuple(row),), edit=True)], step, data)
        return self._ask_confirm(ctx, data)

    def _stations(self, ctx: Ctx, data: dict[str, Any]) -> list[str]:
        service = data.get("service")
        ids = [
            s.id for s in ctx.cat.stations
            if s.windows and schedule.service_offered(
                ctx.cat, s, service if service != OTHER else None)
        ]
        own = data.get("own")
        return sorted(ids, key=lambda i: i != own)

    def _ask_station(self, ctx: Ctx, data: dict[str, Any], cancel: Button) -> Step:
        ids = self._stations(ctx, data)
        if not ids:
            return Step.done(Reply(ctx.t("bk_no_station")))
        rows = tuple(
            (self.button("station", ctx.cat.station(i).name.get(ctx.lang)  # type: ignore[union-attr]
                         + (" ⭐" if i == data.get("own") else ""), i),)
            for i in ids
        )
        return Step([Reply(ctx.t("bk_ask_station"), buttons=(*rows, (cancel,)), edit=True)],
                     "station", data)

    def _service(self, data: dict[str, Any]) -> str | None:
        service = data.get("service")
        return service if isinstance(service, str) and service != OTHER else None

    async def _company_count(self, ctx: Ctx, data: dict[str, Any]) -> int:
        company = ctx.user.company_id or 0
        return await booking.upcoming(ctx, company, exclude=data.get("reschedule"))

    async def _ask_day(self, ctx: Ctx, data: dict[str, Any], cancel: Button) -> Step:
        station = ctx.cat.station(data["station"])
        assert station is not None
        count = await self._company_count(ctx, data)
        if count >= station.max_upcoming_bookings:
            over = booking.Outcome(problem=schedule.Problem.LIMIT.value)
            return Step.done(Reply(problem_text(ctx, over, station.id)))
        days = await booking.days_view(ctx, station.id, service_id=self._service(data),
                                       upcoming_count=count)
        # Preselected, the way back is the list of the other stations.
        back = self.button("day", ctx.t("bk_btn_other_station" if data.get("preselected")
                                        else "btn_back"), "back")
        if not days:
            return Step([Reply(ctx.t("bk_no_days", station=station.name.get(ctx.lang)),
                               buttons=((back, cancel),), edit=True)], "day", data)
        buttons = [
            self.button("day", booking.day_label(ctx.lang, d)
                        + (ctx.t("bk_day_free", seats=free) if free else ctx.t("bk_day_full")),
                        d.strftime("%Y%m%d"))
            for d, free in days
        ]
        rows = tuple(tuple(buttons[i:i + 2]) for i in range(0, len(buttons), 2))
        zone = schedule.zone_label(station, ctx.now, ctx.lang)
        return Step([Reply(ctx.t("bk_ask_day", station=station.name.get(ctx.lang), zone=zone),
                           buttons=(*rows, (back, cancel)), edit=True)], "day", data)

    async def _ask_slot(self, ctx: Ctx, data: dict[str, Any], cancel: Button,
                        prefix: str = "") -> Step:
        station = ctx.cat.station(data["station"])
        assert station is not None
        day = dt.datetime.strptime(data["day"], "%Y%m%d").date()
        view = await booking.day_view(ctx, station.id, day, service_id=self._service(data),
                                      upcoming_count=await self._company_count(ctx, data))
        rows: list[tuple[Button, ...]] = []
        for slot, free in view:
            a, b = schedule.local(station, slot.start), schedule.local(station, slot.end)
            label = f"{a:%H:%M}–{b:%H:%M} · "
            if free:
                rows.append((self.button("slot", label + ctx.t("bk_seats_left", seats=free),
                                         f"s{slot.key}"),))
            else:
                rows.append((self.button("slot", label + ctx.t("bk_slot_full_wait"),
                                         f"w{slot.key}"),))
        rows.append((self.button("slot", ctx.t("btn_back"), "back"), cancel))
        text = ctx.t("bk_ask_slot", day=booking.day_label(ctx.lang, day),
                     station=station.name.get(ctx.lang),
                     zone=schedule.zone_label(station, dt.datetime.combine(
                         day, dt.time(12), tzinfo=dt.UTC), ctx.lang))
        if not view:
            text = ctx.t("bk_day_gone")
        return Step([Reply(prefix + text, buttons=tuple(rows), edit=True)], "slot", data)

    def _slot(self, ctx: Ctx, data: dict[str, Any]) -> schedule.Slot | None:
        start = schedule.from_key(data["key"])
        return schedule.slot_problem(ctx.cat, data["station"], start, ctx.now)[0]

    def _request_topic(self, ctx: Ctx, data: dict[str, Any], req: RequestDTO) -> str | None:
        """The service a visit about ``req`` is booked under at the chosen slot (OTHER when
        the request's service is not taken at windows there), or None if the slot does not
        take such a visit."""
        station = ctx.cat.station(data["station"])
        slot = self._slot(ctx, data)
        if station is not None and schedule.service_offered(ctx.cat, station, req.service_id) \
                and (slot is None or slot.accepts(req.service_id)):
            return req.service_id
        return OTHER if slot is None or not slot.services else None

    async def _open_requests(self, ctx: Ctx) -> list[RequestDTO]:
        company = ctx.user.company_id
        if company is None:
            return []
        found = await ctx.requests.open_for_companies([company])
        return found.get(company, [])[:REQUEST_TOPICS]

    async def _ask_topic(self, ctx: Ctx, data: dict[str, Any], cancel: Button) -> Step:
        station = ctx.cat.station(data["station"])
        assert station is not None
        slot = self._slot(ctx, data)
        services = [
            s for s in ctx.cat.services_at(station.id)
            if s.bookable and (slot is None or slot.accepts(s.id))
        ]
        rows = tuple((self.button("topic", s.name.get(ctx.lang), s.id),) for s in services)
        requests = tuple(
            (self.button("topic", ctx.t(
                "bk_topic_request", reference=r.reference,
                service=display.service_label(ctx, r.service_id, ctx.lang)), f"{REQUEST}{r.id}"),)
            for r in await self._open_requests(ctx)
            if self._request_topic(ctx, data, r) is not None
        )
        other: tuple[tuple[Button, ...], ...] = ()
        if slot is None or not slot.services:
            other = ((self.button("topic", ctx.t("bk_topic_other"), OTHER),),)
        return Step([Reply(ctx.t("bk_ask_topic"),
                           buttons=(*requests, *rows, *other,
                                    (self.button("topic", ctx.t("btn_back"), "back"), cancel)),
                           edit=True)],
                    "topic", data)

    def _default_topic(self, ctx: Ctx, data: dict[str, Any]) -> str | None:
        """What a visit at the chosen slot is about when nobody said: a general visit where
        the slot takes any, the one service where it takes only one; None means ask."""
        slot = self._slot(ctx, data)
        if slot is None or not slot.services:
            return OTHER
        station = ctx.cat.station(data["station"])
        taken = [s.id for s in ctx.cat.services_at(station.id) if s.bookable
                 and slot.accepts(s.id)] if station is not None else []
        return taken[0] if len(taken) == 1 else None

    async def _on_topic(self, ctx: Ctx, data: dict[str, Any], value: str) -> Step:
        if value == "back":
            # Back to the summary when a topic was set already, else to the slots.
            return self._ask_confirm(ctx, data) if "service" in data \
                else await self.prompt(ctx, "slot", data)
        if value.startswith(REQUEST):
            request_id = _int(value[len(REQUEST):])
            company = ctx.user.company_id
            req = (await ctx.requests.open_of_company(request_id, company)
                   if request_id is not None and company is not None else None)
            topic = self._request_topic(ctx, data, req) if req is not None else None
            if req is None or topic is None:
                # Someone else's request, a closed one, or a forged payload: ask again.
                return await self.prompt(ctx, "topic", data)
            data.update(service=topic, request_id=req.id, request_ref=req.reference)
            return self._ask_confirm(ctx, data)
        station = ctx.cat.station(data["station"])
        if value != OTHER and (station is None or not schedule.service_offered(
                ctx.cat, station, value)):
            return await self.prompt(ctx, "topic", data)
        data["service"] = value
        data.pop("request_id", None)
        data.pop("request_ref", None)
        return self._ask_confirm(ctx, data)

    def _ask_confirm(self, ctx: Ctx, data: dict[str, Any], prefix: str = "") -> Step:
        station = ctx.cat.station(data["station"])
        assert station is not None
        start = schedule.from_key(data["key"])
        slot, _ = schedule.slot_problem(ctx.cat, station.id, start, ctx.now)
        end = slot.end if slot else start
        text = ctx.t(
            "bk_summary", station=station.name.get(ctx.lang),
            contact=display.station_contact(station, ctx.lang),
            when=booking.when_text(ctx.lang, station, start, end),
            topic=booking.about_text(ctx, ctx.lang, self._service(data),
                                     data.get("request_ref")),
            note=data.get("note") or "—",
        )
        if data.get("reschedule"):
            text = ctx.t("bk_reschedule_head") + "\n" + text
        text = prefix + text + "\n\n" + ctx.t("bk_summary_hint")
        return Step([Reply(text, buttons=(
            (self.button("confirm", ctx.t("btn_confirm"), "ok"),),
            (self.button("confirm", ctx.t("bk_btn_topic"), "topic"),
             self.button("confirm", ctx.t("bk_btn_note_edit" if data.get("note")
                                          else "bk_btn_note"), "note")),
            (self.button("confirm", ctx.t("btn_back"), "back"),
             self.button("confirm", ctx.t("btn_cancel"), "cancel")),
        ), edit=True)], "confirm", data)

    # -- answers -------------------------------------------------------------------------
    async def on_input(self, ctx: Ctx, step: str, data: dict[str, Any], inp: Input) -> Step:
        if inp.kind == "button" and inp.data == "cancel":
            return Step.done(Reply(ctx.t("bk_flow_cancelled"), edit=True))
        if step in ("note", "confirm") and inp.kind == "text" and "key" in data:
            # Typed on the summary or when asked: the note, shown on a fresh summary.
            text = " ".join(inp.text.split())
            if len(text) > booking.NOTE_LIMIT:
                return Step([Reply(ctx.t("too_long", limit=booking.NOTE_LIMIT,
                                         length=len(text)))], step, data)
            data["note"] = text or None
            return self._ask_confirm(ctx, data, prefix=ctx.t("bk_note_saved") + "\n\n")
        if inp.kind != "button":
            again = await self.prompt(ctx, step, data)
            return Step([Reply(ctx.t("expect_button")), *again.replies], step, data)
        value = inp.data
        if step == "station":
            if value not in self._stations(ctx, data):
                return await self.prompt(ctx, "station", data)
            data["station"] = value
            return await self.prompt(ctx, "day", data)
        if step == "day":
            return await self._on_day(ctx, data, value)
        if step == "slot":
            return await self._on_slot(ctx, data, value)
        if step == "topic":
            return await self._on_topic(ctx, data, value)
        if step == "note":
            if value == "skip":
                data["note"] = None
            return self._ask_confirm(ctx, data)
        if step == "confirm":
            if value == "back":
                return await self.prompt(ctx, "slot", data)
            if value == "ok":
                return await self._confirm(ctx, data)
            if value == "topic":
                return await self.prompt(ctx, "topic", data)
            if value == "note":
                return await self.prompt(ctx, "note", data)
            return self._ask_confirm(ctx, data)
        return await self.prompt(ctx, step, data)

    async def _on_day(self, ctx: Ctx, data: dict[str, Any], value: str) -> Step:
        if value == "back":
            if data.get("reschedule"):
                return Step.done(Reply(ctx.t("bk_flow_cancelled"), edit=True))
            return await self.prompt(ctx, "station", data)
        try:
            dt.datetime.strptime(value, "%Y%m%d")
        except ValueError:
            return await self.prompt(ctx, "day", data)
        data["day"] = value
        return await self.prompt(ctx, "slot", data)

    async def _on_slot(self, ctx: Ctx, data: dict[str, Any], value: str) -> Step:
        if value == "back":
            return await self.prompt(ctx, "day", data)
        key = _slot_key(value[1:])
        if key is None or value[:1] not in ("s", "w"):
            return await self.prompt(ctx, "slot", data)
        start = schedule.from_key(key)
        count = await self._company_count(ctx, data)
        slot, problem = schedule.slot_problem(ctx.cat, data["station"], start, ctx.now,
                                              service_id=self._service(data), upcoming=count)
        if slot is None or problem is not None:
            refused = booking.Outcome(problem=(problem or schedule.Problem.NO_SLOT).value)
            return Step([notice(problem_text(ctx, refused, data["station"]), alert=True)],
                        "slot", data)
        if value[0] == "w":
            joined = await booking.join_wait(
                ctx, company_id=ctx.user.company_id or 0, user_id=ctx.user.id,
                station_id=slot.station_id, start=slot.start, service_id=self._service(data))
            return Step([notice(ctx.t("bk_wait_joined" if joined else "bk_wait_already"),
                                alert=True)], "slot", data)
        data["key"] = key
        data["day"] = slot.day.strftime("%Y%m%d")
        if "service" not in data or (data["service"] == OTHER and slot.services):
            topic = self._default_topic(ctx, data)
            if topic is None:
                return await self.prompt(ctx, "topic", data)
            data["service"] = topic
        return self._ask_confirm(ctx, data)

    async def _confirm(self, ctx: Ctx, data: dict[str, Any]) -> Step:
        company_id = ctx.user.company_id
        if company_id is None:
            return Step.done(Reply(ctx.t("need_registration")))
        outcome = await booking.book(
            ctx, company_id=company_id, user_id=ctx.user.id, station_id=data["station"],
            start=schedule.from_key(data["key"]), service_id=self._service(data),
            note=data.get("note"), request_id=data.get("request_id"),
            reschedule_of=data.get("reschedule"),
        )
        if outcome.ok:
            assert outcome.booking is not None
            return Step.done(*confirmed_replies(ctx, outcome.booking,
                                                rescheduled=bool(data.get("reschedule")),
                                                reference=data.get("request_ref")))
        return await self._failed(ctx, data, outcome)

    async def _failed(self, ctx: Ctx, data: dict[str, Any], outcome: booking.Outcome) -> Step:
        if outcome.problem == "duplicate" and outcome.booking is not None:
            return Step.done(Reply(ctx.t("bk_already_yours") + "\n\n"
                                   + booking.booking_text(ctx, ctx.lang, outcome.booking),
                                   edit=True))
        station = ctx.cat.station(data["station"])
        if outcome.problem == "taken" and station is not None:
            return Step([Reply(
                just_taken_text(ctx, outcome),
                buttons=(*(
                    (self.button("slot", slot_label(ctx, station, a), f"s{a.key}"),)
                    for a in outcome.alternatives),
                    (self.button("slot", ctx.t("bk_btn_other_days"), "back"),
                     self.button("slot", ctx.t("btn_cancel"), "cancel")),
                ), edit=True)], "slot", data)
        return Step.done(Reply(problem_text(ctx, outcome, data["station"]), edit=True))

    async def check(self, ctx: Ctx, step: str, data: dict[str, Any]) -> Step | None:
        station = data.get("station")
        if station is not None and ctx.cat.station(station) is None:
            return Step.done(Reply(ctx.t("bk_station_gone")))
        service = self._service(data)
        if service is not None and not _bookable(ctx, service):
            # Without this the seat check would refuse with "this slot does not take it".
            return Step.done(Reply(ctx.t("flow_ended_service_gone")))
        return None




def slot_label(ctx: Ctx, station: Any, slot: schedule.Slot) -> str:
    a = schedule.local(station, slot.start)
    return f"{booking.day_label(ctx.lang, slot.day)} {a:%H:%M}"


def just_taken_text(ctx: Ctx, outcome: booking.Outcome) -> str:
    return ctx.t("bk_just_taken" if outcome.alternatives else "bk_just_taken_none")


# Problems told in a sentence of their own, ``bk_<problem>``; the others are ``bk_problem_…``.
_OWN_TEXT = ("gone", "cutoff", "same", "duplicate", "expired", "rebooked", "request")


def problem_text(ctx: Ctx, outcome: booking.Outcome, station_id: str | None = None) -> str:
    """Why a booking, an accept or a rebook did not happen, in the person's language."""
    problem = outcome.problem or "gone"
    if station_id is None and outcome.booking is not None:
        station_id = outcome.booking.station_id
    station = ctx.cat.station(station_id) if station_id else None
    if problem in _OWN_TEXT:
        return ctx.t(f"bk_{problem}", reach=display.station_reach(station, ctx.lang))
    key = f"bk_problem_{problem}"
    return ctx.t(key if texts.has(key) else "bk_problem_no_slot",
                 limit=station.max_upcoming_bookings if station else 0)


def confirmed_replies(ctx: Ctx, item: BookingDTO, *, rescheduled: bool = False,
                      reference: str | None = None) -> list[Reply]:
    text, ics = booking.confirmation(ctx, ctx.lang, item, reference=reference)
    if rescheduled:
        text = ctx.t("bk_rescheduled") + "\n" + text
    if item.status == BookingStatus.PENDING_APPROVAL:
        # Not in anyone's calendar until an officer approves it: the file comes then.
        return [Reply(text, edit=True)]
    return [Reply(text, edit=True), Reply("", document=ics)]


def _duration(ctx: Ctx, minutes: int) -> str:
    """"24 小时" for whole hours, "1 小时 30 分" otherwise."""
    if minutes % 60 == 0:
        return ctx.t("duration_hours", hours=minutes // 60)
    return display.age_text(dt.timedelta(minutes=minutes), ctx.lang)


# -- commands and buttons outside the flow ----------------------------------------------------
async def book_command(ctx: Ctx, args: list[str]) -> list[Reply]:
    return await engine.begin(ctx, FLOW)


async def bookings_command(ctx: Ctx, args: list[str]) -> list[Reply]:
    return [await bookings_screen(ctx)]


async def bookings_screen(ctx: Ctx, *, edit: bool = False) -> Reply:
    company = await ctx.company()
    if company is None:
        return Reply(ctx.t("need_registration"))
    repo = ctx.bookings
    upcoming = await repo.of_company(company.id, ctx.now, upcoming=True)
    past = await repo.of_company(company.id, ctx.now, upcoming=False, limit=5)
    parts = [ctx.t("bk_list_upcoming") if upcoming else ctx.t("bk_list_none")]
    rows: list[tuple[Button, ...]] = []
    for item in upcoming:
        parts.append(booking.booking_text(ctx, ctx.lang, item))
        if item.status == BookingStatus.OFFERED:
            rows.append((Button(ctx.t("bk_btn_accept") + f" {item.ref}",
                                f"{BOOKING}acc:{item.id}"),))
        elif booking.can_cancel(ctx, item):
            rows.append((Button(ctx.t("bk_btn_cancel") + f" {item.ref}", f"{BOOKING}cx:{item.id}"),
                         Button(ctx.t("bk_btn_reschedule") + f" {item.ref}",
                                f"{BOOKING}rs:{item.id}")))
        else:
            # No buttons inside the cutoff: say why, and whom to call instead.
            station = ctx.cat.station(item.station_id)
            parts[-1] += "\n" + ctx.t(
                "bk_locked", ref=item.ref,
                cutoff=_duration(ctx, station.cancel_cutoff_minutes if station else 0),
                reach=display.station_reach(station, ctx.lang))
    # A visit called off before its day is not history: it gets its own heading.
    called_off = [i for i in past if i.starts_at > ctx.now]
    for title, items in (("bk_list_called_off", called_off),
                         ("bk_list_past", [i for i in past if i.starts_at <= ctx.now])):
        if not items:
            continue
        parts.append(ctx.t(title))
        for item in items:
            station = ctx.cat.station(item.station_id)
            when = (booking.when_text(ctx.lang, station, item.starts_at, item.ends_at)
                    if station else "")
            parts.append(ctx.t("bk_past_line", ref=item.ref, when=when,
                               status=ctx.t(f"bk_status_{item.status}")))
    return Reply("\n\n".join(parts), buttons=tuple(rows), edit=edit)


async def press(ctx: Ctx, data: str) -> list[Reply]:
    """Answer a ``bk:`` button: book from a card, cancel, reschedule, accept, rebook."""
    parts = data.split(":")
    action = parts[1] if len(parts) > 1 else ""
    company_id = ctx.user.company_id
    if action == "svc" and len(parts) == 3:
        return await engine.begin(ctx, FLOW, service=parts[2])
    ident = _int(parts[2]) if len(parts) > 2 else None
    if company_id is None:
        return [Reply(ctx.t("need_registration"))]
    if ident is None:
        return [notice(ctx.t("stale_button"))]
    if action == "cx":
        item = await ctx.bookings.get(ident)
        if item is None or item.company_id != company_id or item.status not in LIVE:
            return [notice(ctx.t("bk_gone"), alert=True)]
        return [Reply(ctx.t("bk_cancel_sure") + "\n\n" + booking.booking_text(ctx, ctx.lang, item),
                      buttons=((Button(ctx.t("bk_btn_cancel_yes"), f"{BOOKING}cxy:{item.id}"),
                                Button(ctx.t("btn_back"), BOOKING + "list:0")),), edit=True)]
    if action == "cxy":
        outcome = await booking.cancel(ctx, ident, company_id)
        if outcome.problem is not None or outcome.booking is None:
            return [notice(problem_text(ctx, outcome), alert=True)]
        ics = booking.ics_for(ctx, ctx.lang, outcome.booking, cancelled=True)
        return [Reply(ctx.t("bk_cancelled", ref=outcome.booking.ref), edit=True),
                Reply("", document=ics)]
    if action == "rs":
        return await engine.begin(ctx, FLOW, reschedule=ident)
    if action == "list":
        return [await bookings_screen(ctx, edit=True)]
    if action == "acc":
        outcome = await booking.accept(ctx, ident, company_id)
        if outcome.ok and outcome.booking is not None:
            return confirmed_replies(ctx, outcome.booking)
        if outcome.problem == "duplicate":
            return [notice(problem_text(ctx, outcome), alert=True)]
        return [Reply(problem_text(ctx, outcome), edit=True)]
    if action == "pass":
        item = await ctx.bookings.get(ident)
        if item is None or item.company_id != company_id:
            return [notice(ctx.t("stale_button"))]
        if await booking.release_offer(ctx, item, BookingStatus.DECLINED):
            return [Reply(ctx.t("bk_passed"), edit=True)]
        # Accepted (or expired, or passed) meanwhile, perhaps on another device: say what holds.
        now = await ctx.bookings.get(ident)
        status = now.status if now else BookingStatus.EXPIRED
        if status in LIVE:
            return [notice(ctx.t("bk_pass_kept"), alert=True)]
        passed = status == BookingStatus.DECLINED
        return [notice(ctx.t("bk_passed" if passed else "bk_expired"), alert=True)]
    if action == "re" and len(parts) == 4 and (slot_key := _slot_key(parts[3])) is not None:
        outcome = await booking.rebook_alternative(ctx, ident, slot_key, company_id, ctx.user.id)
        if outcome.ok and outcome.booking is not None:
            return confirmed_replies(ctx, outcome.booking)
        return [notice(problem_text(ctx, outcome), alert=True)]
    return [notice(ctx.t("stale_button"))]
