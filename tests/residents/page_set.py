"""A commune with the data of a busy month, and every public page of it, for the
page-weight and accessibility tests (test client here, Chromium in tests/e2e)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from eakutur.residents.answers import CheckAnswers, ListStatus
from eakutur.residents.session import remember_household
from outreach.models import Notice, NoticeStatus
from tests.factories import (
    CommuneFactory,
    HouseholdFactory,
    PovertyReviewFactory,
    indicators,
)
from tests.factories.loans import disbursed_loan
from tests.factories.outreach import (
    DigitalTeamFactory,
    NoticeFactory,
    TeamMemberFactory,
    villages_of,
)
from tests.factories.trainings import CourseFactory, SessionFactory, in_days

LIMIT = 150 * 1024  # the issue: every public page under 150 KB with a cold cache
CODE, PHONE = "BT-0001", "0912345678"


def busy_commune():
    """46 villages (14 buôn), a team per village, 40 sessions in the next two months,
    60 notices sent, and one household with a loan (for "my household")."""
    commune = CommuneFactory(code="EAKTUR", name="Xã Ea Ktur")
    villages = villages_of(commune, 46, ethnic_minority=14)
    for village in villages:
        team = DigitalTeamFactory(village=village)
        for n in range(6):
            TeamMemberFactory(team=team, phone=f"09{village.pk % 100:02d}{n:06d}")
    home = villages[0]
    course = CourseFactory(commune=commune, target_villages=villages[:10])
    for n in range(40):
        SessionFactory(course=course, village=villages[n % 5], starts_at=in_days(1 + n))
    for n in range(60):
        NoticeFactory(
            commune=commune,
            title=f"Thông báo về vay vốn và tập huấn số {n}",
            body="Kính mời bà con đến nhà văn hóa thôn để nghe phổ biến chính sách. "
            * 8,
            status=NoticeStatus.DONE,
            scheduled_at=timezone.now() - timedelta(days=n),
            dispatched_at=timezone.now() - timedelta(days=n),
        )
    household = HouseholdFactory(commune=commune, village=home, code=CODE, phone=PHONE)
    PovertyReviewFactory(
        household=household,
        year=timezone.localdate().year,
        status="poor",
        deprivations=indicators("latrine", "water_source", "housing_quality"),
    )
    disbursed_loan(household=household)
    return commune, home, household


def prove(client, household) -> None:
    """Put ``household`` in the client's session, as a successful lookup does."""
    session = client.session
    remember_household(session, household)
    session.save()
    client.cookies["sessionid"] = session.session_key


def public_pages(client):
    """Every public page's URL on a busy commune, with a chosen village and a
    finished questionnaire in ``client``'s session; and the household to prove."""
    _commune, village, household = busy_commune()
    client.cookies["village"] = str(village.pk)
    notice = Notice.objects.order_by("-dispatched_at").first()
    answers = CheckAnswers(
        village=village.pk,
        status=ListStatus.UNKNOWN,
        household_income=4_000_000,
        people=4,
        deprivations=["latrine", "water_source", "housing_quality"],
        minority=True,
        minority_answered=True,
        students=1,
        children_under_6=1,
        with_disability=0,
        elderly=1,
        farms_or_business=True,
        needs=["capital", "water"],
    )
    session = client.session
    answers.save(session)
    session.save()
    client.cookies["sessionid"] = session.session_key
    steps = [reverse("residents:check_step", args=[s]) for s in answers.steps()]
    pages = [
        reverse("residents:home"),
        reverse("residents:choose_village"),
        reverse("residents:program_list"),
        reverse("residents:program_detail", args=["HO_NGHEO"]),
        reverse("residents:program_detail", args=["TAP_HUAN_NONG_NGHIEP"]),
        reverse("residents:check_start"),
        *steps,
        reverse("residents:check_result"),
        reverse("residents:lookup"),
        reverse("residents:calendar"),
        reverse("residents:notice_list"),
        reverse("residents:notice_detail", args=[notice.pk]),
        reverse("residents:request"),
        reverse("residents:request_sent"),
    ]
    return pages, household
