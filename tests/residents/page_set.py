"""A commune with the data of a busy month, and every public page of it, for the
page-weight and accessibility tests (test client here, Chromium in tests/e2e)."""

from datetime import timedelta

from django.utils import timezone

from eakutur.residents.session import remember_household
from outreach.models import NoticeStatus
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
