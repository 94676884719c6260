"""``python -m bench [--quick] [--database-url URL]``, ``python -m bench seed --rows N``,
``python -m bench reports [--requests N] [--pg URL]`` and ``python -m bench --replicas N``.

Exits non-zero only when the bot got something wrong (a company twice, a lost message);
speed is reported, never asserted, so slow machines pass.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="short windows, 10k pre-seeded rows (under two minutes)")
    parser.add_argument("--database-url", "--pg", default=None,
                        help="a PostgreSQL server URL; the bench makes (and drops) its own "
                             "databases there. Default: SQLite files in a temporary folder "
                             "(with --replicas: postgresql+asyncpg://postgres@127.0.0.1:5432/"
                             "postgres)")
    parser.add_argument("--replicas", type=int, default=None, metavar="N",
                        help="1, 2, … N replicas in webhook mode behind nginx, on PostgreSQL: "
                             "updates/s, CPU per update per replica, where the database waits")
    parser.add_argument("--users", type=int, default=None,
                        help="concurrent people when saturating (default 64)")
    parser.add_argument("--seconds", type=float, default=None, help="measurement window")
    parser.add_argument("--preseed", type=int, default=None,
                        help="companies registered before the load run (default 100k, "
                             "10k with --quick)")
    parser.add_argument("--transport", choices=("aiohttp", "httpx"), default="aiohttp",
                        help="our bot's HTTP transport (FRONTDOOR_HTTP_TRANSPORT)")
    parser.add_argument("--no-echo", action="store_true", help="skip the PTB echo bot")
    parser.add_argument("--no-aiogram", action="store_true", help="skip the aiogram echo bot")
    parser.add_argument("--no-scaling", action="store_true", help="skip 1k/10k/100k timings")
    parser.add_argument("--keep", action="store_true", help="keep logs and databases")
    sub = parser.add_subparsers(dest="command")
    seed = sub.add_parser("seed", help="bulk-insert rows into a migrated database")
    seed.add_argument("--rows", type=int, required=True)
    seed.add_argument("--database-url", required=True, dest="seed_url")
    sub.add_parser("flood", help="how long others wait while one person floods the bot")
    notice = sub.add_parser("notice", help="a notice to many people under Telegram's limit, "
                                           "with interactive traffic alongside")
    notice.add_argument("--recipients", type=int, default=10_000,
                        help="people the notice goes to (default 10,000)")
    plan = sub.add_parser("explain", help="the plans of the timed queries on a seeded database")
    plan.add_argument("--rows", type=int, required=True, help="the rows it was seeded with")
    plan.add_argument("--database-url", required=True, dest="seed_url")
    reports = sub.add_parser("reports", help="/report's numbers and workbook on a big history")
    reports.add_argument("--requests", type=int, default=100_000,
                         help="requests seeded over two months (default 100k)")
    reports.add_argument("--pg", default=None, dest="reports_url",
                         help="a PostgreSQL server URL (the bench makes and drops its own "
                              "database there). Default: SQLite in a temporary folder")
    reports.add_argument("--heap", action="store_true",
                         help="a second pass under tracemalloc: Python's own peak allocations")
    return parser


async def _seed(url: str, rows: int) -> None:
    from bench.seed import seed
    from storage.core.db import Database
    from storage.migrate import upgrade

    await upgrade(url)
    db = Database(url)
    try:
        await seed(db, rows)
    finally:
        await db.dispose()


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "seed":
        asyncio.run(_seed(args.seed_url, args.rows))
        print(f"seeded {args.rows:,} companies (with a person each), requests and bookings")
        return 0
    if args.command == "flood":
        from bench.flood import main as flood_main

        return flood_main()
    if args.command == "notice":
        from bench.notice import main as notice_main

        return notice_main(args.recipients)
    if args.command == "reports":
        from bench.reports import main as reports_main

        return reports_main(args.requests, args.reports_url or args.database_url,
                            heap=args.heap, keep=args.keep)
    if args.command == "explain":
        from bench.explain import explain

        asyncio.run(explain(args.seed_url, args.rows))
        return 0
    from bench.report import print_report
    from bench.run import Options, run

    overrides = {
        key: value for key, value in (
            ("users", args.users), ("seconds", args.seconds), ("preseed", args.preseed),
        ) if value is not None
    }
    common = {
        "database_url": args.database_url, "echo": not args.no_echo,
        "aiogram": not args.no_aiogram, "scaling": not args.no_scaling,
        "transport": args.transport, "keep": args.keep, **overrides,
    }
    if args.replicas is not None:
        from bench.replicas import PRESEED
        from bench.replicas import main as replicas_main

        common.setdefault("preseed", PRESEED)
        common["scaling"] = False
        opts = Options.quick_run(**common) if args.quick else Options(**common)
        return replicas_main(opts, max(1, args.replicas))
    opts = Options.quick_run(**common) if args.quick else Options(**common)
    report = asyncio.run(run(opts))
    print_report(report)
    return 0 if report.correct else 1


if __name__ == "__main__":
    sys.exit(main())
