"""The demo loan book: ``manage.py seed_demo`` at a tenth of the commune (850 households).

The command runs once for the module inside a transaction that is rolled back at the end;
each test runs in its own savepoint on top of it. The figures are computed here with plain
ORM aggregates, not with the loans selectors. One test seeds the full size (8,500
households, the commune's own figures: about 20 s on SQLite).
"""

from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.test import override_settings
from django.utils import timezone

from households.models import Commune, Household, PovertyReview, PovertyStatus
from loans.demo import Targets
from loans.demo.repayments import Behaviour, instalments
from loans.interest import accrued_interest, add_months
from loans.models import (
    Loan,
    LoanProgram,
    LoanStatus,
    Organisation,
    Repayment,
    SavingsGroup,
)

SIZE = 850
SCALE = SIZE / 8500
WINDOW = (date(2025, 1, 1), date(2025, 9, 30))
END_2024 = date(2024, 12, 31)
BILLION = 1_000_000_000
FAST_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"
PAID_OUT = (LoanStatus.DISBURSED, LoanStatus.SETTLED)
POLICY = (
    PovertyStatus.POOR,
    PovertyStatus.NEAR_POOR,
    PovertyStatus.ESCAPED_POOR,
    PovertyStatus.ESCAPED_NEAR_POOR,
    PovertyStatus.AVERAGE,
)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The output of one seed run; the data lives until the module's tests are done."""
    md5 = override_settings(PASSWORD_HASHERS=[FAST_HASHER])
    with django_db_blocker.unblock(), transaction.atomic(), md5:
        out = StringIO()
        call_command("seed_demo", households=SIZE, stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def commune(seeded, db):
    return Commune.objects.get(code="EAKTUR")


def window_figures() -> tuple[int, int]:
    """Distinct households and VND disbursed from 01/01 to 30/09/2025."""
    paid_out = Loan.objects.filter(
        disbursed_on__gte=WINDOW[0], disbursed_on__lte=WINDOW[1]
    )
    households = paid_out.values("household").distinct().count()
    return households, paid_out.aggregate(s=Sum("amount"))["s"]


def outstanding_at(day: date) -> int:
    """Disbursed by ``day`` minus the principal repaid on them by ``day``."""
    lent = Loan.objects.filter(disbursed_on__lte=day).aggregate(s=Sum("amount"))["s"]
    repaid = Repayment.objects.filter(
        loan__disbursed_on__lte=day, paid_on__lte=day
    ).aggregate(s=Sum("principal"))["s"]
    return lent - (repaid or 0)


def _counts() -> dict[str, int]:
    return {
        "loans": Loan.objects.count(),
        "repayments": Repayment.objects.count(),
        "groups": SavingsGroup.objects.count(),
        "members": SavingsGroup.members.through.objects.count(),
    }


# --- The plan, without the database ---------------------------------------------------


def test_targets_are_the_commune_figures_in_proportion():
    full = Targets.scaled(8500)
    assert (full.households, full.amount) == (3880, 147_240_000_000)
    assert full.outstanding == 168_200_000_000
    tenth = Targets.scaled(SIZE)
    assert (tenth.households, tenth.amount) == (388, 14_724_000_000)
    assert tenth.outstanding == 16_820_000_000
    assert min(tenth.applied, tenth.approved, tenth.rejected, tenth.reversals) >= 1


@pytest.mark.parametrize(
    ("behaviour", "paid"),
    [
        (
            Behaviour(),
            [(date(2024, 3, 1), 20_000_000), (date(2025, 2, 28), 20_000_000)],
        ),
        (Behaviour(period=24), [(date(2025, 2, 28), 40_000_000)]),
        (
            Behaviour(settle_on=date(2024, 9, 10)),
            [(date(2024, 3, 1), 20_000_000), (date(2024, 9, 10), 20_000_000)],
        ),
        (Behaviour(stuck_from=date(2024, 6, 3)), [(date(2024, 3, 1), 20_000_000)]),
    ],
)
def test_instalments_follow_the_behaviour(behaviour, paid):
    # 01/03/2023 + 24 months = 01/03/2025, a Saturday: paid on the Friday before.
    start, due = date(2023, 3, 1), date(2025, 3, 1)
    assert instalments(40_000_000, start, due, 24, behaviour) == paid


# --- The commune's own size --------------------------------------------------------------
# Before any test that uses the module's seeded commune: that one lives until the end of
# the module, and the command would find its households.


@pytest.mark.django_db
def test_full_size_reads_the_reported_figures():
    with override_settings(PASSWORD_HASHERS=[FAST_HASHER]):
        call_command("seed_demo", stdout=StringIO())
    households, amount = window_figures()
    assert households == 3880
    assert 147 * BILLION < amount <= 147.6 * BILLION
    assert abs(outstanding_at(END_2024) - 168.2 * BILLION) <= 0.3 * BILLION
    assert Loan.objects.filter(
        Q(status=LoanStatus.DISBURSED) & Q(due_on__lt=timezone.localdate())
    ).exists()


# --- The commune's figures --------------------------------------------------------------


def test_the_nine_months_and_the_end_of_2024_read_the_commune_figures(commune):
    households, amount = window_figures()
    assert households == round(3880 * SCALE) == 388
    assert 147.0 * BILLION * SCALE <= amount <= 147.6 * BILLION * SCALE
    assert (
        abs(outstanding_at(END_2024) - 168.2 * BILLION * SCALE) <= 0.3 * BILLION * SCALE
    )


def test_summary_reads_the_figures(seeded):
    assert "01/01–30/09/2025: 388 households, 14.7 billion VND" in seeded
    assert "outstanding 31/12/2024: 16.8 billion VND" in seeded
    assert "Savings groups: " in seeded and "in 46 villages" in seeded


def test_the_book_spans_the_years_and_every_status(commune):
    statuses = set(Loan.objects.values_list("status", flat=True))
    assert statuses == set(LoanStatus.values)
    years = set(Loan.objects.values_list("disbursed_on__year", flat=True)) - {None}
    assert {2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026} <= years
    rejected = Loan.objects.filter(status=LoanStatus.REJECTED)
    assert not rejected.filter(rejection_reason="").exists()
    today = timezone.localdate()
    waiting = Loan.objects.filter(status__in=(LoanStatus.APPLIED, LoanStatus.APPROVED))
    assert all(today.year - 1 <= d.year <= today.year for d in
               waiting.values_list("applied_on", flat=True))  # fmt: skip


def test_some_older_loans_are_overdue_today(commune):
    today = timezone.localdate()
    paid_out = Loan.objects.filter(status__in=PAID_OUT)
    overdue = Loan.objects.filter(
        status=LoanStatus.DISBURSED, due_on__lt=today, principal_repaid__lt=F("amount")
    )
    assert 0.01 <= overdue.count() / paid_out.count() <= 0.05
    assert not overdue.filter(disbursed_on__gte=WINDOW[0]).exists()
    assert set(Loan.objects.overdue(today)) == set(overdue)
    assert paid_out.filter(status=LoanStatus.SETTLED).count() >= 0.2 * paid_out.count()


# --- Every row as the models want it -----------------------------------------------------


def test_running_sums_are_the_sums_of_the_repayments(commune):
    sums = {
        row["loan"]: (row["p"], row["i"])
        for row in Repayment.objects.values("loan").annotate(
            p=Sum("principal"), i=Sum("interest")
        )
    }
    loans = Loan.objects.values_list("pk", "status", "amount", "principal_repaid",
                                     "interest_paid")  # fmt: skip
    for pk, status, amount, principal, interest in loans:
        assert sums.get(pk, (0, 0)) == (principal, interest)
        assert (status == LoanStatus.SETTLED) == (principal == amount)
    reversals = Repayment.objects.filter(reverses__isnull=False)
    assert reversals.exists() and not reversals.filter(reason="").exists()
    for reversal in reversals.select_related("reverses"):
        original = reversal.reverses
        assert (reversal.principal, reversal.interest) == (
            -original.principal,
            -original.interest,
        )


def test_interest_follows_each_loan_rate(commune):
    payments = defaultdict(list)
    for loan_id, paid_on, principal, interest in Repayment.objects.order_by(
        "paid_on", "pk"
    ).values_list("loan_id", "paid_on", "principal", "interest"):
        payments[loan_id].append((paid_on, principal, interest))
    checked = 0
    for loan in Loan.objects.filter(status__in=PAID_OUT):
        rows = payments[loan.pk]
        if not rows:
            continue
        expected = accrued_interest(
            amount=loan.amount,
            annual_rate=loan.annual_rate,
            disbursed_on=loan.disbursed_on,
            due_on=loan.due_on,
            principal_payments=[(day, p) for day, p, _ in rows],
            on=rows[-1][0],
        )
        assert loan.interest_paid == expected
        # The first payment, by hand: the whole amount at the loan's rate, per day/360.
        first_day, _principal, first_interest = rows[0]
        if first_day <= loan.due_on:
            days = (first_day - loan.disbursed_on).days
            by_hand = Decimal(loan.amount) * loan.annual_rate / 100 / 360 * days
            assert first_interest == by_hand.quantize(1, rounding=ROUND_HALF_UP)
        checked += 1
    assert checked >= 0.9 * Loan.objects.filter(status__in=PAID_OUT).count()


def test_terms_are_the_programs_terms(commune):
    programs = {p.pk: p for p in LoanProgram.objects.all()}
    for loan in Loan.objects.exclude(
        status__in=(LoanStatus.APPLIED, LoanStatus.REJECTED)
    ):
        program = programs[loan.program_id]
        assert loan.annual_rate == program.annual_rate
        assert loan.cap_amount == program.cap_for(loan.term_months)
        assert loan.max_term_months == program.max_term_months
    for loan in Loan.objects.all():
        program = programs[loan.program_id]
        assert 0 < loan.amount <= program.cap_for(loan.term_months)
        assert loan.amount % 1_000_000 == 0
        assert loan.term_months <= (program.max_term_months or loan.term_months)
        if loan.due_on:
            assert loan.due_on == add_months(loan.disbursed_on, loan.term_months)
            assert loan.applied_on <= loan.approved_on <= loan.disbursed_on
        if loan.settled_on:
            assert loan.settled_on >= loan.disbursed_on
    water = Loan.objects.filter(program__code="NUOC_SACH")
    assert water.exists() and not water.filter(amount__gt=25_000_000).exists()
    assert set(water.values_list("purpose", flat=True)) == {"water"}
    assert set(
        Loan.objects.filter(program__code="HSSV").values_list("purpose", flat=True)
    ) == {"study"}


def test_the_eligibility_verdict_is_stored_with_its_reasons(commune):
    loans = Loan.objects.all()
    assert not loans.filter(eligibility_reasons="").exists()
    assert (
        not loans.exclude(eligibility="qualifies").filter(override_reason="").exists()
    )
    assert (
        not loans.filter(eligibility="qualifies").exclude(override_reason="").exists()
    )
    # A poor household on the 2025 list qualifies for the poor household loan in 2025.
    poor_2025 = loans.filter(
        program__code="HO_NGHEO",
        applied_on__year=2025,
        household__reviews__year=2025,
        household__reviews__status=PovertyStatus.POOR,
    )
    assert poor_2025.exists()
    assert poor_2025.filter(eligibility="qualifies").count() >= 0.9 * poor_2025.count()
    # Before the registry's first review (2024) the rule cannot know: the paper record.
    paper = loans.filter(program__code="HO_NGHEO", applied_on__year__lt=2024)
    assert paper.exists() and not paper.filter(eligibility="qualifies").exists()


# --- Who borrows, and through which group ------------------------------------------------


def test_borrowers_follow_the_reviews(commune):
    start, end = WINDOW
    window = Household.objects.filter(
        loans__disbursed_on__gte=start, loans__disbursed_on__lte=end
    ).distinct()
    statuses = dict(
        PovertyReview.objects.filter(year=2025).values_list("household_id", "status")
    )
    in_window = list(window.values_list("pk", flat=True))
    policy = sum(statuses.get(pk) in POLICY for pk in in_window)
    assert policy >= 0.6 * len(in_window)
    listed = [pk for pk, s in statuses.items() if s in POLICY[:2]]
    borrowed = set(Loan.objects.values_list("household_id", flat=True))
    assert sum(pk in borrowed for pk in listed) >= 0.85 * len(listed)
    programs = Loan.objects.values("program__code").annotate(n=Count("id"))
    assert len(programs) >= 7
    area = Loan.objects.filter(program__code="SXKD_VKK", status__in=PAID_OUT)
    minority = area.filter(household__village__is_ethnic_minority=True).count()
    assert minority > 0.5 * area.count()
    assert len(set(Loan.objects.values_list("purpose", flat=True))) >= 9


def test_savings_groups_and_their_members(commune):
    villages = commune.villages.annotate(
        groups=Count("savings_groups", distinct=True)
    ).values_list("groups", flat=True)
    assert len(villages) == 46 and all(2 <= n <= 4 for n in villages)
    groups = SavingsGroup.objects.select_related("village")
    assert set(groups.values_list("organisation", flat=True)) == set(
        Organisation.values
    )
    heads = set(Household.objects.values_list("village_id", "head_name", "phone"))
    for group in groups:
        assert (group.village_id, group.leader_name, group.leader_phone) in heads
        assert group.established_on < date(2019, 1, 1)
    memberships = set(
        SavingsGroup.members.through.objects.values_list("savingsgroup_id",
                                                         "household_id")
    )  # fmt: skip
    pairs = Loan.objects.values_list("savings_group_id", "household_id")
    assert all(pair in memberships for pair in pairs)
    assert not Loan.objects.exclude(
        savings_group__village=F("household__village")
    ).exists()
    borrowers = set(Loan.objects.values_list("household_id", flat=True))
    members = {h for _, h in memberships}
    assert borrowers < members  # and some households only save


def test_loans_are_entered_by_the_demo_official(commune):
    assert set(Loan.objects.values_list("created_by__username", flat=True)) == {"canbo"}
    recorded = Repayment.objects.values_list("recorded_by__username", flat=True)
    assert set(recorded) == {"canbo"}


# --- Idempotency ------------------------------------------------------------------------


def test_running_it_again_adds_nothing(commune):
    before = _counts()
    out = StringIO()
    call_command("seed_demo", households=SIZE, stdout=out)
    call_command("seed_demo", households=50, stdout=out)
    assert _counts() == before
    assert f"already has {before['loans']:,} loans" in out.getvalue()


def test_a_commune_without_loans_gets_the_same_book(commune):
    before, figures = _counts(), window_figures()
    Repayment.objects.filter(reverses__isnull=False).delete()
    Repayment.objects.all().delete()
    Loan.objects.all().delete()
    SavingsGroup.objects.all().delete()
    call_command("seed_demo", households=SIZE, stdout=StringIO())
    assert _counts() == before
    assert window_figures() == figures
