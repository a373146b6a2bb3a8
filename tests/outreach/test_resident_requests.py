"""A resident's request as an outreach contact: the model's rules (nobody logged it only
for a request; a request has a phone or a household to call back), the service, coverage
that does not count a request as reaching the household, and the village officer's
follow-up list (the badge, the number to call, scoping, closing it).

"Now" is pinned to 15/06/2025 09:30 in Asia/Ho_Chi_Minh.
"""

import re
from datetime import date, datetime
from random import Random
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from eakutur.accounts.models import Role
from eakutur.audit.models import AuditEntry
from households import demo as registry_demo
from outreach.demo import DemoHousehold, DemoVillage, plan_resident_requests
from outreach.forms import ContactForm
from outreach.models import Contact, ContactChannel, ContactOutcome
from outreach.selectors import coverage_by_village, follow_up_counts
from outreach.services import contact_log, resident_request_create
from tests.factories import HouseholdFactory, UserFactory
from tests.factories.outreach import ContactFactory
from tests.pages import assert_not_shows, assert_shows, text_of

pytestmark = pytest.mark.django_db

TODAY = date(2025, 6, 15)
FOLLOW_UPS = reverse("contacts:follow_up_list")


@pytest.fixture(autouse=True)
def _now():
    moment = datetime(2025, 6, 15, 9, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    with time_machine.travel(moment, tick=False):
        yield


@pytest.fixture
def mai(village):
    return HouseholdFactory(
        village=village, code="T01-0007", head_name="Lê Thị Mai", phone="0912345678"
    )


def send(village, **overrides) -> Contact:
    values = {
        "village": village,
        "topic": "loans",
        "name": "Nguyễn Văn Tư",
        "phone": "0987 654 321",
        "note": "Gọi buổi chiều giúp tôi",
    }
    return resident_request_create(**{**values, **overrides})


# --- The model ---------------------------------------------------------------------------


def test_only_a_resident_request_may_have_nobody_who_logged_it(village):
    visit = Contact(
        commune=village.commune,
        village=village,
        channel=ContactChannel.MEETING,
        contacted_on=TODAY,
        made_by=None,
    )
    with pytest.raises(ValidationError) as caught:
        visit.full_clean()
    assert "Chỉ yêu cầu do người dân gửi mới được để trống người ghi." in str(
        caught.value
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        visit.save()


def test_a_request_needs_a_phone_or_a_household(village, mai):
    request = Contact(
        commune=village.commune,
        village=village,
        channel=ContactChannel.RESIDENT_REQUEST,
        contacted_on=TODAY,
        requester_name="Tư",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        request.save()
    request.household = mai  # the household's number will do
    request.save()
    assert request.call_back_phone == "0912345678"


# --- The service -------------------------------------------------------------------------


def test_the_request_is_a_follow_up_due_today_with_its_topic_and_words(village):
    contact = send(village, topic="trainings", session_label="Trồng cà phê – 20/06")
    assert contact.channel == ContactChannel.RESIDENT_REQUEST
    assert contact.made_by is None
    assert (contact.contacted_on, contact.follow_up_on) == (TODAY, TODAY)
    assert contact.outcome == ContactOutcome.INTERESTED
    assert [t.topic for t in contact.topics.all()] == ["trainings"]
    assert contact.requester_name == "Nguyễn Văn Tư"
    assert contact.requester_phone == "0987654321"
    assert "Buổi tập huấn: Trồng cà phê – 20/06" in contact.note
    assert "Người dân nhắn: Gọi buổi chiều giúp tôi" in contact.note
    entry = AuditEntry.objects.get(object_id=contact.pk, action="create")
    assert entry.actor is None
    assert "Người dân gửi yêu cầu" in entry.note


def test_a_household_fixes_the_village_and_a_bad_phone_is_refused(
    village, other_village, mai
):
    contact = send(other_village, household=mai, phone="")
    assert (contact.household, contact.village) == (mai, village)
    with pytest.raises(ValidationError) as caught:
        send(village, phone="0123")
    assert "phone" in caught.value.error_dict
    with pytest.raises(ValidationError):
        send(village, phone="")  # nobody to call back
    with pytest.raises(ValidationError):
        send(village, topic="weather")
    assert Contact.objects.count() == 1


def test_an_official_cannot_log_a_request_by_hand(official, village):
    form = ContactForm(user=official)
    assert ContactChannel.RESIDENT_REQUEST not in dict(form.fields["channel"].choices)
    with pytest.raises(ValidationError):
        contact_log(
            user=official,
            village=village,
            channel=ContactChannel.RESIDENT_REQUEST,
            contacted_on=TODAY,
            topics=["loans"],
            outcome=ContactOutcome.INTERESTED,
        )
    assert not Contact.objects.exists()


# --- Coverage ------------------------------------------------------------------------------


def test_coverage_does_not_count_a_request_as_reaching_the_household(
    official, village, mai
):
    send(village, household=mai)
    send(village)  # no household: not an announcement either
    row = coverage_by_village(official, today=TODAY).rows[0]
    assert (row.households, row.reached, row.announcements) == (1, 0, 0)
    assert not Contact.objects.reached().exists()
    ContactFactory(household=mai, made_by=official, contacted_on=TODAY)
    row = coverage_by_village(official, today=TODAY).rows[0]
    assert row.reached == 1


# --- The officer's follow-up list --------------------------------------------------------


def test_the_officer_sees_the_request_with_a_badge_and_the_number_to_call(
    officer_client, officer, village
):
    contact = send(village)
    assert follow_up_counts(officer, today=TODAY)["due"] == 1
    response = officer_client.get(FOLLOW_UPS)
    assert response.status_code == 200
    assert_shows(
        response,
        "Người dân yêu cầu",
        "Nguyễn Văn Tư",
        'href="tel:0987654321"',
        "Gọi buổi chiều giúp tôi",
    )
    assert f'data-follow-up="{contact.pk}"' in text_of(response)
    detail = officer_client.get(reverse("contacts:contact_detail", args=[contact.pk]))
    assert_shows(detail, "Người dân gửi yêu cầu: Nguyễn Văn Tư", "tel:0987654321")
    listing = officer_client.get(reverse("contacts:contact_list"))
    assert_shows(listing, "Người dân yêu cầu", "Nguyễn Văn Tư")
    export = officer_client.get(reverse("contacts:contact_export"))
    assert export.status_code == 200
    home = text_of(officer_client.get(reverse("staff_home")))
    due = home.split('id="follow-ups-due"', 1)[1].split("</a>", 1)[0]
    assert re.search(r'class="h3[^"]*">1<', due)


def test_another_village_officer_does_not_see_the_request(
    client_for, commune, village, other_village
):
    send(village)
    buon = UserFactory(
        username="buontieu",
        role=Role.VILLAGE_OFFICER,
        commune=commune,
        villages=[other_village],
    )
    response = client_for(buon).get(FOLLOW_UPS)
    assert_not_shows(response, "Nguyễn Văn Tư", "Người dân yêu cầu")
    assert follow_up_counts(buon, today=TODAY)["open"] == 0


def test_the_officer_marks_the_request_done(officer_client, officer, village):
    contact = send(village)
    response = officer_client.post(
        reverse("contacts:follow_up_done", args=[contact.pk]),
        {"note": "Đã gọi, hẹn làm hồ sơ thứ Hai"},
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.follow_up_done_by == officer
    assert contact.follow_up_note == "Đã gọi, hẹn làm hồ sơ thứ Hai"
    page = officer_client.get(FOLLOW_UPS)
    assert f'data-follow-up="{contact.pk}"' not in text_of(page)
    assert_shows(page, "Không có việc hẹn theo dõi nào đang chờ.")


# --- The demo ------------------------------------------------------------------------------


def _demo_requests(seed: int):
    villages = [
        DemoVillage(pk, f"V{pk:02d}", f"Thôn {pk}", pk % 3 == 0, 10)
        for pk in range(1, 11)
    ]
    households = [
        DemoHousehold(pk * 100 + i, pk, "poor", i % 2 == 0, False)
        for pk in range(1, 11)
        for i in range(4)
    ]
    return plan_resident_requests(
        Random(seed),
        villages,
        households,
        numbers=registry_demo.UniqueNumbers(),
        today=TODAY,
        tz=ZoneInfo("Asia/Ho_Chi_Minh"),
        officer_village=3,
    )


def test_the_demo_plans_a_dozen_requests_a_few_open_in_the_officer_village():
    plans = _demo_requests(7)
    assert plans == _demo_requests(7)
    assert len(plans) == 12
    assert len({p.village for p in plans}) >= 4
    assert all(p.channel == ContactChannel.RESIDENT_REQUEST for p in plans)
    assert all(p.by is None and p.follow_up_on == p.contacted_on for p in plans)
    assert all(p.requester_name and (p.requester_phone or p.household) for p in plans)
    open_ = [p for p in plans if p.follow_up_done_at is None]
    assert 4 <= len(open_) <= 6
    assert sum(p.village == 3 for p in open_) == 2
    done = [p for p in plans if p.follow_up_done_at is not None]
    assert all(p.done_by and p.follow_up_note for p in done)


def test_the_contact_search_finds_a_request_by_the_requesters_name_or_phone(
    official, village
):
    from outreach.selectors import ContactFilters, contact_list_for
    from outreach.services import resident_request_create

    request = resident_request_create(
        village=village, topic="loans", name="Y Kơ Niê", phone="0905777888"
    )
    for q in ("0905777888", "777888", "kơ"):
        found = list(contact_list_for(official, ContactFilters(q=q)))
        assert found == [request], q
    assert list(contact_list_for(official, ContactFilters(q="0905111222"))) == []
