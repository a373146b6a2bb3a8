"""The staff home's loan figures: principal outstanding, overdue loans, applications waiting,
each for the villages the user sees."""

import re
from datetime import date

import time_machine

from loans.models import LoanStatus
from tests.factories.loans import LoanFactory, disbursed_loan, repayment


def figures(client) -> str:
    page = client.get("/staff/").content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


@time_machine.travel(date(2026, 6, 1))
def test_the_home_shows_the_loan_book_of_the_users_villages(
    client, official, officer, village, other_village
):
    client.force_login(official)
    mine = disbursed_loan(
        household__village=village, amount=40_000_000, disbursed_on=date(2025, 1, 10),
        term_months=12,
    )  # fmt: skip
    repayment(mine, paid_on=date(2025, 6, 1), principal=15_000_000)  # 25m left, overdue
    disbursed_loan(
        household__village=other_village, amount=30_000_000,
        disbursed_on=date(2026, 1, 5), term_months=36,
    )  # fmt: skip
    LoanFactory(household__village=village)  # applied
    LoanFactory(household__village=other_village, status=LoanStatus.APPROVED)
    LoanFactory(household__village=other_village, status=LoanStatus.APPROVED)

    commune = figures(client)
    assert "55.000.000 ₫" in commune  # 25m + 30m outstanding
    assert "25.000.000 ₫" in commune  # the overdue loan's principal
    assert re.search(r"\b1 chờ phê duyệt", commune)
    assert re.search(r"\b2 chờ giải ngân", commune)

    client.force_login(officer)
    own = figures(client)
    assert "25.000.000 ₫" in own and "55.000.000 ₫" not in own
    assert re.search(r"\b0 chờ giải ngân", own)
