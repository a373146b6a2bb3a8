"""The world the attacker works in, built once per test module.

Commune X (Ea Ktur) has villages A and B; commune Y (Ea Kmát) has village C. Each of A,
B and C gets one object of every model behind a URL (``Place``), so a test can fill a
URL with an object of its own place (A), of a neighbouring village (B) or of another
commune (C). ``URL_KWARGS`` in ``urlconf.py`` says how to fill each URL from a place.
"""

from dataclasses import dataclass
from datetime import date

from django.test import override_settings

from eakutur.accounts.models import Role, User
from households.models import Commune, Household, Member, PovertyReview, Village
from households.models.reviews import ReviewImport
from loans.models import DisbursementImport, Loan, LoanStatus, Repayment, SavingsGroup
from outreach.models import (
    AssistedApplication,
    Audience,
    Contact,
    Delivery,
    DigitalTeam,
    GroupChannel,
    Notice,
    NoticeStatus,
    TeamMember,
    VillageGroup,
)
from tests.factories import (
    CommuneFactory,
    HouseholdFactory,
    MemberFactory,
    PovertyReviewFactory,
    UserFactory,
    VillageFactory,
)
from tests.factories.loans import LoanFactory, SavingsGroupFactory, repayment
from tests.factories.outreach import (
    AssistedApplicationFactory,
    ContactFactory,
    DeliveryFactory,
    DigitalTeamFactory,
    NoticeFactory,
    TeamMemberFactory,
    VillageGroupFactory,
)
from tests.factories.trainings import CourseFactory, EnrolmentFactory, SessionFactory
from trainings.models import Course, Enrolment, Session

# What the hostile tests type into every free-text field (see test_xss.py).
SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
TEMPLATE = "{{ 7*7 }}{% debug %}"
HOSTILE = f"{SCRIPT}{ATTRIBUTE}{TEMPLATE}"

# Personal data of place A's household head, looked for in URLs and logs.
NATIONAL_ID = "066185001234"
PHONE = "0912345678"


@dataclass
class Place:
    """One object of every model behind a URL, all in one village."""

    commune: Commune
    village: Village
    official: User  # a commune official of the place's commune (uploads, authors)
    household: Household
    member: Member  # a child of the household (not its head)
    review: PovertyReview
    review_import: ReviewImport
    group: SavingsGroup
    loan: Loan  # an application
    disbursed_loan: Loan
    repayment: Repayment
    disbursement_import: DisbursementImport
    course: Course
    session: Session
    enrolment: Enrolment
    walk_in: Enrolment
    contact: Contact
    team: DigitalTeam
    team_member: TeamMember
    application: AssistedApplication
    notice: Notice
    village_group: VillageGroup
    relay: Delivery


def build_place(
    village: Village, official: User, *, tag: str, hostile: bool = False
) -> Place:
    """Every object of a place; ``hostile`` puts HOSTILE into every free-text field."""
    from households.imports.registry import _summary as review_summary
    from loans.imports import _summary as disbursement_summary

    text = (lambda plain: f"{plain} {HOSTILE}") if hostile else (lambda plain: plain)
    commune = village.commune
    household = HouseholdFactory(
        village=village,
        code=f"HK-{tag}",
        head_name=text(f"Nguyễn Văn {tag}"),
        phone=PHONE if tag == "A" else "",
        head_national_id=NATIONAL_ID if tag == "A" else None,
    )
    member = MemberFactory(household=household, full_name=text(f"Trần Thị {tag}"))
    review = PovertyReviewFactory(household=household, year=2025, notes=text("ghi chú"))
    review_import = ReviewImport.objects.create(
        commune=commune,
        uploaded_by=official,
        file_name="ra-soat.xlsx",
        file_sha256="0",
        summary=review_summary([]),
    )
    group = SavingsGroupFactory(
        village=village, name=text(f"Tổ {tag}"), members=[household]
    )
    loan = LoanFactory(household=household, savings_group=group)
    disbursed = LoanFactory(
        household=household,
        savings_group=group,
        status=LoanStatus.DISBURSED,
        disbursed_on=date(2025, 3, 10),
    )
    paid = repayment(disbursed, paid_on=date(2025, 6, 10), principal=1_000_000)
    disbursement_import = DisbursementImport.objects.create(
        commune=commune,
        uploaded_by=official,
        file_name="giai-ngan.xlsx",
        file_sha256="0",
        summary=disbursement_summary([]),
    )
    course = CourseFactory(
        commune=commune, title=text(f"Lớp {tag}"), target_villages=[village]
    )
    session = SessionFactory(course=course, village=village)
    enrolment = EnrolmentFactory(session=session, member=member)
    walk_in = EnrolmentFactory(session=session, member=None, full_name=text("Y Bhim"))
    contact = ContactFactory(household=household, note=text("đã gặp"))
    team = DigitalTeamFactory(village=village)
    team_member = TeamMemberFactory(team=team, full_name=text(f"Tổ viên {tag}"))
    application = AssistedApplicationFactory(
        household=household, helped_by=team_member, recorded_by=official
    )
    notice = NoticeFactory(
        commune=commune,
        author=official,
        title=text(f"Thông báo {tag}"),
        body=text("Họp thôn lúc 8 giờ."),
        audience=Audience.CHOSEN_VILLAGES,
        villages=[village],
        status=NoticeStatus.DISPATCHED,
    )
    village_group = VillageGroupFactory(village=village, name=text(f"Nhóm {tag}"))
    relay_group = VillageGroupFactory(
        village=village,
        channel=GroupChannel.RELAY,
        external_id="",
        name=f"Chuyển {tag}",
    )
    relay = DeliveryFactory(notice=notice, group=relay_group)
    DeliveryFactory(notice=notice, group=village_group)
    return Place(
        commune=commune,
        village=village,
        official=official,
        household=household,
        member=member,
        review=review,
        review_import=review_import,
        group=group,
        loan=loan,
        disbursed_loan=disbursed,
        repayment=paid,
        disbursement_import=disbursement_import,
        course=course,
        session=session,
        enrolment=enrolment,
        walk_in=walk_in,
        contact=contact,
        team=team,
        team_member=team_member,
        application=application,
        notice=notice,
        village_group=village_group,
        relay=relay,
    )


@dataclass
class World:
    a: Place  # the attacker's own village (commune X)
    b: Place  # another village of commune X
    c: Place  # a village of commune Y
    officer: User  # village officer of A
    official: User  # commune official of X
    admin: User  # commune admin of X (is_staff)


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
def build_world(*, hostile: bool = False) -> World:
    x = CommuneFactory(code="EAKTUR", name="Xã Ea Ktur")
    y = CommuneFactory(code="EAKMAT", name="Xã Ea Kmát")
    village_a = VillageFactory(commune=x, code="T01", name="Thôn 1")
    village_b = VillageFactory(
        commune=x, code="B01", name="Buôn Tiêu", kind="buon", is_ethnic_minority=True
    )
    village_c = VillageFactory(commune=y, code="T01", name="Thôn 1")
    official = UserFactory(username="canbo", role=Role.COMMUNE_OFFICIAL, commune=x)
    foreign_official = UserFactory(
        username="canbo-y", role=Role.COMMUNE_OFFICIAL, commune=y
    )
    officer = UserFactory(
        username="thon1", role=Role.VILLAGE_OFFICER, commune=x, villages=[village_a]
    )
    admin = UserFactory(
        username="quantri", role=Role.COMMUNE_ADMIN, commune=x, is_staff=True
    )
    return World(
        a=build_place(village_a, official, tag="A", hostile=hostile),
        b=build_place(village_b, official, tag="B", hostile=hostile),
        c=build_place(village_c, foreign_official, tag="C", hostile=hostile),
        officer=officer,
        official=official,
        admin=admin,
    )
