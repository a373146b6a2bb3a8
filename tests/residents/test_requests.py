"""The resident's request through the test client: the form sends exactly one request
that lands, due today, in the village officer's follow-up list; bad input says what is
wrong in Vietnamese and keeps nothing; the sixth request in an hour from one address is
refused (429); a robot filling the hidden box gets the thanks page and nothing is kept;
a proven household is linked; a session from the calendar is chosen and named in the
note; the page reads in English on /en/.

"Now" is pinned to 15/06/2025 09:30 in Asia/Ho_Chi_Minh.
"""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from eakutur.residents.models import AttemptAction, AttemptOutcome, PublicAttempt
from eakutur.residents.session import remember_household
from eakutur.residents.views._common import VILLAGE_COOKIE
from outreach.models import Contact, ContactChannel
from tests.factories import HouseholdFactory
from tests.factories.outreach import TeamMemberFactory
from tests.factories.trainings import CourseFactory, SessionFactory, in_days
from tests.pages import assert_not_shows, assert_shows, text_of

pytestmark = pytest.mark.django_db

TODAY = date(2025, 6, 15)
REQUEST = reverse("residents:request")
SENT = reverse("residents:request_sent")
FOLLOW_UPS = reverse("contacts:follow_up_list")
NAME, PHONE = "Nguyễn Văn Tư", "0987654321"


@pytest.fixture(autouse=True)
def _now():
    moment = datetime(2025, 6, 15, 9, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    with time_machine.travel(moment, tick=False):
        yield


@pytest.fixture
def session(commune, village):
    course = CourseFactory(
        commune=commune, title="Trồng sầu riêng bền vững", target_villages=[village]
    )
    return SessionFactory(
        course=course, village=village, starts_at=in_days(5), place="Nhà văn hóa"
    )


def form(village, **overrides) -> dict:
    data = {
        "topic": "loans",
        "session": "",
        "village": str(village.pk),
        "name": NAME,
        "phone": "0987 654 321",
        "note": "Gọi buổi chiều giúp tôi",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def checked(html: str, topic: str) -> bool:
    return bool(re.search(rf'name="topic" value="{topic}"[^>]* checked>', html))


def send(client, village, address="10.0.0.1", **overrides):
    return client.post(REQUEST, form(village, **overrides), REMOTE_ADDR=address)


def test_a_request_becomes_one_follow_up_due_today_in_the_officer_list(
    client, client_for, officer, village
):
    TeamMemberFactory(
        team__village=village, full_name="Lê Thị Giúp", phone="0905333444"
    )
    page = client.get(REQUEST)
    assert page.status_code == 200
    assert_shows(
        page,
        "Nhờ cán bộ thôn gọi lại cho bạn",
        "Tôi đồng ý để cán bộ thôn gọi điện cho tôi về việc này",
        "Vay vốn ưu đãi",
    )

    response = send(client, village)

    assert response.status_code == 302
    assert response["Location"] == SENT  # nothing personal in the address
    contact = Contact.objects.get()
    assert contact.channel == ContactChannel.RESIDENT_REQUEST
    assert (contact.village, contact.follow_up_on) == (village, TODAY)
    assert [t.topic for t in contact.topics.all()] == ["loans"]
    assert (contact.requester_name, contact.requester_phone) == (NAME, PHONE)
    attempt = PublicAttempt.objects.get()
    assert (attempt.action, attempt.outcome) == (
        AttemptAction.REQUEST,
        AttemptOutcome.SENT,
    )
    assert (attempt.village, attempt.household, attempt.household_code) == (
        village,
        None,
        "",
    )
    thanks = client.get(SENT)
    assert_shows(
        thanks, "Yêu cầu của bạn đã được gửi", "trong vài ngày tới", "Lê Thị Giúp"
    )
    officer_list = client_for(officer).get(FOLLOW_UPS)
    assert_shows(officer_list, "Người dân yêu cầu", NAME, f"tel:{PHONE}")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"phone": "0123 456"}, "phone", "Hãy nhập số di động Việt Nam"),
        ({"consent": None}, "consent", "Hãy đánh dấu vào ô đồng ý"),
        ({"note": "x" * 301}, "note", "Lời nhắn quá dài: tối đa 300 ký tự"),
        ({"topic": None}, "topic", "Hãy chọn việc bạn cần."),
        (
            {"topic": "other", "note": ""},
            "note",
            "Hãy viết vài chữ cho biết bạn cần gì.",
        ),
    ],
)
def test_bad_input_says_what_is_wrong_and_keeps_nothing(
    client, village, overrides, field, message
):
    response = send(client, village, **overrides)

    assert response.status_code == 200
    assert_shows(response, message, "Yêu cầu chưa được gửi")
    assert field in response.context["form"].errors
    assert not Contact.objects.exists()
    assert not PublicAttempt.objects.exists()


def test_the_sixth_request_in_an_hour_from_one_address_is_refused(client, village):
    for _ in range(5):
        assert send(client, village).status_code == 302

    refused = send(client, village)
    other_address = send(client, village, address="10.0.0.2")

    assert refused.status_code == 429
    assert_shows(refused, "quá nhiều yêu cầu")
    assert other_address.status_code == 302
    assert Contact.objects.count() == 6
    assert PublicAttempt.objects.filter(outcome=AttemptOutcome.THROTTLED).count() == 1
    assert not text_of(refused).count(PHONE)


def test_a_robot_filling_the_hidden_box_is_thanked_and_forgotten(client, village):
    response = send(client, village, website="http://spam.example")

    assert response.status_code == 302
    assert response["Location"] == SENT
    assert not Contact.objects.exists()
    assert not PublicAttempt.objects.exists()


def test_a_proven_household_is_linked_and_its_phone_not_shown(
    client, village, other_village
):
    household = HouseholdFactory(village=village, code="T01-0007", phone="0912345678")
    http_session = client.session
    remember_household(http_session, household)
    http_session.save()
    client.cookies["sessionid"] = http_session.session_key

    page = client.get(REQUEST)
    assert_shows(page, "Yêu cầu cho hộ của bạn")
    assert_not_shows(page, "0912345678", 'name="village"')

    response = send(client, other_village, topic="health_insurance")

    assert response.status_code == 302
    contact = Contact.objects.get()
    assert (contact.household, contact.village) == (household, village)
    assert contact.requester_phone == PHONE
    attempt = PublicAttempt.objects.get()
    assert (attempt.household, attempt.village) == (household, village)


def test_a_session_from_the_calendar_is_chosen_and_named_in_the_note(
    client, village, session
):
    page = client.get(f"{REQUEST}?session={session.pk}")
    html = text_of(page)
    assert f'<option value="{session.pk}" selected>' in html
    assert checked(html, "trainings")
    assert "Trồng sầu riêng bền vững" in html

    send(client, village, topic="trainings", session=str(session.pk))

    contact = Contact.objects.get()
    assert [t.topic for t in contact.topics.all()] == ["trainings"]
    assert "Buổi tập huấn: Trồng sầu riêng bền vững" in contact.note
    assert "Nhà văn hóa" in contact.note


def test_the_remembered_village_and_topic_are_preselected(client, village):
    client.cookies[VILLAGE_COOKIE] = str(village.pk)
    html = text_of(client.get(f"{REQUEST}?topic=loans"))
    assert f'<option value="{village.pk}" selected>' in html
    assert checked(html, "loans")
    assert not checked(html, "trainings")


def test_the_page_reads_in_english(client, village):
    page = client.get(f"/en{REQUEST}")
    assert_shows(
        page,
        "Ask the village officer to call you",
        "I agree that the village officer may call me about this",
        "Send my request",
    )
    response = client.post(
        f"/en{REQUEST}", form(village, phone="12"), REMOTE_ADDR="10.0.0.1"
    )
    assert_shows(response, "Enter a Vietnamese mobile number")
