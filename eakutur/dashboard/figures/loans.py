"""The loans block: what was lent in the period, what is owed and what is overdue.

Definitions (what the benchmark's raw SQL counts too):

- **Counted loans**: ``Loan`` rows of counted households: the household is active
  (``household.is_active``), in one of the scope's villages, and of the chosen ethnic
  group of the head if one is chosen. A loan's village is its household's village.
  Only disbursed loans have a ``disbursed_on`` (status disbursed or settled).
- **Period**: ``scope.period``, from ``start`` to ``end``, both days included.
- **E** (the day of the outstanding and overdue figures): the period's end, or today
  while the period still runs (``min(period.end, today)``): a loan falling due next
  week is not overdue yet. It is given in the figures' detail.
- **Disbursed in the period**: counted loans with ``start ≤ disbursed_on ≤ end``:
  *households* = distinct households of those loans, *loans* = their number, *amount* =
  the sum of their ``amount`` (VND).
- **Outstanding at E**: the sum of ``amount`` of counted loans with
  ``disbursed_on ≤ E``, minus the sum of ``Repayment.principal`` of those loans with
  ``paid_on ≤ E``. A reversal is a negative entry dated like the entry it cancels, so
  the two net out.
- **Overdue at E**: counted loans with ``disbursed_on ≤ E`` and ``due_on < E`` whose
  principal outstanding at E (``amount`` minus the sum of that loan's
  ``Repayment.principal`` with ``paid_on ≤ E``) is above 0: *overdue loans* = their
  number, *overdue principal* = the sum of that outstanding principal.
- **Disbursement by month** (table and bars of the amount): one row per calendar month
  that the period touches (months without loans show 0): households (distinct within
  the month), loans and amount disbursed in the part of the month inside the period.
- **Disbursement by program** (table and horizontal bars): one row per program with
  loans disbursed in the period, largest amount first: households (distinct within the
  program), loans, amount. The total row counts distinct households over all programs.
- **Disbursement by village** (table): one row per scope village (``village_ids``, in
  that display order, villages without loans too; ethnic-minority hamlets marked):
  households, loans and amount disbursed in the period, and the outstanding at E. The
  total row adds the villages up (a household is in one village).

Links open the loan list (``program``, ``village``, ``status``, ``disbursed_from`` and
``disbursed_to`` as dd/mm/yyyy) or the overdue list, with the scope's village when the
scope is one village. Neither list filters by ethnic group, so the links do not either.

Five queries whatever the size: the villages with their loans disbursed in the period
and the amount lent by E (a LEFT JOIN, so villages without loans keep their row); the
principal repaid by E by village; the loans overdue at E (each loan past its due date
joined to its repayments up to E, grouped per loan); the months; the programs.
"""

import calendar
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.db import connection
from django.db.models import CharField, Count, F, FilteredRelation, Q, Sum
from django.db.models.functions import Cast, Coalesce, Substr, TruncMonth
from django.urls import reverse
from django.utils.translation import gettext as _

from households.models import Village
from households.text import english_active
from loans.models import Loan, Repayment

from ..scope import DashboardScope
from ..tables import Block, Chart, Column, KeyFigure, Kind, Row, Table


@dataclass
class Figures:
    """Loans disbursed in the period, and the book at E."""

    households: int = 0
    loans: int = 0
    amount: int = 0
    lent: int = 0  # amount of the loans disbursed by E
    repaid: int = 0  # principal repaid by E on those loans
    overdue_loans: int = 0
    overdue_principal: int = 0

    @property
    def outstanding(self) -> int:
        return self.lent - self.repaid

    def add(self, other: "Figures") -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def as_of(scope: DashboardScope) -> date:
    """E, the day the outstanding and overdue figures are counted at: the period's
    end, or today while the period runs."""
    return min(scope.period.end, scope.today)


def loans_block(scope: DashboardScope) -> Block:
    villages = _villages_with_figures(scope)
    repaid = _repaid_by_village(scope)
    total = Figures()
    for village, figures in villages:
        figures.repaid = repaid.get(village.pk, 0)
        total.add(figures)
    total.overdue_loans, total.overdue_principal = _overdue(scope)
    return Block(
        slug="loans",
        title=_("Preferential loans"),
        figures=_key_figures(scope, total),
        tables=(
            _by_month(scope),
            _by_program(scope, total),
            _by_village(scope, villages, total),
        ),
    )


# --- Queries ----------------------------------------------------------------------------


def counted_loans(scope: DashboardScope):
    return Loan.objects.filter(household__is_active=True).filter(
        scope.household_q("household__")
    )


def disbursed_in_period(scope: DashboardScope):
    period = scope.period
    return counted_loans(scope).disbursed_between(period.start, period.end).order_by()


PERIOD_FIGURES = {
    "households": Count("household", distinct=True),
    "loans": Count("id"),
    "amount": Sum("amount", default=0),
}


def _villages_with_figures(scope: DashboardScope) -> list[tuple[Village, Figures]]:
    """The scope's villages in display order, each with its loans disbursed in the
    period and the amount it had been lent by E (one query: villages without loans
    keep their row)."""
    start, end = scope.period.start, as_of(scope)
    counted = Q(households__is_active=True) & scope.household_q("households__")
    by_end = counted & Q(households__loans__disbursed_on__lte=end)
    in_period = by_end & Q(households__loans__disbursed_on__gte=start)
    villages = Village.objects.filter(pk__in=scope.village_ids).annotate(
        n_households=Count(
            "households__loans__household", distinct=True, filter=in_period
        ),
        n_loans=Count("households__loans", filter=in_period),
        period_amount=Sum("households__loans__amount", filter=in_period, default=0),
        lent_by_end=Sum("households__loans__amount", filter=by_end, default=0),
    )
    by_pk = {village.pk: village for village in villages}
    return [
        (
            village,
            Figures(
                households=village.n_households,
                loans=village.n_loans,
                amount=village.period_amount,
                lent=village.lent_by_end,
            ),
        )
        for village in (by_pk[pk] for pk in scope.village_ids if pk in by_pk)
    ]


def _repaid_by_village(scope: DashboardScope) -> dict[int, int]:
    """Principal repaid by E on the counted loans disbursed by E, by village."""
    end = as_of(scope)
    rows = (
        Repayment.objects.filter(
            paid_on__lte=end,
            loan__disbursed_on__lte=end,
            loan__household__is_active=True,
        )
        .filter(scope.household_q("loan__household__"))
        .order_by()
        .values("loan__household__village_id")
        .annotate(total=Sum("principal"))
    )
    return {row["loan__household__village_id"]: row["total"] for row in rows}


def _overdue(scope: DashboardScope) -> tuple[int, int]:
    """(loans, principal outstanding) of the loans overdue at E. Each loan past its due
    date is joined to its repayments up to E and summed (a join and a GROUP BY, which
    both databases plan better than a subquery per loan)."""
    end = as_of(scope)
    per_loan = (
        counted_loans(scope)
        .filter(disbursed_on__lte=end, due_on__lt=end)
        .annotate(
            paid=FilteredRelation(
                "repayments", condition=Q(repayments__paid_on__lte=end)
            )
        )
        .order_by()
        .values("pk")
        .annotate(owed=F("amount") - Coalesce(Sum("paid__principal"), 0))
        .filter(owed__gt=0)
    )
    totals = per_loan.aggregate(loans=Count("pk"), principal=Sum("owed", default=0))
    return totals["loans"], totals["principal"]


def _month_rows(scope: DashboardScope) -> dict[tuple[int, int], dict]:
    """{(year, month): figures} of the loans disbursed in the period."""
    if connection.vendor == "sqlite":
        # SQLite keeps dates as ISO text: its first seven characters are the month.
        # TruncMonth would call a Python function for every row.
        month = Substr(Cast("disbursed_on", CharField()), 1, 7)
    else:
        month = TruncMonth("disbursed_on")
    rows = (
        disbursed_in_period(scope)
        .annotate(month=month)
        .values("month")
        .annotate(**PERIOD_FIGURES)
    )
    return {_year_month(row.pop("month")): row for row in rows}


def _year_month(value) -> tuple[int, int]:
    if isinstance(value, str):  # "2025-09"
        year, number = value.split("-")[:2]
        return int(year), int(number)
    return value.year, value.month


def _program_rows(scope: DashboardScope) -> list[dict]:
    return list(
        disbursed_in_period(scope)
        .values("program_id", "program__name_vi", "program__name_en")
        .annotate(**PERIOD_FIGURES)
        .order_by("-amount", "program__sort_order", "program__code")
    )


# --- Links ------------------------------------------------------------------------------


def _day(value: date) -> str:
    return f"{value:%d/%m/%Y}"


def _with_scope(scope: DashboardScope, params: dict) -> dict:
    query = {key: value for key, value in params.items() if value not in (None, "")}
    if "village" not in query and len(scope.village_ids) == 1:
        query["village"] = scope.village_ids[0]
    return query


def loan_list_url(scope: DashboardScope, **params) -> str:
    """The loan list filtered like the figure (``program``, ``village``, ``status``,
    ``disbursed_from``, ``disbursed_to``), with the scope's village when it is one."""
    for key in ("disbursed_from", "disbursed_to"):
        if isinstance(params.get(key), date):
            params[key] = _day(params[key])
    query = _with_scope(scope, params)
    url = reverse("loans:loan_list")
    return f"{url}?{urlencode(query)}" if query else url


def overdue_list_url(scope: DashboardScope) -> str:
    query = _with_scope(scope, {})
    url = reverse("loans:overdue_list")
    return f"{url}?{urlencode(query)}" if query else url


def _period_links(
    scope: DashboardScope,
    *,
    disbursed_from: date | None = None,
    disbursed_to: date | None = None,
    **params,
) -> dict[str, str]:
    """The list behind a row's households, loans and amount: its loans disbursed in
    the period (or the given days)."""
    url = loan_list_url(
        scope,
        **params,
        disbursed_from=disbursed_from or scope.period.start,
        disbursed_to=disbursed_to or scope.period.end,
    )
    return {"households": url, "loans": url, "amount": url}


def _outstanding_link(scope: DashboardScope, village: int | None = None) -> str:
    """The loans still running that were disbursed by E."""
    return loan_list_url(
        scope, village=village, status="disbursed", disbursed_to=as_of(scope)
    )


# --- Key figures ------------------------------------------------------------------------


def _key_figures(scope: DashboardScope, total: Figures) -> tuple[KeyFigure, ...]:
    in_period = _period_links(scope)["loans"]
    at_end = _("at %(date)s") % {"date": _day(as_of(scope))}
    period = scope.period.label
    return (
        KeyFigure(
            "loan_households",
            _("Households that borrowed"),
            total.households,
            detail=period,
            link=in_period,
        ),
        KeyFigure(
            "loans_disbursed",
            _("Loans disbursed"),
            total.loans,
            detail=period,
            link=in_period,
        ),
        KeyFigure(
            "amount_disbursed",
            _("Amount disbursed"),
            total.amount,
            kind=Kind.VND,
            detail=period,
            link=in_period,
        ),
        KeyFigure(
            "outstanding",
            _("Principal outstanding"),
            total.outstanding,
            kind=Kind.VND,
            detail=at_end,
            link=_outstanding_link(scope),
        ),
        KeyFigure(
            "overdue_loans",
            _("Overdue loans"),
            total.overdue_loans,
            detail=at_end,
            link=overdue_list_url(scope),
        ),
        KeyFigure(
            "overdue_principal",
            _("Overdue principal"),
            total.overdue_principal,
            kind=Kind.VND,
            detail=at_end,
            link=overdue_list_url(scope),
        ),
    )


# --- Tables -----------------------------------------------------------------------------


def _figure_columns() -> tuple[Column, ...]:
    return (
        Column("households", _("Households that borrowed")),
        Column("loans", _("Loans disbursed")),
        Column("amount", _("Amount disbursed (VND)"), Kind.VND),
    )


def _months(start: date, end: date) -> list[tuple[date, date]]:
    """The calendar months the period touches, each cut to the period."""
    spans = []
    first = start.replace(day=1)
    while first <= end:
        last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
        spans.append((max(first, start), min(last, end)))
        first = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return spans


def _by_month(scope: DashboardScope) -> Table:
    found = _month_rows(scope)
    rows = []
    for start, end in _months(scope.period.start, scope.period.end):
        figures = found.get((start.year, start.month), {})
        values = {
            "month": f"{start:%m/%Y}",
            "households": figures.get("households", 0),
            "loans": figures.get("loans", 0),
            "amount": figures.get("amount", 0),
        }
        links = _period_links(scope, disbursed_from=start, disbursed_to=end)
        rows.append(Row(values, links))
    return Table(
        slug="loans-by-month",
        title=_("Loans disbursed by month"),
        columns=(Column("month", _("Month"), Kind.TEXT), *_figure_columns()),
        rows=tuple(rows),
        chart=Chart("bar", "month", ("amount",)),
        note=_(
            "Loans disbursed in each month of the period; a household that borrowed "
            "in two months counts in both."
        ),
    )


def _by_program(scope: DashboardScope, total: Figures) -> Table:
    english = english_active()
    rows = []
    for row in _program_rows(scope):
        values = {
            "program": row["program__name_en" if english else "program__name_vi"],
            "households": row["households"],
            "loans": row["loans"],
            "amount": row["amount"],
        }
        links = _period_links(scope, program=row["program_id"])
        links["program"] = links["amount"]
        rows.append(Row(values, links))
    total_values = {
        "program": _("Total"),
        "households": total.households,
        "loans": total.loans,
        "amount": total.amount,
    }
    return Table(
        slug="loans-by-program",
        title=_("Loans disbursed by program"),
        columns=(Column("program", _("Program"), Kind.TEXT), *_figure_columns()),
        rows=tuple(rows),
        total=Row(total_values, _period_links(scope)),
        chart=Chart("bar", "program", ("amount",), horizontal=True),
        note=_(
            "Loans disbursed in the period by program; the total counts each "
            "household once, also one that borrowed under two programs."
        ),
    )


def _village_row(
    scope: DashboardScope,
    name: str,
    figures: Figures,
    village_id: int | None,
    marked: bool = False,
) -> Row:
    values = {
        "village": name,
        "households": figures.households,
        "loans": figures.loans,
        "amount": figures.amount,
        "outstanding": figures.outstanding,
    }
    links = _period_links(scope, village=village_id)
    links["village"] = links["amount"]
    links["outstanding"] = _outstanding_link(scope, village_id)
    return Row(values, links, marked)


def _by_village(
    scope: DashboardScope, villages: list[tuple[Village, Figures]], total: Figures
) -> Table:
    rows = tuple(
        _village_row(
            scope, village.name, figures, village.pk, marked=village.is_ethnic_minority
        )
        for village, figures in villages
    )
    return Table(
        slug="loans-by-village",
        title=_("Loans disbursed by village"),
        columns=(
            Column("village", _("Village"), Kind.TEXT),
            *_figure_columns(),
            Column("outstanding", _("Outstanding (VND)"), Kind.VND),
        ),
        rows=rows,
        total=_village_row(scope, _("Total"), total, None),
        note=_(
            "Loans disbursed in the period by the household's village, and the "
            "principal outstanding at %(date)s."
        )
        % {"date": _day(as_of(scope))},
        marked_label=_("ethnic-minority hamlet"),
    )
