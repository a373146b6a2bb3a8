"""The loan list, its totals, the overdue loans and the staff home's figures."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Max, Q, QuerySet, Sum

from households.models import Household
from households.text import fold

from ..models import (
    Loan,
    LoanStatus,
)
from .scope import loans_for, today

# --- The loan list --------------------------------------------------------------------


@dataclass
class LoanFilters:
    q: str = ""
    status: str = ""  # a LoanStatus value, or OVERDUE
    program: int | None = None
    village: int | None = None
    savings_group: int | None = None
    disbursed_from: date | None = None
    disbursed_to: date | None = None
    sort: str = "-applied_on"


OVERDUE = "overdue"

SORTS = {
    "-applied_on": ("-applied_on", "-id"),
    "applied_on": ("applied_on", "id"),
    "-disbursed_on": ("-disbursed_on", "-id"),
    "due_on": ("due_on", "id"),
    "-amount": ("-amount", "-id"),
    "household": ("household__code", "-id"),
}


def loan_list_for(*, user, filters: LoanFilters) -> QuerySet[Loan]:
    qs = loans_for(user)
    if filters.q:
        # Names are matched folded ("Nguyen" finds "Nguyễn"); contract numbers both
        # folded and as typed ("HĐ-2025/17").
        for raw in filters.q.split():
            word = fold(raw)
            qs = qs.filter(
                Q(household__search_text__contains=word)
                | Q(contract_number__icontains=word)
                | Q(contract_number__icontains=raw)
            )
    if filters.status == OVERDUE:
        qs = qs.overdue(today())
    elif filters.status:
        qs = qs.filter(status=filters.status)
    if filters.program:
        qs = qs.filter(program_id=filters.program)
    if filters.village:
        qs = qs.filter(household__village_id=filters.village)
    if filters.savings_group:
        qs = qs.filter(savings_group_id=filters.savings_group)
    if filters.disbursed_from:
        qs = qs.filter(disbursed_on__gte=filters.disbursed_from)
    if filters.disbursed_to:
        qs = qs.filter(disbursed_on__lte=filters.disbursed_to)
    return qs.select_related("household__village", "program", "savings_group").order_by(
        *SORTS.get(filters.sort, SORTS["-applied_on"])
    )


def loan_totals(qs: QuerySet[Loan]) -> dict[str, int]:
    """Count, distinct households, amount and principal outstanding of a filtered list."""
    totals = qs.order_by().aggregate(
        loans=Count("id"),
        households=Count("household", distinct=True),
        total_amount=Sum("amount", default=0),
        outstanding=Sum(
            "amount",
            filter=Q(status=LoanStatus.DISBURSED),
            default=0,
        )
        - Sum("principal_repaid", filter=Q(status=LoanStatus.DISBURSED), default=0),
    )
    # Named apart from the column while aggregating: Django resolves a later
    # Sum("amount") to an aggregate of the same name.
    totals["amount"] = totals.pop("total_amount")
    return totals


def loans_of_household(household: Household) -> list[Loan]:
    return list(
        household.loans.select_related("program", "savings_group").order_by(
            "-applied_on", "-id"
        )
    )


# --- Overdue ------------------------------------------------------------------------


def overdue_loans_for(
    *, user, on: date | None = None, village: int | None = None
) -> QuerySet[Loan]:
    """Overdue loans by village and savings group, the longest overdue first in each."""
    qs = loans_for(user)
    if village:
        qs = qs.filter(household__village_id=village)
    return (
        qs.overdue(on or today())
        .select_related("household__village", "program", "savings_group")
        .order_by(
            "household__village__sort_order",
            "household__village__name",
            "savings_group__name",
            "due_on",
            "id",
        )
    )


def last_repayment_on(loan: Loan) -> date | None:
    """The date of the latest effective repayment (not reversed, not a reversal)."""
    return (
        loan.repayments.filter(reverses__isnull=True, reversed_by__isnull=True)
        .aggregate(last=Max("paid_on"))
        .get("last")
    )


def loan_book_summary(*, user) -> dict[str, int]:
    """The staff home's figures in one query: principal outstanding, overdue loans and
    their outstanding, applications waiting for approval, approved loans waiting for
    the payout."""
    running = Q(status=LoanStatus.DISBURSED)
    late = running & Q(due_on__lt=today())
    return (
        loans_for(user)
        .order_by()
        .aggregate(
            outstanding=Sum("amount", filter=running, default=0)
            - Sum("principal_repaid", filter=running, default=0),
            overdue=Count("id", filter=late),
            overdue_amount=Sum("amount", filter=late, default=0)
            - Sum("principal_repaid", filter=late, default=0),
            to_approve=Count("id", filter=Q(status=LoanStatus.APPLIED)),
            to_disburse=Count("id", filter=Q(status=LoanStatus.APPROVED)),
        )
    )
