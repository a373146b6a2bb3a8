"""The dashboard's aggregates as hand-written SQL: the baseline of the dashboard benchmark
(``tests.perf.bench_dashboard``).

One statement per aggregate the dashboard shows, written from the figures' definitions
(``eakutur/dashboard/figures``), not from the blocks' code, so that the benchmark
compares the blocks with what the database needs to do anyway. Plain SQL with named
parameters; the same text runs on SQLite and PostgreSQL. ``tests/dashboard/
test_bench_sql.py`` checks each statement against numbers worked out by hand. A total
that is the sum of a statement's rows (the outstanding principal over the villages, the
attendances and sessions over the topics) is added up, not queried again.

Scope: the chosen villages (the whole commune's, or one); "counted households" are the
active households of those villages. The period runs from ``start`` to ``end``
inclusive; E = min(end, today) (a running period is counted as of today). Reach looks
at the 90 days ending at R = E.
Session starts and notice dispatch times are compared with the local days' bounds
(Asia/Ho_Chi_Minh), as the period is a range of local days.
"""

import time
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from datetime import time as day_time

from django.utils import timezone

REACH_DAYS = 90


@dataclass(frozen=True)
class SqlScope:
    village_ids: tuple[int, ...]
    start: date
    end: date
    today: date

    def __post_init__(self) -> None:
        if not self.village_ids:
            raise ValueError("the raw SQL needs at least one village")

    @property
    def as_of(self) -> date:
        """E: the day outstanding and overdue are counted at."""
        return min(self.end, self.today)

    @property
    def reach_end(self) -> date:
        return min(self.end, self.today)

    @property
    def reach_start(self) -> date:
        return self.reach_end - timedelta(days=REACH_DAYS - 1)


@dataclass(frozen=True)
class Statement:
    name: str
    counts: str  # what it counts, in a sentence
    columns: tuple[str, ...]  # what each row holds
    sql: str


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, day_time.min))


def parameters(scope: SqlScope, connection) -> dict:
    """The named parameters of every statement (each uses the ones it names)."""
    ops = connection.ops
    params = {
        "start": ops.adapt_datefield_value(scope.start),
        "end": ops.adapt_datefield_value(scope.end),
        "as_of": ops.adapt_datefield_value(scope.as_of),
        "reach_start": ops.adapt_datefield_value(scope.reach_start),
        "reach_end": ops.adapt_datefield_value(scope.reach_end),
        # [first local midnight, the midnight after the last day): a timestamp range.
        "starts_from": ops.adapt_datetimefield_value(_local_midnight(scope.start)),
        "starts_before": ops.adapt_datetimefield_value(
            _local_midnight(scope.end + timedelta(days=1))
        ),
    }
    params.update({f"v{i}": pk for i, pk in enumerate(scope.village_ids)})
    return params


# The active households of the scope's villages, as a condition on the household "h".
COUNTED = "h.is_active = TRUE AND h.village_id IN ({villages})"

# Loans of counted households disbursed in the period: the FROM and WHERE of four
# statements.
DISBURSED = """
    FROM loans_loan l
    JOIN households_household h ON h.id = l.household_id
    WHERE l.disbursed_on >= %(start)s AND l.disbursed_on <= %(end)s AND {counted}
"""
LOAN_FIGURES = """
    COUNT(DISTINCT l.household_id) AS households, COUNT(*) AS loans,
    COALESCE(SUM(l.amount), 0) AS amount
"""
# The people who attended: the member, or a walk-in's (name, phone, birth year).
# SELECT DISTINCT treats NULLs as equal, as the Python person key does.
PEOPLE = """
    e.member_id,
    CASE WHEN e.member_id IS NULL THEN e.name_folded END AS walk_in_name,
    CASE WHEN e.member_id IS NULL THEN e.phone END AS walk_in_phone,
    CASE WHEN e.member_id IS NULL THEN e.birth_year END AS walk_in_born
"""
# Counted attendances: attended, in a session not cancelled that starts on a day of the
# period, of a person of the villages: a member by their household's village (archived
# households too: the training took place), a walk-in by the village they gave.
ATTENDANCES = """
    FROM trainings_enrolment e
    JOIN trainings_session s ON s.id = e.session_id
    JOIN trainings_course c ON c.id = s.course_id
    LEFT JOIN households_household hh ON hh.id = e.household_id
    WHERE e.status = 'attended' AND s.status <> 'cancelled'
      AND s.starts_at >= %(starts_from)s AND s.starts_at < %(starts_before)s
      AND (
          (e.member_id IS NOT NULL AND hh.village_id IN ({villages}))
          OR (e.member_id IS NULL AND e.village_id IN ({villages}))
      )
"""

STATEMENTS = [
    Statement(
        "households_by_village_status",
        "counted households by village and current status ('' = not reviewed)",
        ("village_id", "status", "households"),
        """
        SELECT h.village_id, h.current_status, COUNT(*)
        FROM households_household h
        WHERE {counted}
        GROUP BY h.village_id, h.current_status
        """,
    ),
    Statement(
        "reviews_by_year_status",
        "poverty reviews of counted households by year and status",
        ("year", "status", "reviews"),
        """
        SELECT r.year, r.status, COUNT(*)
        FROM households_povertyreview r
        JOIN households_household h ON h.id = r.household_id
        WHERE {counted}
        GROUP BY r.year, r.status
        """,
    ),
    Statement(
        "loans_disbursed",
        "loans of counted households disbursed in the period",
        ("households", "loans", "amount"),
        "SELECT {loan_figures} {disbursed}",
    ),
    Statement(
        "loans_by_month",
        "the same by calendar month of disbursement",
        ("month", "households", "loans", "amount"),
        # 'YYYY-MM': dates are ISO text in SQLite and cast to ISO in PostgreSQL.
        """
        SELECT SUBSTR(CAST(l.disbursed_on AS VARCHAR(10)), 1, 7) AS month,
            {loan_figures} {disbursed}
        GROUP BY SUBSTR(CAST(l.disbursed_on AS VARCHAR(10)), 1, 7)
        """,
    ),
    Statement(
        "loans_by_program",
        "the same by program",
        ("program_id", "households", "loans", "amount"),
        "SELECT l.program_id, {loan_figures} {disbursed} GROUP BY l.program_id",
    ),
    Statement(
        "loans_by_village",
        "the same by village",
        ("village_id", "households", "loans", "amount"),
        "SELECT h.village_id, {loan_figures} {disbursed} GROUP BY h.village_id",
    ),
    Statement(
        "loans_outstanding_by_village",
        "principal outstanding at E by village: lent by E minus principal repaid by E",
        ("village_id", "outstanding"),
        """
        SELECT h.village_id, SUM(l.amount) - COALESCE(SUM(repaid.principal), 0)
        FROM loans_loan l
        JOIN households_household h ON h.id = l.household_id
        LEFT JOIN (
            SELECT r.loan_id, SUM(r.principal) AS principal
            FROM loans_repayment r
            WHERE r.paid_on <= %(as_of)s
            GROUP BY r.loan_id
        ) repaid ON repaid.loan_id = l.id
        WHERE l.disbursed_on <= %(as_of)s AND {counted}
        GROUP BY h.village_id
        """,
    ),
    Statement(
        "loans_overdue",
        "loans past their due date at E with principal left at E",
        ("loans", "principal_left"),
        """
        SELECT COUNT(*), COALESCE(SUM(o.principal_left), 0)
        FROM (
            SELECT l.amount - COALESCE(SUM(r.principal), 0) AS principal_left
            FROM loans_loan l
            JOIN households_household h ON h.id = l.household_id
            LEFT JOIN loans_repayment r ON r.loan_id = l.id AND r.paid_on <= %(as_of)s
            WHERE l.disbursed_on <= %(as_of)s AND l.due_on < %(as_of)s AND {counted}
            GROUP BY l.id, l.amount
            HAVING l.amount - COALESCE(SUM(r.principal), 0) > 0
        ) o
        """,
    ),
    Statement(
        "participants",
        "distinct people with a counted attendance",
        ("people",),
        "SELECT COUNT(*) FROM (SELECT DISTINCT {people} {attendances}) p",
    ),
    Statement(
        "participants_by_topic",
        "the same by course topic (once in each topic)",
        ("topic", "people"),
        """
        SELECT p.topic, COUNT(*)
        FROM (SELECT DISTINCT c.topic, {people} {attendances}) p
        GROUP BY p.topic
        """,
    ),
    Statement(
        "participants_durian_coffee_pepper",
        "the same in durian, coffee and pepper courses (once over the three)",
        ("people",),
        """
        SELECT COUNT(*) FROM (
            SELECT DISTINCT {people} {attendances}
              AND c.topic IN ('durian', 'coffee', 'pepper')
        ) p
        """,
    ),
    Statement(
        "attendances_by_topic",
        "counted attendances and the sessions that had one, by course topic",
        ("topic", "attendances", "sessions"),
        """
        SELECT c.topic, COUNT(*), COUNT(DISTINCT e.session_id)
        {attendances}
        GROUP BY c.topic
        """,
    ),
    Statement(
        "reach_by_village",
        "counted households, and those reached in the 90 days ending at R, in all, "
        "poor, near-poor and ethnic-minority (head not Kinh), by village",
        (
            "village_id",
            "households",
            "reached",
            "poor",
            "poor_reached",
            "near_poor",
            "near_poor_reached",
            "minority",
            "minority_reached",
        ),
        """
        SELECT h.village_id,
            COUNT(*),
            COUNT(r.household_id),
            SUM(CASE WHEN h.current_status = 'poor' THEN 1 ELSE 0 END),
            SUM(CASE WHEN h.current_status = 'poor'
                     AND r.household_id IS NOT NULL THEN 1 ELSE 0 END),
            SUM(CASE WHEN h.current_status = 'near_poor' THEN 1 ELSE 0 END),
            SUM(CASE WHEN h.current_status = 'near_poor'
                     AND r.household_id IS NOT NULL THEN 1 ELSE 0 END),
            SUM(CASE WHEN g.code <> '01' THEN 1 ELSE 0 END),
            SUM(CASE WHEN g.code <> '01'
                     AND r.household_id IS NOT NULL THEN 1 ELSE 0 END)
        FROM households_household h
        JOIN households_ethnicgroup g ON g.id = h.ethnic_group_id
        LEFT JOIN (
            SELECT DISTINCT c.household_id
            FROM outreach_contact c
            WHERE c.household_id IS NOT NULL
              AND c.contacted_on >= %(reach_start)s
              AND c.contacted_on <= %(reach_end)s
              AND c.outcome <> 'not_reached'
              AND c.channel <> 'resident_request'
        ) r ON r.household_id = h.id
        WHERE {counted}
        GROUP BY h.village_id
        """,
    ),
    Statement(
        "digital_teams",
        "digital teams of the villages and their current members",
        ("teams", "members"),
        """
        SELECT COUNT(DISTINCT t.id), COUNT(m.id)
        FROM outreach_digitalteam t
        LEFT JOIN outreach_teammember m ON m.team_id = t.id AND m.left_on IS NULL
        WHERE t.village_id IN ({villages})
        """,
    ),
    Statement(
        "applications_by_status",
        "assisted applications filed in the period for households of the villages "
        "(archived ones too, as in the application list)",
        ("status", "applications"),
        """
        SELECT a.status, COUNT(*)
        FROM outreach_assistedapplication a
        JOIN households_household h ON h.id = a.household_id
        WHERE a.filed_on >= %(start)s AND a.filed_on <= %(end)s
          AND h.village_id IN ({villages})
        GROUP BY a.status
        """,
    ),
    Statement(
        "deliveries_by_channel_status",
        "deliveries to the villages' groups of notices dispatched in the period",
        ("channel", "status", "deliveries"),
        """
        SELECT g.channel, d.status, COUNT(*)
        FROM outreach_delivery d
        JOIN outreach_notice n ON n.id = d.notice_id
        JOIN outreach_villagegroup g ON g.id = d.group_id
        WHERE n.dispatched_at >= %(starts_from)s
          AND n.dispatched_at < %(starts_before)s
          AND g.village_id IN ({villages})
        GROUP BY g.channel, d.status
        """,
    ),
]

# Shared fragments, expanded outermost first ({counted} and {attendances} hold
# {villages}).
_FRAGMENTS = (
    ("{disbursed}", DISBURSED),
    ("{loan_figures}", LOAN_FIGURES),
    ("{people}", PEOPLE),
    ("{attendances}", ATTENDANCES),
    ("{counted}", COUNTED),
)


def statements(scope: SqlScope) -> list[Statement]:
    """The statements with the scope's villages in their IN lists (as parameters)."""
    villages = ", ".join(f"%(v{i})s" for i in range(len(scope.village_ids)))
    rendered = []
    for statement in STATEMENTS:
        sql = statement.sql
        for marker, fragment in _FRAGMENTS:
            sql = sql.replace(marker, fragment)
        sql = sql.replace("{villages}", villages)
        rendered.append(replace(statement, sql=sql))
    return rendered


@dataclass(frozen=True)
class Result:
    statement: Statement
    ms: float
    rows: list[tuple]


def run_all(connection, scope: SqlScope) -> dict[str, Result]:
    """Every statement, each executed and fetched, with its wall time in ms."""
    params = parameters(scope, connection)
    results = {}
    with connection.cursor() as cursor:
        for statement in statements(scope):
            started = time.perf_counter()
            cursor.execute(statement.sql, params)
            rows = [tuple(row) for row in cursor.fetchall()]
            ms = (time.perf_counter() - started) * 1000
            results[statement.name] = Result(statement, ms, rows)
    return results
