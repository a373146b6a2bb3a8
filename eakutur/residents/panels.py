"""The household page's panel "programs and support": the officials see the verdicts
the resident portal gives, from the same rules (``programs``)."""

from households.panels import Panel, register_panel
from loans.selectors import facts_for_household

from .programs import grouped, program_cards


@register_panel
def household_programs_panel(*, user, household) -> Panel | None:
    if not household.is_active:
        return None
    cards = program_cards(facts_for_household(household))
    return Panel(
        template="residents/_household_programs.html",
        context={"groups": grouped(cards)},
        order=15,
    )
