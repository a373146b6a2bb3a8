"""The household lookup and the "my household" page, through the test client: the code
and either second factor find the household; a failure says nothing about which half
was wrong; the rate limits hold per address (whatever X-Forwarded-For says) and per
code; every checked or refused lookup is logged without the digits; the page shows the
household's status, programs, loans and trainings and nothing that names a person; it
forgets the household after 15 minutes or at "Xong, thoát"."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from eakutur.residents.models import AttemptOutcome, PublicAttempt
from eakutur.residents.session import LOOKUP_SESSION_KEY
from households.models import PovertyStatus
from tests.factories import (
    HouseholdFactory,
    MemberFactory,
    PovertyReviewFactory,
    ede,
)
from tests.factories.loans import disbursed_loan, repayment
from tests.factories.trainings import CourseFactory, EnrolmentFactory, SessionFactory
from tests.pages import assert_not_shows, assert_shows, text_of, vi
from trainings.models import EnrolmentStatus, SessionStatus

LOOKUP = "/my-household/"
PAGE = "/my-household/view/"
LEAVE = "/my-household/leave/"
CODE = "BT-0012"
PHONE = "0912345678"
NATIONAL_ID = "066085004321"
HEAD = "Y Bhim Niê"
MEMBER = "H'Linh Niê"
ADDRESS = "Buôn Tiêu, Ea Ktur"

NO_MATCH = "Không tìm thấy hộ với mã và 4 số này."
THROTTLED = "Thử quá nhiều lần"


@pytest.fixture
def household(village):
    """A poor household of this year's review, with a second member."""
    year = timezone.localdate().year
    household = HouseholdFactory(
        village=village,
        code=CODE,
        head_name=HEAD,
        phone=PHONE,
        head_national_id=NATIONAL_ID,
        address=ADDRESS,
        ethnic_group=ede(),
        current_status=PovertyStatus.POOR,
        current_review_year=year,
    )
    PovertyReviewFactory(household=household, year=year, status=PovertyStatus.POOR)
    MemberFactory(household=household, full_name=MEMBER, national_id="066190009876")
    return household


def look_up(client, code=CODE, digits="5678", address="10.0.0.1", **extra):
    return client.post(
        LOOKUP, {"code": code, "digits": digits}, REMOTE_ADDR=address, **extra
    )


def without_csrf(response) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", response.content)


def fail_from(client, address: str, times: int, *, prefix: str = "XX") -> None:
    """``times`` failed lookups from ``address``, each for another unknown code, so only
    the per-address limit is at play."""
    for i in range(times):
        response = look_up(client, code=f"{prefix}-{i:03d}", address=address)
        assert response.status_code == 200


# --- finding the household --------------------------------------------------------------


def test_code_and_phone_digits_show_status_loans_and_trainings(
    client, commune, household
):
    with time_machine.travel(datetime(2025, 11, 20, 9, tzinfo=UTC), tick=False):
        loan = disbursed_loan(
            household=household, amount=40_000_000, disbursed_on=date(2025, 3, 10)
        )
        repayment(loan, paid_on=date(2025, 9, 1), principal=5_000_000)
        course = CourseFactory(commune=commune, title="Trồng cà phê bền vững")
        held = SessionFactory(
            course=course,
            village=household.village,
            starts_at=timezone.now() - timedelta(days=20),
            ends_at=timezone.now() - timedelta(days=20) + timedelta(hours=3),
            status=SessionStatus.HELD,
        )
        head = household.members.get(full_name=HEAD)
        EnrolmentFactory(session=held, member=head, status=EnrolmentStatus.ATTENDED)
        coming = SessionFactory(
            course=CourseFactory(commune=commune, title="Nuôi bò vỗ béo"),
            village=household.village,
        )
        EnrolmentFactory(session=coming, member=head)

        response = look_up(client, digits="5678", follow=True)

    assert response.redirect_chain == [(PAGE, 302)]
    assert_shows(
        response,
        "Hộ của tôi",
        "Hộ nghèo",
        vi("By the village's review of %(year)s.", year=household.current_review_year),
        "Cho vay hộ nghèo",  # the loan's program, in Vietnamese
        "40.000.000",
        "35.000.000",  # still owed
        "10/03/2026",  # the first yearly instalment
        "8.333.000",  # what is left of it after the 5 million repaid
        "Trồng cà phê bền vững",
        "Có mặt",
        "Nuôi bò vỗ béo",
        "Đã đăng ký",
        "Buổi tới: ngày 23/11/2025, lúc 08:00",  # the session three days on
        "Xong, thoát",
    )
    assert_not_shows(response, "quá hạn")
    assert "no-store" in response["Cache-Control"]


def test_a_course_of_many_sessions_is_one_line_with_its_tally(
    client, commune, household
):
    course = CourseFactory(commune=commune, title="Dạy nghề may công nghiệp")
    head = household.members.get(full_name=HEAD)
    for days, status in ((-9, "attended"), (-6, "attended"), (-3, "absent")):
        start = timezone.now() + timedelta(days=days)
        session = SessionFactory(
            course=course,
            village=household.village,
            starts_at=start,
            ends_at=start + timedelta(hours=3),
            status=SessionStatus.HELD,
        )
        EnrolmentFactory(session=session, member=head, status=status)
    response = look_up(client, follow=True)
    page = text_of(response)
    assert page.count("Dạy nghề may công nghiệp") == 1
    assert "Có mặt 2 buổi · Vắng mặt" in page


def test_an_overdue_loan_is_marked(client, household):
    disbursed_loan(household=household, disbursed_on=date(2021, 1, 5), term_months=24)
    response = look_up(client, follow=True)
    assert_shows(response, "Quá hạn", vi("Next payment"))


def test_the_programs_it_qualifies_for_are_shown(client, household):
    response = look_up(client, follow=True)
    page = text_of(response)
    qualifies = page.split("Đủ điều kiện (")[1].split("Có thể đủ điều kiện")[0]
    assert "Cho vay hộ nghèo" in qualifies
    assert "Không đủ điều kiện" not in page  # that group is left out


def test_the_last_four_of_the_national_id_work_too(client, household):
    response = look_up(client, digits="4321", follow=True)
    assert response.redirect_chain == [(PAGE, 302)]
    assert_shows(response, "Hộ nghèo")


def test_lowercase_code_with_spaces_works(client, household):
    response = look_up(client, code="  bt - 0012 ", follow=True)
    assert response.redirect_chain == [(PAGE, 302)]


def test_a_found_lookup_is_logged_with_the_household(client, household):
    look_up(client, code="bt-0012")
    attempt = PublicAttempt.objects.get()
    assert attempt.outcome == AttemptOutcome.FOUND
    assert attempt.household == household
    assert attempt.village == household.village
    assert attempt.household_code == CODE
    assert attempt.address == "10.0.0.1"


# --- failing says nothing ----------------------------------------------------------------


def test_unknown_code_and_wrong_digits_give_the_same_page(client, household):
    unknown = look_up(client, code="BT-9999", digits="5678")
    wrong_digits = look_up(client, code=CODE, digits="1111")
    assert unknown.status_code == wrong_digits.status_code == 200
    assert without_csrf(unknown) == without_csrf(wrong_digits)
    assert_shows(unknown, NO_MATCH)
    assert "BT-9999" not in text_of(unknown)
    assert LOOKUP_SESSION_KEY not in client.session
    outcomes = list(PublicAttempt.objects.values_list("household_code", "outcome"))
    assert sorted(outcomes) == [
        (CODE, AttemptOutcome.NO_MATCH),
        ("BT-9999", AttemptOutcome.NO_MATCH),
    ]


def test_a_head_without_phone_or_id_cannot_be_found_with_any_digits(client, village):
    HouseholdFactory(village=village, code="BT-0099", phone="", head_national_id=None)
    response = look_up(client, code="BT-0099", digits="0000")
    assert_shows(response, NO_MATCH)


def test_an_archived_household_is_not_found(client, village):
    HouseholdFactory(
        village=village,
        code=CODE,
        phone=PHONE,
        is_active=False,
        archived_reason="Chuyển đi nơi khác",
    )
    response = look_up(client)
    assert response.status_code == 200
    assert_shows(response, NO_MATCH)
    assert LOOKUP_SESSION_KEY not in client.session


def test_a_household_of_another_commune_is_not_found(
    client, household, foreign_village
):
    HouseholdFactory(village=foreign_village, code="EKM-0001", phone="0987650001")
    response = look_up(client, code="EKM-0001", digits="0001")
    assert_shows(response, NO_MATCH)
    assert PublicAttempt.objects.get().outcome == AttemptOutcome.NO_MATCH


@pytest.mark.parametrize(
    ("digits", "message"),
    [
        ("567", "Type exactly 4 digits, e.g. 5678."),
        ("56789", "Type exactly 4 digits, no more."),
        ("56a8", "Type exactly 4 digits, e.g. 5678."),
        ("", "Type the last 4 digits."),
    ],
)
def test_anything_but_four_digits_is_a_form_error_and_not_an_attempt(
    client, household, digits, message
):
    response = look_up(client, digits=digits)
    assert response.status_code == 200
    assert_shows(response, vi(message))
    assert_not_shows(response, NO_MATCH)
    assert not PublicAttempt.objects.exists()


def test_an_empty_code_is_a_form_error(client, household):
    response = look_up(client, code="   ")
    assert_shows(response, vi("Type your household code."))
    assert not PublicAttempt.objects.exists()


# --- rate limits -------------------------------------------------------------------------


def test_the_11th_failure_from_one_address_is_refused_even_with_the_right_digits(
    client, household
):
    fail_from(client, "10.0.0.7", 10)
    response = look_up(client, address="10.0.0.7")
    assert response.status_code == 429
    assert_shows(response, THROTTLED, "Hãy chờ một giờ", "cán bộ thôn")
    assert LOOKUP_SESSION_KEY not in client.session
    assert PublicAttempt.objects.first().outcome == AttemptOutcome.THROTTLED
    # Another address is not held back by this one's failures.
    assert look_up(client, address="10.0.0.8").status_code == 302


def test_the_address_limit_follows_the_setting(client, household, settings):
    settings.RESIDENTS_LOOKUP_FAILURES_PER_ADDRESS = 3
    fail_from(client, "10.0.0.7", 3)
    assert look_up(client, address="10.0.0.7").status_code == 429


def test_failures_for_one_code_from_many_addresses_are_limited_per_code(
    client, household
):
    for i in range(5):
        response = look_up(client, digits="0000", address=f"10.1.0.{i}")
        assert response.status_code == 200
    response = look_up(client, address="10.1.0.99")  # right digits, fresh address
    assert response.status_code == 429
    assert_shows(response, THROTTLED)
    # Typing the code differently does not make it another code.
    assert look_up(client, code="bt - 0012", address="10.1.0.98").status_code == 429


def test_a_forged_forwarded_for_header_does_not_escape_the_address_limit(
    client, household
):
    for i in range(10):
        response = look_up(
            client,
            code=f"XX-{i:03d}",
            address="10.0.0.7",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{i}",
        )
        assert response.status_code == 200
    response = look_up(client, address="10.0.0.7", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert response.status_code == 429
    assert set(PublicAttempt.objects.values_list("address", flat=True)) == {"10.0.0.7"}


def test_fifty_wrong_lookups_check_at_most_ten_and_all_are_logged(client, household):
    statuses = [
        look_up(
            client, code=f"XX-{i:03d}", digits="1111", address="10.0.0.9"
        ).status_code
        for i in range(50)
    ]
    assert statuses.count(429) == 40
    assert statuses[:10] == [200] * 10
    attempts = PublicAttempt.objects.filter(address="10.0.0.9")
    assert attempts.count() == 50
    assert attempts.filter(outcome=AttemptOutcome.NO_MATCH).count() <= 10
    assert attempts.filter(outcome=AttemptOutcome.THROTTLED).count() == 40


def test_every_lookup_is_logged_and_the_digits_never_are(client, household):
    # A frozen clock: the microseconds of a timestamp could hold any four digits.
    with time_machine.travel(datetime(2025, 11, 20, 9, tzinfo=UTC), tick=False):
        look_up(client, digits="5678", address="10.0.0.1")  # found
        look_up(client, code="BT-7777", digits="2468", address="10.0.0.2")  # no match
        look_up(client, digits="1357", address="10.0.0.3")  # wrong digits
        fail_from(client, "10.0.0.4", 10)
        look_up(client, digits="9753", address="10.0.0.4")  # throttled
    assert PublicAttempt.objects.count() == 14
    for attempt in PublicAttempt.objects.all():
        stored = " ".join(
            str(getattr(attempt, field.attname)) for field in attempt._meta.fields
        )
        for digits in ("5678", "2468", "1357", "9753"):
            assert digits not in stored


# --- the page and the session --------------------------------------------------------------


def test_the_page_without_a_lookup_goes_to_the_form(client, household):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"] == LOOKUP


def test_the_page_is_forgotten_after_fifteen_minutes(client, household):
    start = datetime(2025, 11, 20, 9, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        look_up(client)
    with time_machine.travel(start + timedelta(minutes=14), tick=False):
        assert client.get(PAGE).status_code == 200
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        response = client.get(PAGE, follow=True)
    assert response.redirect_chain == [(LOOKUP, 302)]
    assert_shows(
        response,
        vi(
            "For your safety the household page closed after %(minutes)s minutes. Look it up again to see it.",
            minutes=15,
        ),
    )
    assert LOOKUP_SESSION_KEY not in client.session


def test_the_page_names_nobody(client, household):
    response = look_up(client, follow=True)
    assert response.status_code == 200
    assert_not_shows(
        response,
        HEAD,
        MEMBER,
        "Niê",
        NATIONAL_ID,
        "066190009876",
        "4321",
        PHONE,
        "0912",
        ADDRESS,
        "Ê Đê",
        "Ê-đê",
    )


def test_nothing_personal_travels_in_a_url(client, household):
    responses = [
        look_up(client, follow=True),
        look_up(client, code="bt-0012", digits="1111"),
        client.post(LEAVE, follow=True),
    ]
    urls = [LOOKUP]
    for response in responses:
        urls += [url for url, _status in getattr(response, "redirect_chain", [])]
        if response.has_header("Location"):
            urls.append(response["Location"])
        urls.append(
            response.request["PATH_INFO"] + response.request.get("QUERY_STRING", "")
        )
    assert PAGE in urls
    for url in urls:
        for secret in ("BT", "0012", "5678", "1111", PHONE, str(household.pk)):
            assert secret.lower() not in url.lower(), url


def test_leaving_forgets_the_household(client, household):
    look_up(client)
    assert client.get(PAGE).status_code == 200
    response = client.post(LEAVE, follow=True)
    assert response.redirect_chain == [(LOOKUP, 302)]
    assert_shows(
        response, vi("Done. This phone no longer shows your household's information.")
    )
    assert LOOKUP_SESSION_KEY not in client.session
    assert client.get(PAGE)["Location"] == LOOKUP


def test_leave_by_get_changes_nothing(client, household):
    look_up(client)
    assert client.get(LEAVE)["Location"] == LOOKUP
    assert client.get(PAGE).status_code == 200


def test_an_archived_household_is_forgotten_at_once(client, household):
    look_up(client)
    household.is_active = False
    household.archived_reason = "Chuyển đi nơi khác"
    household.save()
    assert client.get(PAGE)["Location"] == LOOKUP


def test_the_page_links_a_request_to_the_village_officer(client, household):
    response = look_up(client, follow=True)
    assert f'href="{reverse("residents:request")}"' in response.content.decode()
    assert_shows(response, "Gửi yêu cầu cho cán bộ thôn")


def test_the_form_is_in_vietnamese_with_labels(client, commune):
    response = client.get(LOOKUP)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert '<label for="id_code">' in page and '<label for="id_digits">' in page
    assert_shows(response, "Tra cứu hộ của tôi", "4 số cuối")


def test_the_form_works_in_english(client, household):
    response = client.get("/en" + LOOKUP)
    assert_shows(response, "Look up my household", "Last 4 digits")
    response = client.post(
        "/en" + LOOKUP, {"code": "BT-9999", "digits": "5678"}, follow=True
    )
    assert_shows(response, "No household found with this code and these 4 digits.")


def test_a_village_officers_staff_pages_are_unaffected(officer_client, household):
    look_up(officer_client)
    assert officer_client.get(PAGE).status_code == 200
    officer_client.post(LEAVE)
    assert officer_client.get(reverse("staff_home")).status_code == 200
    detail = reverse("households:household_detail", args=[household.pk])
    response = officer_client.get(detail)
    assert response.status_code == 200
    assert_shows(response, HEAD)  # the officer's own screen still names the head


# --- the admin -----------------------------------------------------------------------------


def test_the_attempt_log_is_read_only_in_the_admin(client_for, admin_user, household):
    client = client_for(admin_user)
    look_up(client, code="BT-4444", digits="1111", address="10.9.9.9")
    attempt = PublicAttempt.objects.get()
    listing = client.get("/admin/residents/publicattempt/?q=10.9.9.9")
    assert listing.status_code == 200
    assert "BT-4444" in listing.content.decode()
    assert client.get("/admin/residents/publicattempt/add/").status_code == 403
    client.post(
        f"/admin/residents/publicattempt/{attempt.pk}/change/",
        {"household_code": "SUA", "address": "1.1.1.1"},
    )
    client.post(f"/admin/residents/publicattempt/{attempt.pk}/delete/", {"post": "yes"})
    attempt.refresh_from_db()
    assert (attempt.household_code, attempt.address) == ("BT-4444", "10.9.9.9")


def test_program_guides_are_edited_in_the_admin(client_for, admin_user):
    from eakutur.residents.models import ProgramGuide

    guide = ProgramGuide.objects.order_by("pk").first()
    client = client_for(admin_user)
    listing = client.get("/admin/residents/programguide/")
    assert listing.status_code == 200
    assert guide.title_vi in text_of(listing)
    change = client.get(f"/admin/residents/programguide/{guide.pk}/change/")
    assert 'name="_save"' in change.content.decode()
