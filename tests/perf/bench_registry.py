"""Benchmark of the household registry and the loan book: seeding, lists, search, detail,
the period report, exports.

Run it (after ``make test`` or ``make install compilemessages`` once), or ``make bench``::

    .venv/bin/python -m tests.perf.bench_registry                  # 8,500 and 50,000
    .venv/bin/python -m tests.perf.bench_registry --households 2000 --runs 3

It never touches the developer's database. Without ``DATABASE_URL`` it works in a SQLite
file in a temporary folder (``EAKUTUR_VAR_DIR``); with ``DATABASE_URL`` (PostgreSQL
only) it uses a scratch database named after it plus ``_bench``: dropped if left over,
created with psycopg2, dropped again at the end.

For each size it seeds the demo commune (``seed_demo --households N``, timed), then, as
the commune official ``canbo`` and the village officer ``thonbuontieu`` through Django's
test client, measures the wall time (median and max over ``--runs``, the first, cold run
included) and the number of SQL queries of the registry pages, and the time, size and
peak Python memory (tracemalloc, in a second, untimed run) of the xlsx export of the
whole commune. It prints figures only: no thresholds, exit status 0.
"""

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
import tracemalloc
from contextlib import contextmanager
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parents[2]
SUFFIX = "_bench"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--households",
        type=int,
        nargs="+",
        default=[8500, 50000],
        help="commune sizes to measure (default: 8500 50000)",
    )
    parser.add_argument(
        "--runs", type=int, default=5, help="requests per page (default 5)"
    )
    return parser.parse_args()


def _pg_admin(config: dict):
    """An autocommit psycopg2 connection to the database DATABASE_URL names."""
    import psycopg2

    conn = psycopg2.connect(
        dbname=config["NAME"],
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
    )
    conn.autocommit = True
    return conn


@contextmanager
def scratch_database(suffix: str = SUFFIX):
    """Point the settings at a database of our own for the ``with`` block (named after
    DATABASE_URL's plus ``suffix``, so that two benchmarks never share one)."""
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)  # as settings.py does
    with tempfile.TemporaryDirectory(prefix="eakutur-bench-") as var_dir:
        os.environ["EAKUTUR_VAR_DIR"] = var_dir  # SQLite file, secret key, broker
        url = os.environ.get("DATABASE_URL", "")
        if not url:
            yield
            return
        config = environ.Env.db_url_config(url)
        if "postgresql" not in config["ENGINE"]:
            sys.exit("DATABASE_URL: only PostgreSQL is supported by the benchmark.")
        head, _slash, tail = url.partition("?")
        base, name = head.rsplit("/", 1)
        scratch = f"{name}{suffix}"
        admin = _pg_admin(config)
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
            cursor.execute(f'CREATE DATABASE "{scratch}"')
        os.environ["DATABASE_URL"] = f"{base}/{scratch}" + (f"?{tail}" if tail else "")
        try:
            yield
        finally:
            from django.db import connections

            connections.close_all()
            with admin.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
            admin.close()


def reset_registry() -> None:
    """Remove every household, so that seed_demo generates the next size afresh."""
    from households.models import Household, Member, PovertyReview
    from loans.models import Loan, Repayment, SavingsGroup
    from outreach.models import (
        AssistedApplication,
        Contact,
        ContactTopic,
        DigitalTeam,
        TeamMember,
    )
    from trainings.models import Course, CourseTarget, Enrolment, Session

    # Trainings, and the outreach's teams, contacts and applications, follow the
    # households' sizes.
    Enrolment.objects.all().delete()
    Session.objects.all().delete()
    CourseTarget.objects.all().delete()
    Course.target_villages.through.objects.all().delete()
    Course.objects.all().delete()
    ContactTopic.objects.all().delete()
    Contact.objects.all().delete()
    AssistedApplication.objects.all().delete()
    TeamMember.objects.all().delete()
    DigitalTeam.objects.all().delete()
    Repayment.objects.filter(
        reverses__isnull=False
    ).delete()  # before what they reverse
    Repayment.objects.all().delete()
    Loan.objects.all().delete()
    SavingsGroup.objects.all().delete()
    PovertyReview.deprivations.through.objects.all().delete()
    PovertyReview.objects.all().delete()
    Member.objects.all().delete()
    Household.objects.all().delete()


def measure(client, url: str, runs: int) -> tuple[list[float], int, bytes]:
    """Wall times in ms of ``runs`` GETs, the queries and the body of the last one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            if getattr(response, "streaming", False):
                content = b"".join(response.streaming_content)
            else:
                content = response.content
            times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url}: HTTP {response.status_code}")
    return times, len(queries), content


NINE_MONTHS = "/loans/report/?start=01/01/2025&end=30/09/2025"


def bench_size(households: int, runs: int) -> list[tuple]:
    """The rows of the table for one commune size."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db.models import Count
    from django.test import Client

    from households.models import Household, Village
    from loans.models import Loan

    reset_registry()
    started = time.perf_counter()
    call_command("seed_demo", households=households, verbosity=0)
    seed_ms = (time.perf_counter() - started) * 1000
    household_count = Household.objects.count()
    size = f"{household_count:,}"
    rows = [(size, "seed_demo", seed_ms, seed_ms, None, "")]

    users = get_user_model().objects
    official, officer = Client(), Client()
    official.force_login(users.get(username="canbo"))
    officer.force_login(users.get(username="thonbuontieu"))
    tieu = Village.objects.get(name="Buôn Tiêu")
    household = Household.objects.filter(village=tieu).order_by("code").first()
    page = min(50, -(-household_count // 25))  # the list shows 25 a page
    # The loan with the most repayments: the detail page's worst case.
    loan = Loan.objects.annotate(n=Count("repayments")).order_by("-n", "pk").first()
    pages = [
        (official, "household list", "/households/"),
        (official, "search 'nguyen van'", "/households/?q=nguyen+van"),
        (official, "poor in Buôn Tiêu", f"/households/?status=poor&village={tieu.pk}"),
        (official, f"list page {page}", f"/households/?page={page}"),
        (official, "household detail", f"/households/{household.pk}/"),
        (official, "village list", "/households/villages/"),
        (official, "staff home", "/staff/"),
        (officer, "list, village officer", "/households/"),
        (official, "loan list", "/loans/"),
        (official, "loans overdue (filter)", "/loans/?status=overdue"),
        (official, "loan detail", f"/loans/{loan.pk}/"),
        (official, "overdue list", "/loans/overdue/"),
        (official, "report 9 months 2025", NINE_MONTHS),
        (officer, "loan list, village officer", "/loans/"),
    ]
    for client, label, url in pages:
        times, queries, _content = measure(client, url, runs)
        rows.append((size, label, statistics.median(times), max(times), queries, ""))

    url = "/households/export.xlsx"
    times, queries, content = measure(official, url, 1)
    tracemalloc.start()  # a second, untimed run: tracing slows Python down
    measure(official, url, 1)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    note = f"{len(content) / 1e6:.1f} MB file, peak {peak / 1e6:.0f} MB Python"
    rows.append((size, "xlsx export, commune", times[0], times[0], queries, note))

    times, queries, content = measure(official, "/loans/export.xlsx", 1)
    note = f"{Loan.objects.count():,} loans, {len(content) / 1e6:.1f} MB file"
    rows.append((size, "xlsx export, all loans", times[0], times[0], queries, note))
    return rows


def machine() -> str:
    import django
    from django.db import connection

    connection.ensure_connection()
    if connection.vendor == "sqlite":
        engine = f"SQLite {connection.Database.sqlite_version}"
    else:
        version = connection.pg_version
        engine = f"PostgreSQL {version // 10000}.{version % 10000}"
    return (
        f"{platform.node()}: {os.cpu_count()} CPUs, {platform.machine()}, "
        f"Python {platform.python_version()}, Django {django.get_version()}, "
        f"{engine} (database {connection.settings_dict['NAME']})"
    )


def print_table(rows: list[tuple]) -> None:
    head = ("households", "page", "median ms", "max ms", "queries", "")
    lines = [
        (s, p, f"{med:,.0f}", f"{mx:,.0f}", "-" if q is None else str(q), note)
        for s, p, med, mx, q, note in rows
    ]
    widths = [max(len(str(r[i])) for r in [head, *lines]) for i in range(5)]
    aligns = ["<", "<", ">", ">", ">"]

    def fmt(row) -> str:
        cells = [f"{row[i]:{aligns[i]}{widths[i]}}" for i in range(5)]
        return "  ".join([*cells, row[5]]).rstrip()

    print(fmt(head))
    print("  ".join("-" * w for w in widths))
    for line in lines:
        print(fmt(line))


def main() -> int:
    args = parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eakutur.settings")
    with scratch_database():
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
            rows = []
            for households in args.households:
                print(f"Seeding and measuring {households:,} households...", flush=True)
                rows += bench_size(households, args.runs)
            print()
            print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
