"""Forms of the registry. Each builds a crispy layout; templates own <form> and buttons.

Forms check the shape of the input (ID structure, phone format, years); the services
check the rules that need the database and raise ValidationError that lands on the form.
"""

from .households import HouseholdFilterForm, HouseholdForm
from .members import ChangeHeadForm, MemberForm, ReasonForm
from .reviews import ReviewCorrectionForm, ReviewForm, ReviewImportForm
from .villages import VillageForm

__all__ = [
    "ChangeHeadForm",
    "HouseholdFilterForm",
    "HouseholdForm",
    "MemberForm",
    "ReasonForm",
    "ReviewCorrectionForm",
    "ReviewForm",
    "ReviewImportForm",
    "VillageForm",
]
