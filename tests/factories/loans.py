"""Loan-book factories. Rows are written directly and consistently (the status carries its
dates and copied terms), so tests of selectors and views do not depend on the services;
tests of the services call the services."""

from datetime import date

import factory

from loans.interest import add_months
from loans.models import (
    Loan,
    LoanProgram,
    LoanStatus,
    Organisation,
    Repayment,
    SavingsGroup,
)

from . import HouseholdFactory, fake


def program(code: str = "HO_NGHEO") -> LoanProgram:
    """A program of the shipped catalogue (loaded by the data migration)."""
    return LoanProgram.objects.get(code=code)


class SavingsGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SavingsGroup
        skip_postgeneration_save = True

    village = factory.SubFactory("tests.factories.VillageFactory")
    name = factory.Sequence(lambda n: f"Tổ TK&VV số {n}")
    organisation = Organisation.WOMENS_UNION
    leader_name = factory.LazyFunction(fake.name)

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        if create and extracted:
            self.members.set(extracted)


class LoanFactory(factory.django.DjangoModelFactory):
    """An application by default; pass ``status`` (approved, disbursed, settled,
    rejected) and the dates follow. ``disbursed_on`` sets the disbursement date."""

    class Meta:
        model = Loan
        exclude = ("on",)

    on = date(2025, 3, 10)
    household = factory.SubFactory(HouseholdFactory)
    commune = factory.SelfAttribute("household.commune")
    program = factory.LazyFunction(program)
    savings_group = factory.LazyAttribute(
        lambda o: SavingsGroupFactory(village=o.household.village)
    )
    amount = 50_000_000
    purpose = "coffee"
    term_months = 36
    status = LoanStatus.APPLIED
    eligibility = "qualifies"
    eligibility_reasons = "Hộ nghèo năm 2025 → đủ điều kiện vay hộ nghèo."
    applied_on = factory.LazyAttribute(lambda o: o.disbursed_on or o.on)
    disbursed_on = None

    @factory.lazy_attribute
    def approved_on(self):
        if self.status in (LoanStatus.APPLIED, LoanStatus.REJECTED):
            return None
        return self.applied_on

    @factory.lazy_attribute
    def annual_rate(self):
        return None if self.approved_on is None else self.program.annual_rate

    @factory.lazy_attribute
    def cap_amount(self):
        return (
            None if self.approved_on is None else self.program.cap_for(self.term_months)
        )

    @factory.lazy_attribute
    def max_term_months(self):
        return None if self.approved_on is None else self.program.max_term_months

    @factory.lazy_attribute
    def due_on(self):
        if self.status not in (LoanStatus.DISBURSED, LoanStatus.SETTLED):
            return None
        return add_months(self.disbursed_on or self.applied_on, self.term_months)

    @factory.lazy_attribute
    def rejected_on(self):
        return self.applied_on if self.status == LoanStatus.REJECTED else None

    @factory.lazy_attribute
    def rejection_reason(self):
        return "Không đủ hồ sơ" if self.status == LoanStatus.REJECTED else ""

    @factory.lazy_attribute
    def principal_repaid(self):
        return self.amount if self.status == LoanStatus.SETTLED else 0

    @factory.lazy_attribute
    def settled_on(self):
        return self.due_on if self.status == LoanStatus.SETTLED else None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        if kwargs["status"] in (
            LoanStatus.DISBURSED,
            LoanStatus.SETTLED,
        ) and not kwargs.get("disbursed_on"):
            kwargs["disbursed_on"] = kwargs["applied_on"]
        loan = super()._create(model_class, *args, **kwargs)
        loan.savings_group.members.add(loan.household)
        return loan


def disbursed_loan(**kwargs) -> Loan:
    kwargs.setdefault("disbursed_on", date(2025, 3, 10))
    return LoanFactory(status=LoanStatus.DISBURSED, **kwargs)


def repayment(
    loan: Loan, *, paid_on: date, principal: int, interest: int = 0
) -> Repayment:
    """A repayment row plus the loan's running sums, as the service would leave them."""
    entry = Repayment.objects.create(
        loan=loan, paid_on=paid_on, principal=principal, interest=interest
    )
    loan.principal_repaid += principal
    loan.interest_paid += interest
    if loan.principal_repaid == loan.amount:
        loan.status, loan.settled_on = LoanStatus.SETTLED, paid_on
    loan.save()
    return entry
