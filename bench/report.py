"""One table: speed beside the yardsticks, correctness, memory, and how cost grows."""

from __future__ import annotations

import os
import platform
import sys

from bench.load import Phase, fmt_ms
from bench.run import SIZES, Report

# Goals the project set itself (reported against, never asserted).
TARGET_RATIO = 1.0
TARGET_P99_MS = 100.0
TARGET_GROWTH = 1.5
TARGET_RSS_MB = 250.0


def _mark(ok: bool) -> str:
    return "✔" if ok else "✘"


def _phase_row(name: str, phase: Phase | None, base: Phase | None) -> str:
    if phase is None:
        return f"| {name} | – | – | – | – | – | – |"
    ratio = f"{phase.throughput / base.throughput:.2f}×" if base and base.throughput else "–"
    return (
        f"| {name} | {phase.throughput:,.0f} | {fmt_ms(phase.percentile(50))} | "
        f"{fmt_ms(phase.percentile(95))} | {fmt_ms(phase.percentile(99))} | "
        f"{phase.cpu_ms_per_update:.2f} | {ratio} |"
    )


def render(report: Report) -> str:
    opts = report.options
    ours = report.phases.get("ours")
    paced = report.phases.get("paced")
    ptb = report.phases.get("ptb-echo")
    aio = report.phases.get("aiogram-echo")
    lines: list[str] = []
    mode = "quick" if opts.quick else "full"
    lines.append(
        f"Frontdoor load benchmark ({mode}; {report.backend}; {os.cpu_count()} CPUs; "
        f"Python {platform.python_version()}; transport {opts.transport}; "
        f"{opts.users} concurrent people; {opts.seconds:.0f}s windows)"
    )
    lines.append("")
    lines.append("| run | updates/s | p50 ms | p95 ms | p99 ms | bot CPU ms/update | vs PTB echo |")
    lines.append("|---|---:|---:|---:|---:|---:|---:|")
    per = f"{report.updates_per_journey:.0f} updates/journey"
    lines.append(_phase_row(f"frontdoor, full journeys, saturated ({per})", ours, ptb))
    lines.append(_phase_row("frontdoor, open loop at ~50% of max", paced, ptb))
    lines.append(_phase_row("bare PTB echo (httpx, sequential)", ptb, ptb))
    lines.append(_phase_row("bare aiogram 3 echo (defaults)", aio, ptb))
    lines.append("")
    lines.append("| target | where we stand | |")
    lines.append("|---|---|---|")
    if ours and ptb and ptb.throughput:
        ratio = ours.throughput / ptb.throughput
        lines.append(f"| throughput ≥ {TARGET_RATIO:.1f}× PTB echo | {ratio:.2f}× | "
                     f"{_mark(ratio >= TARGET_RATIO)} |")
    if ours and aio and aio.throughput:
        ratio = ours.throughput / aio.throughput
        lines.append(f"| (stretch) ≥ 1.0× aiogram echo | {ratio:.2f}× | {_mark(ratio >= 1.0)} |")
    if paced:
        p99 = paced.percentile(99) * 1000
        lines.append(f"| p99 ≤ {TARGET_P99_MS:.0f} ms at ~50% load "
                     f"({paced.throughput:,.0f} updates/s) | {p99:.1f} ms | "
                     f"{_mark(p99 <= TARGET_P99_MS)} |")
    rss = report.peak_rss / 2**20
    lines.append(f"| bot peak RSS ≤ {TARGET_RSS_MB:.0f} MB ({opts.preseed:,} companies seeded) | "
                 f"{rss:.0f} MB | {_mark(0 < rss <= TARGET_RSS_MB)} |")
    for label, row in report.scaling.items():
        first, last = row.get(SIZES[0]), row.get(SIZES[-1])
        if first and last:
            growth = last / first
            lines.append(f"| {label}: {SIZES[-1] // 1000}k/{SIZES[0] // 1000}k ≤ "
                         f"{TARGET_GROWTH} | {growth:.2f}× | {_mark(growth <= TARGET_GROWTH)} |")
    lines.append("")
    lines.append("| correctness | result | |")
    lines.append("|---|---|---|")
    for name, ok, detail in report.checks:
        lines.append(f"| {name} | {detail} | {_mark(ok)} |")
    if report.scaling:
        lines.append("")
        head = " | ".join(f"{s // 1000}k ms" for s in SIZES)
        ratios = " | ".join(f"{s // 1000}k/{SIZES[0] // 1000}k" for s in SIZES[1:])
        lines.append(f"| repository call (median) | {head} | {ratios} |")
        lines.append("|---|" + "---:|" * (len(SIZES) * 2 - 1))
        for label, row in report.scaling.items():
            if any(v is None for v in row.values()):
                cells = " | ".join("–" for _ in range(len(SIZES) * 2 - 1))
                lines.append(f"| {label} (feature not merged yet) | {cells} |")
                continue
            first_ms = row[SIZES[0]] or float("nan")
            timings = " | ".join(f"{(row[s] or 0) * 1000:.2f}" for s in SIZES)
            grown = " | ".join(f"{(row[s] or 0) / first_ms:.2f}×" for s in SIZES[1:])
            lines.append(f"| {label} | {timings} | {grown} |")
    failures = [(k, p) for k, p in report.phases.items() if p.failures]
    if report.notes or failures:
        lines.append("")
        for note in report.notes:
            lines.append(f"note: {note}")
        for key, phase in failures:
            lines.append(f"note: {key}: {len(phase.failures)} journeys failed, first: "
                         f"{phase.failures[0]}")
    lines.append("")
    lines.append(f"correctness: {'ok' if report.correct else 'FAILED'}")
    return "\n".join(lines)


def print_report(report: Report) -> None:
    sys.stdout.write(render(report) + "\n")
    sys.stdout.flush()
