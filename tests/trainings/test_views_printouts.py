"""What is printed: the A4 sign-in sheet, the participant lists, the certificates of
attendance (Vietnamese, one per person who attended the course) and the roster's Excel
file (formula-injection safe); another village's session is a 404 for all of them."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.factories import HouseholdFactory, MemberFactory
from tests.factories.trainings import CourseFactory, EnrolmentFactory, SessionFactory
from tests.pages import assert_not_shows, assert_shows, text_of, vi
from trainings.models import EnrolmentStatus


@pytest.fixture
def course(commune):
    return CourseFactory(
        commune=commune,
        title="Trồng hồ tiêu bền vững",
        organiser_name="Trung tâm Khuyến nông tỉnh Đắk Lắk",
    )


@pytest.fixture
def session(course, village):
    start = timezone.now() - timedelta(days=2)
    return SessionFactory(
        course=course,
        village=village,
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        place="Nhà văn hóa thôn 1",
        trainer="KS. Lê Văn Tâm",
        status="held",
    )


def enrol(session, name, year=1980, **kwargs):
    household = HouseholdFactory(village=session.village, code=f"T01-{name[:3]}")
    member = MemberFactory(household=household, full_name=name, birth_year=year)
    return EnrolmentFactory(session=session, member=member, **kwargs)


@pytest.fixture
def people(session):
    return [
        enrol(session, "Nguyễn Văn An", 1975, status="attended"),
        enrol(session, "Trần Thị Bình", 1988, status="absent"),
        EnrolmentFactory(
            session=session,
            member=None,
            full_name="Y Bhim Niê",
            birth_year=1990,
            status="attended",
        ),
    ]


def test_sign_in_sheet_has_the_header_the_names_and_blank_rows(
    official_client, session, people
):
    EnrolmentFactory(
        session=session, member=None, full_name="Bỏ Cuộc", status="withdrawn"
    )
    response = official_client.get(
        reverse("trainings:print_sign_in", args=[session.pk])
    )
    assert response.status_code == 200
    page = text_of(response)
    start = timezone.localtime(session.starts_at)
    assert_shows(
        response,
        "Trồng hồ tiêu bền vững",
        start.strftime("%d/%m/%Y"),
        "Nhà văn hóa thôn 1",
        "KS. Lê Văn Tâm",
        vi("Signature"),
        "Nguyễn Văn An",
        "1975",
        "Trần Thị Bình",
        "Y Bhim Niê",
        "1990",
        vi("Print"),
    )
    assert_not_shows(response, "Bỏ Cuộc")
    assert page.count('<tr class="blank">') == 10
    fewer = official_client.get(
        reverse("trainings:print_sign_in", args=[session.pk]) + "?blank=3"
    )
    assert text_of(fewer).count('<tr class="blank">') == 3


def test_participant_list_shows_everyone_with_their_status(
    official_client, session, people
):
    response = official_client.get(
        reverse("trainings:print_participants", args=[session.pk])
    )
    assert_shows(
        response,
        "Nguyễn Văn An",
        "Trần Thị Bình",
        "Y Bhim Niê",
        vi("attended"),
        vi("absent"),
        vi("walk-in"),
    )


def test_course_participants_counts_each_person_once(
    official_client, course, session, people, village
):
    # An attends a second session of the course: listed once, with both dates.
    second_start = timezone.now() - timedelta(days=1)
    second = SessionFactory(
        course=course,
        village=village,
        starts_at=second_start,
        ends_at=second_start + timedelta(hours=2),
        status="held",
    )
    EnrolmentFactory(session=second, member=people[0].member, status="attended")
    response = official_client.get(
        reverse("trainings:print_course_participants", args=[course.pk])
    )
    page = text_of(response)
    assert page.count("Nguyễn Văn An") == 1
    assert "Y Bhim Niê" in page
    assert "Trần Thị Bình" not in page  # absent is not a participant
    first_day = timezone.localtime(session.starts_at).strftime("%d/%m/%Y")
    second_day = timezone.localtime(second_start).strftime("%d/%m/%Y")
    assert f"{first_day}, {second_day}" in page


def test_certificates_one_per_attended_person_in_vietnamese(
    client, official, course, session, people
):
    client.force_login(official)
    # Even on the English screens, the certificate is the commune's Vietnamese paper.
    url = "/en" + reverse("trainings:print_certificates", args=[course.pk])
    response = client.get(url)
    assert response.status_code == 200
    page = text_of(response)
    assert page.count('<article class="certificate"') == 2
    assert page.count("GIẤY CHỨNG NHẬN THAM GIA TẬP HUẤN") == 2
    assert page.count("TM. UBND XÃ EA KTUR") == 2
    assert "Nguyễn Văn An" in page and "Y Bhim Niê" in page
    assert "Trần Thị Bình" not in page
    assert "Trung tâm Khuyến nông tỉnh Đắk Lắk" in page
    today = timezone.localdate()
    assert f"Ea Ktur, ngày {today:%d} tháng {today:%m} năm {today:%Y}" in page
    assert "Print" in page  # the toolbar follows the screen's language


def test_certificates_of_one_session(official_client, course, session, people, village):
    other = SessionFactory(
        course=course,
        village=village,
        starts_at=session.starts_at - timedelta(days=7),
        ends_at=session.ends_at - timedelta(days=7),
        status="held",
    )
    EnrolmentFactory(
        session=other, member=None, full_name="Chỉ Buổi Trước", status="attended"
    )
    url = reverse("trainings:print_certificates", args=[course.pk])
    only = text_of(official_client.get(f"{url}?session={session.pk}"))
    assert only.count('<article class="certificate"') == 2
    assert "Chỉ Buổi Trước" not in only
    everyone = text_of(official_client.get(url))
    assert everyone.count('<article class="certificate"') == 3
    stranger = SessionFactory(village=village)
    assert official_client.get(f"{url}?session={stranger.pk}").status_code == 404


def test_roster_export_is_safe_against_formulas(official_client, session, people):
    EnrolmentFactory(
        session=session,
        member=None,
        full_name='=HYPERLINK("http://x.example","bấm")',
        status=EnrolmentStatus.WAITLISTED,
    )
    response = official_client.get(
        reverse("trainings:session_roster_export", args=[session.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "Trồng hồ tiêu bền vững"
    header = values[3]
    assert header[:4] == [vi("No."), vi("Full name"), vi("Birth year"), vi("Village")]
    names = [row[1] for row in values[4:]]
    assert names == [
        "Nguyễn Văn An",
        "Trần Thị Bình",
        "Y Bhim Niê",
        '\'=HYPERLINK("http://x.example","bấm")',
    ]
    assert values[4][2] == 1975
    assert values[7][6] == 1  # first on the waiting list


def test_printouts_of_another_villages_session_are_not_found(
    officer_client, commune, other_village
):
    hidden_course = CourseFactory(commune=commune, target_villages=[other_village])
    hidden = SessionFactory(course=hidden_course, village=other_village)
    for name in ("print_sign_in", "print_participants", "session_roster_export"):
        url = reverse(f"trainings:{name}", args=[hidden.pk])
        assert officer_client.get(url).status_code == 404, name
    for name in ("print_course_participants", "print_certificates"):
        url = reverse(f"trainings:{name}", args=[hidden_course.pk])
        assert officer_client.get(url).status_code == 404, name
