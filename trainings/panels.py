"""The trainings section of the household page (registered in ``TrainingsConfig.ready``,
after the loans): the members' enrolments, the courses recommended for the household's
loans with their next session, and a button to enrol a member."""

from households.panels import Panel

from .selectors import courses_recommended_for, trainings_of_household
from .views._common import ENROLMENT_BADGES


def household_trainings_panel(*, user, household) -> Panel:
    enrolments = list(trainings_of_household(household, user))
    for enrolment in enrolments:
        enrolment.badge = ENROLMENT_BADGES.get(enrolment.status, "text-bg-light")
    return Panel(
        template="trainings/_household_trainings.html",
        context={
            "household": household,
            "enrolments": enrolments,
            "recommended": list(courses_recommended_for(household)),
        },
        order=20,
    )
