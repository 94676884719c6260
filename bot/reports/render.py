"""A report as the one message people read: the headline numbers, in the reader's language."""

from __future__ import annotations

from bot.catalogue import Catalogue
from bot.core.display import zone_name
from bot.reports.metrics import Report, nearest_rank, percent
from bot.texts import t

# Lines of breaches and 差评 shown in the message; the workbook lists them all.
LISTED = 10


def station_name(cat: Catalogue, station_id: str, lang: str) -> str:
    station = cat.station(station_id)
    return station.name.get(lang) if station else station_id


def _hours(value: float | None, lang: str) -> str:
    return t(lang, "rp_none") if value is None else f"{value:.1f}"


def _pct(value: float | None, lang: str) -> str:
    return t(lang, "rp_none") if value is None else f"{value:.1f}%"


def scope_name(cat: Catalogue, report: Report, lang: str) -> str:
    if not report.station_ids:
        return t(lang, "rp_all_stations")
    return "、".join(station_name(cat, s, lang) for s in report.station_ids)


def headline(cat: Catalogue, report: Report, lang: str, zone: str) -> str:
    """The message: requests, times, SLA, ratings, visits, companies."""
    p = report.period
    lines = [t(lang, "rp_title", scope=scope_name(cat, report, lang),
               first=p.first.isoformat(), last=p.last.isoformat(), zone=zone_name(zone, lang)),
             "",
             t(lang, "rp_requests", received=report.received, resolved=report.resolved,
               open=report.open_at_end)]
    for station_id, (received, resolved, still_open) in sorted(
            report.by.get("station", {}).items()):
        lines.append(t(lang, "rp_station_line", station=station_name(cat, station_id, lang),
                       received=received, resolved=resolved, open=still_open))
    lines.append(t(
        lang, "rp_times",
        frt_median=_hours(nearest_rank(report.first_response_hours, 50), lang),
        frt_p90=_hours(nearest_rank(report.first_response_hours, 90), lang),
        res_median=_hours(nearest_rank(report.resolution_hours, 50), lang),
        res_p90=_hours(nearest_rank(report.resolution_hours, 90), lang)))
    lines.append(t(lang, "rp_sla", rate=_pct(percent(report.sla_met, report.sla_due), lang),
                   due=report.sla_due, met=report.sla_met))
    if report.breaches:
        refs = "、".join(b.reference for b in report.breaches[:LISTED])
        more = "…" if len(report.breaches) > LISTED else ""
        lines.append(t(lang, "rp_breaches", references=refs + more))
    lines += ["", t(lang, "rp_ratings",
                    satisfaction=_pct(percent(report.good, report.rated), lang),
                    rated=report.rated,
                    response=_pct(percent(report.rated, report.resolved), lang),
                    **{f"r{n}": report.ratings.get(n, 0) for n in range(1, 6)})]
    for bad in report.bad[:LISTED]:
        lines.append(t(lang, "rp_bad_line", reference=bad.reference, company=bad.company,
                       rating=bad.rating, officer=bad.officer_name or t(lang, "rp_none"),
                       comment=bad.comment or t(lang, "rp_no_comment")))
    lines += ["", t(lang, "rp_visits", booked=report.booked, attended=report.attended,
                    no_shows=report.no_shows,
                    rate=_pct(percent(report.no_shows, report.attended + report.no_shows),
                              lang))]
    items = [
        t(lang, "rp_seat_item", station=station_name(cat, w.station_id, lang),
          weekday=t(lang, f"wd_{w.weekday}"), start=f"{w.start:%H:%M}", end=f"{w.end:%H:%M}",
          rate=_pct(percent(w.booked, w.offered), lang))
        for w in report.windows if w.offered
    ]
    if items:
        lines.append(t(lang, "rp_seats", items="；".join(items) if lang == "zh"
                       else "; ".join(items)))
    lines += ["", t(lang, "rp_companies", count=sum(report.new_companies.values()))]
    return "\n".join(lines)
