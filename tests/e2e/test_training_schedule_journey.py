"""Planning a training in real Chromium, in Vietnamese: an official creates a course for
two villages, schedules its first session, and reads which villages' groups the reminders
go to and when; and the training pages fit a phone."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from eakutur.accounts.models import Role
from outreach.models import GroupChannel, Notice, NoticeStatus
from tests.e2e.test_registry_journey import PHONE_WIDTH, log_in, submit, vi
from tests.factories import CommuneFactory, UserFactory, VillageFactory
from tests.factories.outreach import groups_for
from tests.factories.trainings import CourseFactory, EnrolmentFactory, SessionFactory
from trainings.models import Course, Session

TITLE = "Trồng sầu riêng bền vững, phòng trừ bệnh xì mủ"


@pytest.fixture
def villages():
    commune = CommuneFactory(code="EAKTUR", name="Xã Ea Ktur")
    thon = VillageFactory(commune=commune, code="T04", name="Thôn 4", sort_order=4)
    buon = VillageFactory(
        commune=commune,
        code="B07",
        name="Buôn Cư Dluê",
        kind="buon",
        is_ethnic_minority=True,
        sort_order=7,
    )
    VillageFactory(commune=commune, code="T09", name="Thôn 9", sort_order=9)
    groups_for([thon, buon], channel=GroupChannel.CONSOLE)
    UserFactory(username="canbo.th", role=Role.COMMUNE_OFFICIAL, commune=commune)
    return thon, buon


def test_official_creates_a_course_and_schedules_a_session(page, live_server, villages):
    thon, buon = villages
    base = live_server.url
    log_in(page, base, "canbo.th")

    # From the main menu to the courses, then a new course for two villages.
    page.get_by_role("link", name=vi("Trainings"), exact=True).click()
    expect(
        page.get_by_role("heading", name=vi("Upcoming training sessions"))
    ).to_be_visible()
    page.get_by_role("link", name=vi("Courses"), exact=True).click()
    page.get_by_role("link", name=f"+ {vi('New course')}").click()
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_topic").select_option("durian")
    page.locator("#id_organiser_kind").select_option("extension_centre")
    page.locator("#id_organiser_name").fill("Trung tâm Khuyến nông tỉnh Đắk Lắk")
    page.locator("#id_loan_purpose").select_option("durian")
    for village in (thon, buon):
        page.locator(f"input[name='target_villages'][value='{village.pk}']").check()
    page.locator("input[name='target_groups'][value='poor']").check()
    submit(page, vi("Create the course"))

    course = Course.objects.get()
    expect(page).to_have_url(f"{base}/trainings/courses/{course.pk}/")
    expect(page.locator("#target-villages")).to_have_text("Thôn 4, Buôn Cư Dluê")
    expect(page.locator("#no-sessions")).to_be_visible()

    # Its first session, in five days, held in the hamlet.
    day = timezone.localdate() + timedelta(days=5)
    page.get_by_role("link", name=f"+ {vi('Schedule a session')}").first.click()
    expect(page.locator("#reminder-villages")).to_contain_text("Thôn 4, Buôn Cư Dluê")
    page.locator("#id_day").fill(f"{day:%d/%m/%Y}")
    page.locator("#id_start_time").fill("13:30")
    page.locator("#id_end_time").fill("16:30")
    page.locator("#id_village").select_option(str(buon.pk))
    page.locator("#id_place").fill("Nhà sinh hoạt cộng đồng buôn Cư Dluê")
    page.locator("#id_capacity").fill("40")
    page.locator("#id_trainer").fill("KS. Y Khuê Êban")
    submit(page, vi("Schedule the session"))

    session = Session.objects.get()
    assert session.course == course and session.village == buon
    expect(page).to_have_url(f"{base}/trainings/courses/{course.pk}/")
    two_days_before = day - timedelta(days=2)
    message = page.get_by_role("status")
    expect(message).to_contain_text(
        vi("The session of %(date)s is scheduled.", date=f"{day:%d/%m/%Y}")
    )
    expect(message).to_contain_text("Thôn 4, Buôn Cư Dluê")
    expect(message).to_contain_text(
        vi("%(time)s on %(date)s", time="07:30", date=f"{two_days_before:%d/%m/%Y}")
    )
    expect(message).to_contain_text(
        vi("%(time)s on %(date)s", time="06:30", date=f"{day:%d/%m/%Y}")
    )
    reminders = Notice.objects.filter(source_key__startswith=f"training:{session.pk}:")
    assert reminders.count() == 2
    assert all(n.status == NoticeStatus.SCHEDULED for n in reminders)
    row = page.locator(f"#sessions tr[data-session='{session.pk}']")
    expect(row).to_contain_text("Buôn Cư Dluê")
    expect(row.locator("[data-places]")).to_have_text("0/40")

    # The session is on the trainings home.
    page.get_by_role("link", name=vi("Upcoming sessions"), exact=True).click()
    expect(page.locator(f"#sessions [data-session='{session.pk}']")).to_contain_text(
        TITLE
    )


def test_training_pages_fit_a_phone(phone_page, live_server, villages):
    thon, buon = villages
    course = CourseFactory(
        commune=thon.commune,
        title="Dạy nghề sửa chữa xe máy cho thanh niên đồng bào dân tộc thiểu số " * 2,
        kind="vocational",
        target_villages=[thon, buon],
        description="Học thực hành tại xưởng. " * 30,
    )
    session = SessionFactory(
        course=course,
        village=buon,
        place="Xưởng thực hành, Trung tâm học tập cộng đồng buôn Cư Dluê",
    )
    EnrolmentFactory.create_batch(2, session=session)
    page, base = phone_page, live_server.url
    log_in(page, base, "canbo.th")
    month = timezone.localtime(session.starts_at).strftime("%Y-%m")
    for what, path in [
        ("the upcoming sessions", "/trainings/"),
        ("the calendar", f"/trainings/calendar/?month={month}"),
        ("the course list", "/trainings/courses/"),
        ("the course form", "/trainings/courses/new/"),
        ("a course", f"/trainings/courses/{course.pk}/"),
        ("the session form", f"/trainings/courses/{course.pk}/sessions/new/"),
        ("the edit form", f"/trainings/sessions/{session.pk}/edit/"),
        ("the cancel page", f"/trainings/sessions/{session.pk}/cancel/"),
    ]:
        page.goto(f"{base}{path}")
        content, inner, layout = page.evaluate(
            "[document.scrollingElement.scrollWidth, window.innerWidth,"
            " document.documentElement.clientWidth]"
        )
        assert content <= layout, f"{what} is {content}px wide on a {layout}px screen"
        assert inner == PHONE_WIDTH, f"{what} was zoomed out to {inner}px"
        hidden = page.evaluate(
            "Array.from(document.querySelectorAll('.table-responsive'))"
            ".map(e => e.scrollWidth - e.clientWidth).filter(d => d > 0)"
        )
        assert not hidden, f"a table on {what} scrolls sideways by {hidden}px"
    # On a phone the calendar is a list of the days with sessions, not a grid.
    page.goto(f"{base}/trainings/calendar/?month={month}")
    expect(page.locator("#calendar-grid")).to_be_hidden()
    expect(
        page.locator(f"#calendar-list [data-session='{session.pk}']")
    ).to_be_visible()
