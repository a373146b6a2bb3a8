"""Two communes on one deployment, each on its own host name, each with a village, a
household with the same code, a notice, a course, a digital team and the staff records
an official lists. Everything of Ea Kmát carries "Kmát" in a name, so a page of Ea Ktur
that shows "Kmát" shows the other commune's data."""

from dataclasses import dataclass
from datetime import date

import pytest
from django.test import Client
from django.utils import timezone

from eakutur.accounts.models import Role, User
from households.models import Commune, Household, Village
from outreach.models import NoticeStatus
from tests.factories import (
    CommuneFactory,
    HouseholdFactory,
    UserFactory,
    VillageFactory,
)
from tests.factories.loans import SavingsGroupFactory, disbursed_loan
from tests.factories.outreach import (
    AssistedApplicationFactory,
    ContactFactory,
    DigitalTeamFactory,
    NoticeFactory,
    TeamMemberFactory,
    VillageGroupFactory,
)
from tests.factories.trainings import CourseFactory, SessionFactory, in_days
from trainings.models import Course

HOST_A = "eaktur.example.vn"
HOST_B = "eakmat.example.vn"
OPERATOR_HOST = "portal.example.vn"  # allowed, but no commune's
SHARED_CODE = "EK-0001"  # both communes number their households alike
MARK_B = "Kmát"  # in every name of Ea Kmát's records


@pytest.fixture(autouse=True)
def _hosts(settings):
    settings.ALLOWED_HOSTS = [HOST_A, HOST_B, OPERATOR_HOST, "testserver"]


@dataclass
class Side:
    """One commune's records, as its officials and residents meet them."""

    commune: Commune
    village: Village
    household: Household
    official: User
    admin: User
    course: Course


def _side(*, code: str, name: str, host: str, mark: str, phone: str) -> Side:
    commune = CommuneFactory(code=code, name=name, hostname=host)
    village = VillageFactory(commune=commune, code="T01", name=f"Thôn {mark}")
    household = HouseholdFactory(
        village=village,
        code=SHARED_CODE,
        head_name=f"Y Bhim {mark}",
        phone=phone,
    )
    official = UserFactory(
        username=f"canbo-{code.lower()}",
        role=Role.COMMUNE_OFFICIAL,
        commune=commune,
        is_staff=True,
    )
    admin = UserFactory(
        username=f"quantri-{code.lower()}",
        role=Role.COMMUNE_ADMIN,
        commune=commune,
        is_staff=True,
    )
    NoticeFactory(
        commune=commune,
        title=f"Họp dân {mark}",
        status=NoticeStatus.DONE,
        dispatched_at=timezone.now(),
        author=official,
    )
    course = CourseFactory(commune=commune, title=f"Lớp sầu riêng {mark}")
    SessionFactory(course=course, village=village, starts_at=in_days(3))
    team = DigitalTeamFactory(village=village)
    member = TeamMemberFactory(team=team, full_name=f"H'Linh {mark}")
    VillageGroupFactory(village=village, name=f"Nhóm Zalo {mark}")
    group = SavingsGroupFactory(village=village, name=f"Tổ vay {mark}")
    disbursed_loan(household=household, savings_group=group, amount=30_000_000)
    ContactFactory(household=household, made_by=official, note=f"Gặp {mark}")
    AssistedApplicationFactory(
        household=household,
        helped_by=member,
        recorded_by=official,
        reference_number=f"G22-{code}-0001",
        filed_on=date(2025, 6, 2),
    )
    return Side(commune, village, household, official, admin, course)


@pytest.fixture
def ea_ktur(db) -> Side:
    return _side(
        code="EAKTUR", name="Xã Ea Ktur", host=HOST_A, mark="Ktur", phone="0912340001"
    )


@pytest.fixture
def ea_kmat(db) -> Side:
    return _side(
        code="EAKMAT", name="Xã Ea Kmát", host=HOST_B, mark=MARK_B, phone="0912340002"
    )


@pytest.fixture
def two_communes(ea_ktur, ea_kmat) -> tuple[Side, Side]:
    return ea_ktur, ea_kmat


@pytest.fixture
def on_host():
    """A resident's browser on ``host`` (each its own cookies, as on a phone)."""

    def make(host: str) -> Client:
        return Client(HTTP_HOST=host)

    return make


@pytest.fixture
def signed_in():
    def make(user: User, host: str = HOST_A) -> Client:
        client = Client(HTTP_HOST=host)
        client.force_login(user)
        return client

    return make
