"""The loans section of the household page (registered in ``LoansConfig.ready``)."""

from households.panels import Panel

from .selectors import loans_of_household


def household_loans_panel(*, user, household) -> Panel:
    return Panel(
        template="loans/_household_loans.html",
        context={"loans": loans_of_household(household), "household": household},
        order=10,
    )
