"""Benchmark of the commune dashboard against the same aggregates in raw SQL.

Run it (after ``make test`` or ``make install compilemessages`` once), or
``make bench-dashboard``::

    .venv/bin/python -m tests.perf.bench_dashboard                    # 50,000 households
    .venv/bin/python -m tests.perf.bench_dashboard --households 2000 --runs 3

It never touches the developer's database: a scratch database as
``tests.perf.bench_registry`` makes one (SQLite in a temporary folder, or with
``DATABASE_URL`` a PostgreSQL database named after it plus ``_bench_dashboard``, dropped
at the end).

It builds a large commune (``tests.perf.large_commune``: at 50,000 households, 200,000
loans, about 150,000 repayments, 100,000 contacts, 20,000 attended enrolments), then, as
a commune official through Django's test client, measures the wall time (median and max
over ``--runs``, the first, cold run included) and the SQL queries of the dashboard for
the year 2025 and its first nine months, for the whole commune and for one hamlet. Beside
each it runs the same aggregates as hand-written SQL (``tests.perf.dashboard_sql``, one
statement per aggregate, checked by ``tests/dashboard/test_bench_sql.py``) on the same
database with a plain cursor, and prints the sum of their times (median over the runs),
the ratio, and whether the dashboard meets the aim of 3× the raw SQL plus 50 ms. It
prints figures only: no thresholds enforced, exit status 0.
"""

import argparse
import os
import statistics
import sys
from urllib.parse import urlencode

from tests.perf.bench_registry import machine, measure, scratch_database

SUFFIX = "_bench_dashboard"
YEAR = 2025
HAMLET = "Buôn Tiêu"  # the largest ethnic-minority hamlet
AIM_FACTOR, AIM_MS = 3, 50


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--households",
        type=int,
        default=50_000,
        help="households of the commune; loans 4×, contacts 2× (default 50000)",
    )
    parser.add_argument(
        "--runs", type=int, default=5, help="requests per page (default 5)"
    )
    return parser.parse_args()


def pages(commune) -> list[tuple[str, dict, list[int], object]]:
    """(label, GET parameters, village ids counted, period) of each page measured."""
    from eakutur.dashboard.periods import nine_months, whole_year

    villages = list(commune.villages.order_by("sort_order", "name"))
    hamlet = next(v for v in villages if v.name == HAMLET)
    everywhere = [v.pk for v in villages]
    year = {"period": "year", "year": YEAR}
    nine = {"period": "nine_months", "year": YEAR}
    return [
        (f"year {YEAR}", year, everywhere, whole_year(YEAR)),
        (f"nine months {YEAR}", nine, everywhere, nine_months(YEAR)),
        (f"year {YEAR}, {HAMLET}", {**year, "village": hamlet.pk}, [hamlet.pk],
         whole_year(YEAR)),
        (f"nine months {YEAR}, {HAMLET}", {**nine, "village": hamlet.pk},
         [hamlet.pk], nine_months(YEAR)),
    ]  # fmt: skip


def raw_sql(village_ids: list[int], period, runs: int) -> tuple[list[float], dict]:
    """Total ms of all the statements per run, and each statement's ms per run."""
    from django.db import connection
    from django.utils import timezone

    from tests.perf.dashboard_sql import SqlScope, run_all

    scope = SqlScope(
        tuple(village_ids), period.start, period.end, today=timezone.localdate()
    )
    totals, by_statement = [], {}
    for _ in range(runs):
        results = run_all(connection, scope)
        totals.append(sum(r.ms for r in results.values()))
        for name, result in results.items():
            by_statement.setdefault(name, []).append(result.ms)
    return totals, by_statement


def bench(households: int, runs: int) -> tuple[list[tuple], dict]:
    from django.test import Client

    from tests.perf.large_commune import build_large_commune

    print(f"Building a commune of {households:,} households...", flush=True)
    built = build_large_commune(
        households=households, say=lambda text: print(f"  {text}", flush=True)
    )
    summary = ", ".join(f"{n:,} {name}" for name, n in built.counts.items())
    print(f"Built in {built.seconds:,.0f} s: {summary}", flush=True)
    client = Client()
    client.force_login(built.official)
    rows, statements = [], {}
    for label, params, village_ids, period in pages(built.commune):
        print(f"Measuring {label}...", flush=True)
        url = f"/dashboard/?{urlencode(params)}"
        times, queries, _content = measure(client, url, runs)
        totals, by_statement = raw_sql(village_ids, period, runs)
        rows.append((label, times, queries, totals))
        for name, ms in by_statement.items():
            statements.setdefault(name, {})[label] = statistics.median(ms)
    return rows, statements


def print_table(head: tuple, lines: list[tuple], aligns: str) -> None:
    widths = [max(len(str(r[i])) for r in [head, *lines]) for i in range(len(head))]

    def fmt(row) -> str:
        cells = [f"{c!s:{a}{w}}" for c, a, w in zip(row, aligns, widths, strict=True)]
        return "  ".join(cells).rstrip()

    print(fmt(head))
    print("  ".join("-" * w for w in widths))
    for line in lines:
        print(fmt(line))


def report(rows: list[tuple], statements: dict) -> None:
    lines, placeholder = [], False
    for label, times, queries, totals in rows:
        dashboard, raw = statistics.median(times), statistics.median(totals)
        aim = AIM_FACTOR * raw + AIM_MS
        placeholder = placeholder or queries < 5
        lines.append((
            label, f"{dashboard:,.0f}", f"{max(times):,.0f}", queries, f"{raw:,.1f}",
            f"{dashboard / raw:,.1f}×", f"{aim:,.0f}",
            "yes" if dashboard <= aim else "no",
        ))  # fmt: skip
    print()
    head = ("page", "dashboard ms", "max ms", "queries", "raw SQL ms", "ratio",
            f"aim: ≤ {AIM_FACTOR}× raw + {AIM_MS} ms", "met")  # fmt: skip
    print_table(head, lines, "<>>>>>><")
    if placeholder:
        print(
            "note: the dashboard ran fewer than 5 queries: its view or blocks look like "
            "placeholders still."
        )
    print()
    labels = [row[0] for row in rows]
    lines = [
        (name, *(f"{by_page[label]:,.1f}" for label in labels))
        for name, by_page in statements.items()
    ]
    print_table(
        ("raw SQL statement, median ms", *labels), lines, "<" + ">" * len(labels)
    )


def main() -> int:
    args = parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eakutur.settings")
    with scratch_database(SUFFIX):
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.test.utils import override_settings

        static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
        with override_settings(
            STORAGES={**settings.STORAGES, "staticfiles": static},
            ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
        ):
            call_command("migrate", verbosity=0, interactive=False)
            print(machine(), flush=True)
            rows, statements = bench(args.households, args.runs)
            report(rows, statements)
    return 0


if __name__ == "__main__":
    sys.exit(main())
