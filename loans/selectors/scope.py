"""Who sees what: the scoped querysets every other read starts from, and single
records fetched through them (404 outside the scope)."""

from datetime import date

from django.db.models import Count, F, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from households.selectors import villages_for

from ..models import (
    DisbursementImport,
    Loan,
    LoanProgram,
    LoanStatus,
    Repayment,
    SavingsGroup,
)


def today() -> date:
    return timezone.localdate()


# --- Scoping ------------------------------------------------------------------------


def loans_for(user) -> QuerySet[Loan]:
    return Loan.objects.filter(household__village__in=villages_for(user).values("pk"))


def savings_groups_for(user) -> QuerySet[SavingsGroup]:
    return SavingsGroup.objects.filter(village__in=villages_for(user).values("pk"))


def loan_get_for(*, user, pk: int) -> Loan:
    loan = (
        loans_for(user)
        .select_related(
            "household__village",
            "household__ethnic_group",
            "program",
            "savings_group",
            "created_by",
        )
        .filter(pk=pk)
        .first()
    )
    if loan is None:
        raise Http404
    return loan


def loan_repayments(loan: Loan) -> list[Repayment]:
    return list(
        loan.repayments.select_related("recorded_by", "reverses").order_by(
            "paid_on", "id"
        )
    )


def savings_group_get_for(*, user, pk: int) -> SavingsGroup:
    group = savings_groups_for(user).select_related("village").filter(pk=pk).first()
    if group is None:
        raise Http404
    return group


def programs_open() -> QuerySet[LoanProgram]:
    return LoanProgram.objects.active()


def program_catalogue(*, user) -> list[tuple[LoanProgram, int, int]]:
    """Every program, open ones first, with the number of the user's running loans under
    it and their principal outstanding (two queries whatever the size)."""
    running = (
        loans_for(user)
        .filter(status=LoanStatus.DISBURSED)
        .order_by()
        .values("program")
        .annotate(
            n=Count("id"), owed=Sum(F("amount") - F("principal_repaid"), default=0)
        )
    )
    by_program = {row["program"]: (row["n"], row["owed"]) for row in running}
    programs = LoanProgram.objects.order_by("-is_active", "sort_order", "code")
    return [(p, *by_program.get(p.pk, (0, 0))) for p in programs]


# --- Imports --------------------------------------------------------------------------


def disbursement_imports_of(*, user, limit: int = 10) -> QuerySet[DisbursementImport]:
    return DisbursementImport.objects.filter(uploaded_by=user).order_by("-uploaded_at")[
        :limit
    ]


def disbursement_import_get_for(*, user, pk: int) -> DisbursementImport:
    batch = DisbursementImport.objects.filter(uploaded_by=user, pk=pk).first()
    if batch is None:
        raise Http404
    return batch
