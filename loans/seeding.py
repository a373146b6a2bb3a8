"""Writes the demo loan book of Xã Ea Ktur for ``manage.py seed_demo``: savings groups
with their members, loans and their repayments.

The plan comes from ``loans.demo`` over what the registry holds (read here in a few
queries), so the borrowers follow the households' poverty reviews. Deterministic
(``Random(2025)``, as of ``today``). Idempotent: the book is written only when the commune
has no loans and no savings groups, with ``bulk_create`` in batches, in one transaction.
Rows are written directly, not through the services: every one satisfies the models'
constraints by construction, and demo data writes no audit entries.
"""

import random
import uuid
from collections.abc import Callable
from datetime import date
from typing import NamedTuple

from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count, F, Sum
from django.utils import timezone

from households.models import Commune, Household, Member, PovertyReview
from households.text import fold

from .demo import OUTSTANDING_ON, PROGRAMS, WINDOW, Book, plan_book
from .demo.households import DemoHousehold, DemoVillage
from .demo.profiles import REVERSAL_REASON
from .models import Loan, LoanProgram, LoanStatus, Repayment, SavingsGroup

BATCH = 1000
FACT_DEPRIVATIONS = ("water_source", "latrine", "housing_quality")
COLLEGE_AGE = 18


def _quiet(*args) -> None:
    pass


def demo_loans_seed(
    commune: Commune,
    *,
    recorder=None,
    today: date | None = None,
    say: Callable[[str], None] = _quiet,
) -> bool:
    """Add the demo savings groups, loans and repayments to ``commune`` when it has
    none, repaid up to ``today`` (default: today); whether anything was written.
    ``recorder`` is the user the loans and repayments are entered by."""
    today = today or timezone.localdate()
    if today <= WINDOW[1]:  # the book is planned to read the 2025 report
        say(f"The demo loan book is made for a date after {WINDOW[1]:%d/%m/%Y}: "
            "no loans added.")  # fmt: skip
        return False
    with transaction.atomic():
        loans = Loan.objects.filter(commune=commune).count()
        groups = SavingsGroup.objects.filter(village__commune=commune).count()
        if loans or groups:
            say(f"{commune} already has {loans:,} loans and {groups:,} savings groups: "
                "none added.")  # fmt: skip
            return False
        villages, households = _registry(commune)
        if not households:
            say(f"{commune} has no households: no loans added.")
            return False
        programs = LoanProgram.objects.in_bulk(PROGRAMS, field_name="code")
        if missing := set(PROGRAMS) - set(programs):
            raise CommandError(f"Loan programs missing: {', '.join(sorted(missing))}.")
        say(f"Planning the loan book of {len(households):,} households...")
        rng = random.Random(2025)  # noqa: S311 (demo data, reproducible on purpose)
        book = plan_book(
            rng,
            villages=villages,
            households=households,
            programs=programs,
            today=today,
        )
        say(
            f"Writing {len(book.groups):,} savings groups and {len(book.loans):,} loans..."
        )
        _write(commune, book, programs, recorder, rng)
    return True


def _registry(commune: Commune) -> tuple[list[DemoVillage], list[DemoHousehold]]:
    """The villages and active households with the facts the plan needs."""
    villages = [
        DemoVillage(pk, name, minority)
        for pk, name, minority in commune.villages.order_by(
            "sort_order", "pk"
        ).values_list("pk", "name", "is_ethnic_minority")
    ]
    minority_village = {v.pk: v.is_ethnic_minority for v in villages}
    statuses: dict[int, dict[int, str]] = {}
    deprived: dict[int, dict[int, set[str]]] = {}
    reviews = PovertyReview.objects.filter(household__commune=commune)
    for household_id, year, status in reviews.values_list(
        "household_id", "year", "status"
    ):
        statuses.setdefault(household_id, {})[year] = status
        deprived.setdefault(household_id, {})[year] = set()
    through = PovertyReview.deprivations.through
    for household_id, year, code in through.objects.filter(
        povertyreview__household__commune=commune,
        deprivationindicator__code__in=FACT_DEPRIVATIONS,
    ).values_list(
        "povertyreview__household_id",
        "povertyreview__year",
        "deprivationindicator__code",
    ):
        deprived[household_id][year].add(code)
    people: dict[int, list[int]] = {}  # household -> [members, students, college]
    college_born = WINDOW[0].year - COLLEGE_AGE
    for household_id, birth_year, is_student in Member.objects.filter(
        household__commune=commune, is_active=True
    ).values_list("household_id", "birth_year", "is_student"):
        counts = people.setdefault(household_id, [0, 0, 0])
        counts[0] += 1
        counts[1] += is_student
        counts[2] += is_student and birth_year <= college_born
    households = []
    for pk, village, head, phone, ethnic, crops, area in (
        Household.objects.filter(commune=commune, is_active=True)
        .order_by("pk")
        .values_list(
            "pk", "village_id", "head_name", "phone", "ethnic_group__code",
            "main_crops", "farmed_area_ha",
        )
    ):  # fmt: skip
        members, students, college = people.get(pk, (0, 0, 0))
        households.append(
            DemoHousehold(
                pk=pk,
                village=village,
                in_minority_village=minority_village[village],
                head_is_minority=ethnic != "01" if ethnic else None,
                head_name=head,
                phone=phone,
                statuses=statuses.get(pk, {}),
                deprived={y: frozenset(c) for y, c in deprived.get(pk, {}).items()},
                members=members,
                students=students,
                college_students=college,
                crops=tuple(crops or ()),
                farms=bool(crops) or bool(area),
            )
        )
    return villages, households


def _write(commune: Commune, book: Book, programs: dict, recorder, rng) -> None:
    groups = [
        SavingsGroup(
            village_id=g.village,
            name=g.name,
            organisation=g.organisation,
            leader_name=g.leader_name,
            leader_phone=g.leader_phone,
            established_on=g.established_on,
            search_text=fold(f"{g.name} {g.leader_name}"),  # bulk_create skips save()
        )
        for g in book.groups
    ]
    SavingsGroup.objects.bulk_create(groups, batch_size=BATCH)
    through = SavingsGroup.members.through
    through.objects.bulk_create(
        [
            through(savingsgroup_id=group.pk, household_id=household)
            for group, plan in zip(groups, book.groups, strict=True)
            for household in plan.members
        ],
        batch_size=BATCH,
    )
    loans = []
    for plan in book.loans:
        program = programs[plan.program]
        approved = plan.approved_on is not None
        loans.append(
            Loan(
                commune=commune,
                household_id=plan.household.pk,
                program=program,
                savings_group=groups[plan.group],
                contract_number=plan.contract_number,
                amount=plan.amount,
                purpose=plan.purpose,
                term_months=plan.term,
                status=plan.status,
                applied_on=plan.applied_on,
                approved_on=plan.approved_on,
                disbursed_on=plan.disbursed_on,
                due_on=plan.due_on,
                settled_on=plan.settled_on,
                rejected_on=plan.rejected_on,
                rejection_reason=plan.rejection_reason,
                annual_rate=program.annual_rate if approved else None,
                cap_amount=program.cap_for(plan.term) if approved else None,
                max_term_months=program.max_term_months if approved else None,
                eligibility=plan.eligibility,
                eligibility_reasons=plan.reasons,
                override_reason=plan.override_reason,
                principal_repaid=plan.principal_repaid,
                interest_paid=plan.interest_paid,
                notes=plan.notes,
                created_by=recorder,
            )
        )
    Loan.objects.bulk_create(loans, batch_size=BATCH)
    entries, twice = [], []
    for loan, plan in zip(loans, book.loans, strict=True):
        for index, (paid_on, principal, interest) in enumerate(plan.payments):
            entries.append(Repayment(
                loan=loan, paid_on=paid_on, principal=principal, interest=interest,
                recorded_by=recorder,
            ))  # fmt: skip
            if index == plan.duplicate:  # entered twice by mistake
                key = uuid.UUID(int=rng.getrandbits(128), version=4)
                entries.append(Repayment(
                    loan=loan, paid_on=paid_on, principal=principal, interest=interest,
                    recorded_by=recorder, request_key=key,
                ))  # fmt: skip
                twice.append(entries[-1])
    Repayment.objects.bulk_create(entries, batch_size=BATCH)
    Repayment.objects.bulk_create(
        [
            Repayment(
                loan_id=entry.loan_id,
                paid_on=entry.paid_on,
                principal=-entry.principal,
                interest=-entry.interest,
                reverses=entry,
                reason=REVERSAL_REASON % {"day": f"{entry.paid_on:%d/%m/%Y}"},
                recorded_by=recorder,
            )
            for entry in twice
        ]
    )


class LoanCounts(NamedTuple):
    """What the commune's loan book holds, for the command's summary."""

    groups: int
    villages_with_groups: int
    members: int
    loans: int
    borrowers: int
    window_households: int
    window_amount: int
    outstanding: int  # at OUTSTANDING_ON
    overdue: int  # today
    by_status: dict[str, int]


def demo_loans_counts(commune: Commune, *, today: date | None = None) -> LoanCounts:
    today = today or timezone.localdate()
    loans = Loan.objects.filter(commune=commune)
    groups = SavingsGroup.objects.filter(village__commune=commune)
    window = loans.filter(disbursed_on__range=WINDOW).aggregate(
        households=Count("household", distinct=True), amount=Sum("amount")
    )
    lent = loans.filter(disbursed_on__lte=OUTSTANDING_ON).aggregate(s=Sum("amount"))
    repaid = Repayment.objects.filter(
        loan__commune=commune,
        loan__disbursed_on__lte=OUTSTANDING_ON,
        paid_on__lte=OUTSTANDING_ON,
    ).aggregate(s=Sum("principal"))
    by_status = dict(
        loans.values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    return LoanCounts(
        groups=groups.count(),
        villages_with_groups=groups.values("village").distinct().count(),
        members=SavingsGroup.members.through.objects.filter(
            savingsgroup__village__commune=commune
        ).count(),
        loans=loans.count(),
        borrowers=loans.values("household").distinct().count(),
        window_households=window["households"],
        window_amount=window["amount"] or 0,
        outstanding=(lent["s"] or 0) - (repaid["s"] or 0),
        overdue=loans.filter(
            status=LoanStatus.DISBURSED,
            due_on__lt=today,
            principal_repaid__lt=F("amount"),
        ).count(),
        by_status=by_status,
    )
