"""A loan from application to its first repayment, in real Chromium, in Vietnamese; and the
loan book's pages on a village officer's phone."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from eakutur.accounts.models import Role
from households.models import PovertyStatus
from loans.models import Loan, LoanStatus, Repayment
from tests.e2e.test_registry_journey import PHONE_WIDTH, log_in, submit, vi
from tests.factories import (
    CommuneFactory,
    HouseholdFactory,
    PovertyReviewFactory,
    UserFactory,
    VillageFactory,
)
from tests.factories.loans import SavingsGroupFactory, disbursed_loan, program


@pytest.fixture
def poor_household():
    commune = CommuneFactory(code="EAKTUR", name="Xã Ea Ktur")
    village = VillageFactory(commune=commune, code="B03", name="Buôn Trấp")
    household = HouseholdFactory(
        village=village, code="B03-0042", head_name="H'Yơn Niê"
    )
    PovertyReviewFactory(
        household=household,
        year=timezone.localdate().year,
        status=PovertyStatus.POOR,
    )
    group = SavingsGroupFactory(village=village, name="Tổ Hội Phụ nữ buôn Trấp")
    UserFactory(username="canbo.vay", role=Role.COMMUNE_OFFICIAL, commune=commune)
    return household, group


def test_official_applies_approves_disburses_and_records_a_repayment(
    page, live_server, poor_household
):
    household, group = poor_household
    base = live_server.url
    log_in(page, base, "canbo.vay")

    # From the household page: apply. The poor-household program says why it fits.
    page.goto(f"{base}{household.get_absolute_url()}")
    page.get_by_role("link", name=vi("Apply for a loan")).click()
    poor_loan = page.locator("label", has_text=program("HO_NGHEO").name_vi).first
    expect(poor_loan).to_be_visible()
    reason = vi(
        "Poor household in the %(year)s review → qualifies for the poor household loan.",
        year=timezone.localdate().year,
    )
    expect(page.get_by_text(reason).first).to_be_visible()
    page.locator(f"#program-{program('HO_NGHEO').pk}").check()
    page.locator("#id_savings_group").select_option(label=group.name)
    page.locator("#id_amount").fill("50.000.000")  # typed as people write it
    page.locator("#id_purpose").select_option("coffee")
    page.locator("#id_term_months").fill("36")
    submit(page, vi("Record the application"))
    loan = Loan.objects.get(household=household)
    expect(page).to_have_url(f"{base}{loan.get_absolute_url()}")
    expect(page.get_by_text(vi("Application recorded")).first).to_be_visible()

    # Approve: the program's rate is copied onto the loan.
    page.get_by_role("link", name=vi("Approve"), exact=True).click()
    submit(page, vi("Approve"))
    loan.refresh_from_db()
    assert loan.status == LoanStatus.APPROVED
    assert loan.annual_rate == program("HO_NGHEO").annual_rate

    # Disburse, with the bank's contract number.
    page.get_by_role("link", name=vi("Disburse"), exact=True).click()
    page.locator("#id_contract_number").fill("HĐ-2026/0042")
    submit(page, vi("Record the disbursement"))
    loan.refresh_from_db()
    assert loan.status == LoanStatus.DISBURSED
    expect(page.get_by_text("HĐ-2026/0042").first).to_be_visible()

    # A first repayment of principal: the page then shows what is still owed.
    page.get_by_role("link", name=vi("Record a repayment")).first.click()
    page.locator("#id_principal").fill("5.000.000")
    page.locator("#id_interest").fill("0")
    submit(page, vi("Record the repayment"))
    assert Repayment.objects.filter(loan=loan).count() == 1
    loan.refresh_from_db()
    assert loan.outstanding == 45_000_000
    expect(page.get_by_text("45.000.000 ₫").first).to_be_visible()

    # The household page lists the loan.
    page.goto(f"{base}{household.get_absolute_url()}")
    expect(page.get_by_role("link", name=program("HO_NGHEO").name_vi)).to_be_visible()


def test_loan_pages_fit_a_phone(phone_page, live_server, poor_household):
    """The village officer opens the loan book on a 390 px phone: nothing scrolls sideways."""
    household, group = poor_household
    UserFactory(
        username="thon.buontrap",
        role=Role.VILLAGE_OFFICER,
        commune=household.commune,
        villages=[household.village],
    )
    due_long_ago = timezone.localdate() - timedelta(days=3 * 365)
    loan = disbursed_loan(
        household=household,
        savings_group=group,
        disbursed_on=due_long_ago,
        term_months=12,
        contract_number="HĐ-2023/0007",
    )
    page, base = phone_page, live_server.url
    log_in(page, base, "thon.buontrap")
    for what, path in [
        ("the loan list", "/loans/"),
        ("a loan", loan.get_absolute_url()),
        ("the overdue list", "/loans/overdue/"),
        ("the savings group", group.get_absolute_url()),
        ("the period report", "/loans/report/"),
        ("the programs", "/loans/programs/"),
        ("the application form", f"/loans/apply/{household.pk}/"),
    ]:
        page.goto(f"{base}{path}")
        content, inner, layout = page.evaluate(
            "[document.scrollingElement.scrollWidth, window.innerWidth,"
            " document.documentElement.clientWidth]"
        )
        assert content <= layout, f"{what} is {content}px wide on a {layout}px screen"
        assert inner == PHONE_WIDTH, f"{what} was zoomed out to {inner}px"
    page.goto(f"{base}/loans/overdue/")
    expect(page.get_by_text(household.code).first).to_be_visible()
