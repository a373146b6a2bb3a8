"""The public home, the choice of village and the program pages, as an anonymous
visitor sees them (Vietnamese by default, English under /en/)."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from eakutur.residents.models import GuideKind, ProgramGuide
from eakutur.residents.views._common import VILLAGE_COOKIE
from loans.models import LoanProgram
from outreach.models import NoticeStatus
from tests.factories import HouseholdFactory
from tests.factories.outreach import NoticeFactory, TeamMemberFactory
from tests.factories.trainings import (
    CourseFactory,
    EnrolmentFactory,
    SessionFactory,
    in_days,
)
from tests.pages import assert_not_shows, assert_shows, text_of, vi

pytestmark = pytest.mark.django_db

HOME = reverse("residents:home")
CHOOSE = reverse("residents:choose_village")
PROGRAMS = reverse("residents:program_list")


def program_url(code: str) -> str:
    return reverse("residents:program_detail", args=[code])


def sent_notice(commune, **kwargs):
    return NoticeFactory(
        commune=commune,
        status=NoticeStatus.DONE,
        dispatched_at=timezone.now(),
        **kwargs,
    )


# --- Home -------------------------------------------------------------------------------


def test_home_in_vietnamese_for_an_anonymous_visitor(client, commune, village):
    household = HouseholdFactory(village=village, head_name="Y Bhim Niê")
    session = SessionFactory(
        course=CourseFactory(commune=commune), village=village, starts_at=in_days(2)
    )
    EnrolmentFactory(session=session, member=None, full_name="H'Hen Êban")

    response = client.get(HOME)

    assert response.status_code == 200
    assert_shows(
        response,
        "Kiểm tra chính sách",
        reverse("residents:check_start"),
        vi("Which village or hamlet do you live in?"),
        "Thôn 1",  # in the picker
    )
    # Nothing of the registry: no household, no enrolled person, no staff page but sign-in.
    assert_not_shows(
        response, household.head_name, household.code, "H'Hen Êban", "/households/"
    )


def test_home_shows_the_chosen_villages_sessions_notices_and_helpers(
    client, commune, village, other_village
):
    mine = CourseFactory(
        commune=commune, title="Cà phê thôn 1", target_villages=[village]
    )
    theirs = CourseFactory(
        commune=commune, title="Chăn nuôi buôn Tiêu", target_villages=[other_village]
    )
    SessionFactory(course=mine, village=village, starts_at=in_days(1))
    SessionFactory(course=theirs, village=other_village, starts_at=in_days(1))
    sent_notice(
        commune, title="Họp thôn 1", audience="chosen_villages", villages=[village]
    )
    sent_notice(
        commune,
        title="Họp buôn Tiêu",
        audience="chosen_villages",
        villages=[other_village],
    )
    TeamMemberFactory(
        team__village=village, full_name="Nguyễn Văn Số", phone="0905111222"
    )
    client.cookies[VILLAGE_COOKIE] = str(village.pk)

    response = client.get(HOME)

    assert_shows(
        response,
        vi("Next trainings for %(village)s", village="Thôn 1"),
        "Cà phê thôn 1",
        "Họp thôn 1",
        "Nguyễn Văn Số",
        "0905111222",
        vi("change the village"),
    )
    assert_not_shows(response, "Chăn nuôi buôn Tiêu", "Họp buôn Tiêu")


def test_home_says_when_there_is_nothing_yet(client, commune, village):
    client.cookies[VILLAGE_COOKIE] = str(village.pk)

    response = client.get(HOME)

    assert_shows(
        response,
        vi("No training is planned in the coming weeks."),
        vi("No notice has been sent yet."),
    )


def test_a_village_in_the_address_is_remembered(client, village):
    response = client.get(HOME, {"village": village.pk})

    assert response.cookies[VILLAGE_COOKIE].value == str(village.pk)
    assert_shows(response, vi("Your village:"), "Thôn 1")


# --- Choosing the village -----------------------------------------------------------------


def test_choose_village_lists_villages_and_hamlets(client, village, other_village):
    response = client.get(CHOOSE)

    assert response.status_code == 200
    assert_shows(
        response,
        vi("Villages (thôn)"),
        vi("Hamlets (buôn)"),
        "Thôn 1",
        "Buôn Tiêu",
    )


def test_choosing_a_village_sets_the_cookie_and_goes_back(client, village):
    calendar = reverse("residents:calendar")

    response = client.post(CHOOSE, {"village": village.pk, "next": calendar})

    assert response.status_code == 302
    assert response["Location"] == calendar
    assert response.cookies[VILLAGE_COOKIE].value == str(village.pk)
    assert response.cookies[VILLAGE_COOKIE]["httponly"]


def test_the_picker_form_chooses_by_get_too(client, village):
    response = client.get(CHOOSE, {"village": village.pk})

    assert response.status_code == 302
    assert response["Location"] == HOME
    assert response.cookies[VILLAGE_COOKIE].value == str(village.pk)


@pytest.mark.parametrize("bad", ["999999", "abc", "", "-1"])
def test_a_bad_village_changes_nothing_and_says_so(client, village, bad):
    client.cookies[VILLAGE_COOKIE] = str(village.pk)

    response = client.post(CHOOSE, {"village": bad})

    assert response.status_code == 200
    assert_shows(response, vi("Choose your village from the list."))
    cookie = response.cookies.get(VILLAGE_COOKIE)
    assert cookie is None or cookie.value == str(village.pk)


def test_a_village_of_another_commune_is_refused(client, village, foreign_village):
    response = client.post(CHOOSE, {"village": foreign_village.pk})

    assert_shows(response, vi("Choose your village from the list."))
    assert VILLAGE_COOKIE not in response.cookies


@pytest.mark.parametrize(
    "next_url",
    [
        "https://example.com/",
        "//example.com/x",
        "http://evil.test/calendar/",
        "javascript:alert(1)",
        "notice_list",
    ],
)
def test_an_off_site_next_goes_home_instead(client, village, next_url):
    response = client.post(CHOOSE, {"village": village.pk, "next": next_url})

    assert response.status_code == 302
    assert response["Location"] == HOME
    assert response.cookies[VILLAGE_COOKIE].value == str(village.pk)


# --- Programs ------------------------------------------------------------------------------


def test_programs_list_every_published_guide_by_kind(client, commune):
    ProgramGuide.objects.filter(code="BHYT").update(is_published=False)

    response = client.get(PROGRAMS)

    assert response.status_code == 200
    shown = [
        g for g in ProgramGuide.objects.published() if g.kind != GuideKind.LOAN
    ] + [
        g
        for g in ProgramGuide.objects.published().filter(kind=GuideKind.LOAN)
        if LoanProgram.objects.active().filter(code=g.code).exists()
    ]
    assert len(shown) >= 10
    assert_shows(response, *[g.title_vi for g in shown])
    assert_shows(response, vi("preferential loan").capitalize())
    assert_not_shows(response, ProgramGuide.objects.get(code="BHYT").title_vi)


def test_a_loan_shows_its_programs_cap_rate_and_term(client, commune):
    response = client.get(PROGRAMS)

    # HO_NGHEO: 100 million, 6.6 % a year, 120 months, from loans.LoanProgram.
    assert_shows(response, "100.000.000", "6,6", vi("Up to %(amount)s", amount=""))


def test_a_hidden_or_retired_program_is_404(client, commune):
    ProgramGuide.objects.filter(code="BHYT").update(is_published=False)
    LoanProgram.objects.filter(code="HO_CAN_NGHEO").update(is_active=False)

    assert client.get(program_url("BHYT")).status_code == 404
    assert client.get(program_url("HO_CAN_NGHEO")).status_code == 404
    assert client.get(program_url("NO_SUCH_CODE")).status_code == 404
    assert "Cho vay hộ cận nghèo" not in text_of(client.get(PROGRAMS))


def test_a_program_page_shows_papers_where_and_the_local_language(client, commune):
    guide = ProgramGuide.objects.get(code="BHYT")
    guide.local_language = "Ê Đê"
    guide.summary_local = "Hră mơ-ar ti anăn"
    guide.save()

    response = client.get(program_url("BHYT"))

    assert response.status_code == 200
    assert_shows(
        response,
        guide.title_vi,
        vi("Papers to bring"),
        guide.documents_vi.splitlines()[0],
        vi("Where to apply"),
        guide.where_vi,
        "Đọc bằng tiếng Ê Đê",
        "Hră mơ-ar ti anăn",
        vi("Check whether my household qualifies"),
        reverse("residents:request") + "?topic=health_insurance",
    )


def test_a_program_without_local_text_offers_none(client, commune):
    response = client.get(program_url("HO_NGHEO"))

    assert_not_shows(response, "Đọc bằng tiếng")


def test_a_loan_program_page_shows_the_cap_source_and_helpers(client, commune, village):
    LoanProgram.objects.filter(code="HO_NGHEO").update(
        source_vi="Nghị định 78/2002/NĐ-CP", confidence_vi="mức vay năm 2026"
    )
    TeamMemberFactory(
        team__village=village, full_name="Lê Thị Giúp", phone="0905333444"
    )
    client.cookies[VILLAGE_COOKIE] = str(village.pk)

    response = client.get(program_url("HO_NGHEO"))

    assert_shows(
        response,
        "100.000.000",
        "6,6",
        "Nghị định 78/2002/NĐ-CP",
        "mức vay năm 2026",
        "Lê Thị Giúp",
        reverse("residents:request") + "?topic=loans",
    )


def test_the_training_program_lists_the_villages_next_sessions(
    client, commune, village, other_village
):
    mine = CourseFactory(
        commune=commune, title="Sầu riêng thôn 1", target_villages=[village]
    )
    theirs = CourseFactory(
        commune=commune, title="Hồ tiêu buôn Tiêu", target_villages=[other_village]
    )
    SessionFactory(course=mine, village=village)
    SessionFactory(course=theirs, village=other_village)
    client.cookies[VILLAGE_COOKIE] = str(village.pk)

    response = client.get(program_url("TAP_HUAN_NONG_NGHIEP"))

    assert_shows(response, "Sầu riêng thôn 1", vi("Sign up to attend"))
    assert_not_shows(response, "Hồ tiêu buôn Tiêu")


# --- English ---------------------------------------------------------------------------------


def test_the_pages_are_in_english_under_en(client, commune, village):
    client.cookies[VILLAGE_COOKIE] = str(village.pk)
    with translation.override("en"):
        urls = {
            "home": reverse("residents:home"),
            "programs": reverse("residents:program_list"),
            "program": program_url("HO_NGHEO"),
            "calendar": reverse("residents:calendar"),
            "news": reverse("residents:notice_list"),
            "choose": reverse("residents:choose_village"),
        }
    assert all(url.startswith("/en/") for url in urls.values())

    expected = {
        "home": ["Check policies", "Latest notices", "Next trainings for Thôn 1"],
        "programs": ["Loans and support programs", "Loans to poor households"],
        "program": ["Papers to bring", "Where to apply", "Up to 100.000.000"],
        "calendar": ["Trainings calendar", "See every village"],
        "news": ["Notices of the commune", "No notice has been sent yet."],
        "choose": ["Which village or hamlet do you live in?", "Villages (thôn)"],
    }
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert_shows(response, *expected[name])
        assert_not_shows(response, "Kiểm tra chính sách", "Thông báo")


def test_staff_pages_link_to_the_public_site(client, official_client):
    assert_shows(official_client.get(reverse("staff_home")), vi("Site for residents"))
    official_client.logout()
    assert_shows(client.get(reverse("login")), vi("Back to the site for residents"))


def test_a_missing_page_leads_a_visitor_home_and_an_official_to_work(
    client, official, client_for
):
    back = 'class="btn btn-outline-secondary" href="{}"'

    anonymous = client.get("/no-such-page/")
    signed_in = client_for(official).get("/no-such-page/")

    assert anonymous.status_code == signed_in.status_code == 404
    assert back.format(HOME) in text_of(anonymous)
    assert back.format(reverse("staff_home")) in text_of(signed_in)
