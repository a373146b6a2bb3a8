"""A training session from scheduling to attendance, in real Chromium, in Vietnamese:
an official schedules a session on the course page, enrols three people through the
session page (two found by the search, one walk-in), and on the day the village officer
marks attendance on a phone-sized screen; the roster then shows who came."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from eakutur.accounts.models import Role
from tests.e2e.test_registry_journey import PHONE_WIDTH, log_in, submit, vi
from tests.factories import (
    CommuneFactory,
    HouseholdFactory,
    MemberFactory,
    UserFactory,
    VillageFactory,
)
from tests.factories.trainings import CourseFactory
from trainings.models import Enrolment, EnrolmentStatus, Session, SessionStatus


@pytest.fixture(autouse=True)
def _no_broker(monkeypatch):
    """Reminder notices are only scheduled here; nothing goes to the developer's broker."""
    from outreach import tasks

    monkeypatch.setattr(tasks.send_delivery, "delay", lambda *a, **k: None)


@pytest.fixture
def setting():
    commune = CommuneFactory(code="EAKTUR", name="Xã Ea Ktur")
    village = VillageFactory(
        commune=commune, code="B05", name="Buôn Ea Mar", kind="buon"
    )
    UserFactory(username="canbo.tb", role=Role.COMMUNE_OFFICIAL, commune=commune)
    UserFactory(
        username="thon.eamar",
        role=Role.VILLAGE_OFFICER,
        commune=commune,
        villages=[village],
    )
    course = CourseFactory(
        commune=commune,
        title="Trồng cà phê bền vững",
        target_villages=[village],
    )
    household = HouseholdFactory(
        village=village, code="B05-012", head_name="Y Kông Êban", phone="0912345678"
    )
    MemberFactory(household=household, full_name="H'Linh Knul", birth_year=1988)
    return course, village


def test_schedule_enrol_three_and_mark_attendance_on_a_phone(
    page, phone_page, live_server, setting
):
    course, _village = setting
    base = live_server.url

    # The official schedules a session from the course page.
    log_in(page, base, "canbo.tb")
    page.goto(f"{base}/trainings/courses/{course.pk}/")
    page.get_by_role("link", name=f"+ {vi('Schedule a session')}").first.click()
    day = timezone.localdate() + timedelta(days=7)
    page.locator("#id_day").fill(day.strftime("%d/%m/%Y"))
    page.locator("#id_start_time").fill("08:00")
    page.locator("#id_end_time").fill("11:00")
    page.locator("#id_place").fill("Nhà văn hóa Buôn Ea Mar")
    page.locator("#id_capacity").fill("20")
    page.locator("#id_trainer").fill("KS. Lê Văn Tâm")
    submit(page, vi("Schedule the session"))
    session = Session.objects.get()

    # It opens the session's page and enrols three people.
    page.get_by_role("link", name=day.strftime("%d/%m/%Y")).first.click()
    expect(page.locator("#session-status")).to_have_text(vi("scheduled"))
    search = page.get_by_label(vi("Find a person"))
    search.fill("y kong")  # without diacritics
    submit(page, vi("Search"))
    submit(page, f"{vi('Enrol')} Y Kông Êban")
    expect(page.locator(".alert-success")).to_contain_text(
        vi("%(name)s is registered.", name="Y Kông Êban")
    )
    page.get_by_label(vi("Find a person")).fill("B05-012")
    submit(page, vi("Search"))
    submit(page, f"{vi('Enrol')} H'Linh Knul")
    page.get_by_text(vi("Not in the registry? Enrol a walk-in")).click()
    walk_in = page.locator("#walk-in")
    walk_in.get_by_label(vi("Full name")).fill("Y Bhim Niê")
    walk_in.get_by_label(vi("Birth year")).fill("1995")
    submit(page, vi("Enrol the walk-in"))
    expect(page.locator("#roster-list li")).to_have_count(3)
    expect(page.locator('[data-count="taken"]')).to_have_text("3")

    # On the day (the session has started), the village officer ticks on a phone.
    start = timezone.now() - timedelta(minutes=30)
    Session.objects.filter(pk=session.pk).update(
        starts_at=start, ends_at=start + timedelta(hours=3)
    )
    phone = phone_page
    log_in(phone, base, "thon.eamar")
    phone.goto(f"{base}/trainings/sessions/{session.pk}/")
    phone.get_by_role("link", name=vi("Attendance sheet")).click()
    toggles = phone.locator("label.attendance-toggle")
    expect(toggles).to_have_count(3)
    box = toggles.first.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 300, box  # one big target a row
    phone.get_by_role("link", name=vi("Everyone came")).click()
    expect(phone.locator("#came-count")).to_have_text("3")
    phone.locator("label.attendance-toggle", has_text="H'Linh Knul").click()
    expect(phone.locator("#came-count")).to_have_text("2")
    width = phone.evaluate("document.scrollingElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"the sheet is {width}px wide"
    submit(phone, vi("Save attendance"))

    expect(phone.locator(".alert-success")).to_contain_text(
        vi("Attendance saved: %(came)s came, %(absent)s absent.", came=2, absent=1)
    )
    expect(phone.locator("#session-status")).to_have_text(vi("held"))
    expect(phone.locator('[data-count="attended"]')).to_have_text("2")
    roster = phone.locator("#roster-list")
    expect(
        roster.locator("li", has_text="Y Kông Êban").locator(".roster-status")
    ).to_have_text(vi("attended"))
    expect(
        roster.locator("li", has_text="Y Bhim Niê").locator(".roster-status")
    ).to_have_text(vi("attended"))
    expect(
        roster.locator("li", has_text="H'Linh Knul").locator(".roster-status")
    ).to_have_text(vi("absent"))
    assert dict(
        Enrolment.objects.filter(session=session).values_list("full_name", "status")
    ) == {
        "Y Kông Êban": EnrolmentStatus.ATTENDED,
        "H'Linh Knul": EnrolmentStatus.ABSENT,
        "Y Bhim Niê": EnrolmentStatus.ATTENDED,
    }
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD

    # The official reloads the roster on the desktop: the same.
    page.reload()
    expect(page.locator("#session-status")).to_have_text(vi("held"))
    expect(
        page.locator("#roster-list .roster-status", has_text=vi("attended"))
    ).to_have_count(2)
