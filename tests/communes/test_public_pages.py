"""The resident portal serves the commune of the host name it is opened on: its
villages, notices, trainings and digital teams, and only its households in the lookup.
A lone commune is served on any host; with several, a host that is none of theirs
serves nothing (404)."""

import re

import pytest
from django.urls import reverse

from eakutur.residents.models import AttemptOutcome, PublicAttempt
from eakutur.residents.session import LOOKUP_SESSION_KEY
from eakutur.residents.views._common import VILLAGE_COOKIE
from households.models import Commune
from outreach.models import Contact, Notice
from tests.factories import CommuneFactory, VillageFactory
from tests.pages import assert_not_shows, assert_shows, text_of, vi

from .conftest import HOST_A, HOST_B, MARK_B, OPERATOR_HOST, SHARED_CODE

pytestmark = pytest.mark.django_db

HOME = reverse("residents:home")
LOOKUP = reverse("residents:lookup")
NO_MATCH = "Không tìm thấy hộ với mã và 4 số này."
RESIDENT_PAGES = [
    HOME,
    reverse("residents:choose_village"),
    reverse("residents:program_list"),
    reverse("residents:check_start"),
    reverse("residents:check_step", args=["village"]),
    LOOKUP,
    reverse("residents:calendar"),
    reverse("residents:notice_list"),
    reverse("residents:request"),
    reverse("residents:request_sent"),
]


def without_csrf(response) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", response.content)


def look_up(client, code: str, digits: str, address: str = "10.0.0.1"):
    return client.post(LOOKUP, {"code": code, "digits": digits}, REMOTE_ADDR=address)


def in_village(client, village):
    client.cookies[VILLAGE_COOKIE] = str(village.pk)
    return client


# --- each host its commune ---------------------------------------------------------------


@pytest.mark.parametrize("page", ["residents:home", "residents:choose_village"])
def test_each_host_lists_its_own_communes_villages(on_host, two_communes, page):
    ktur, kmat = two_communes
    a = on_host(HOST_A).get(reverse(page))
    b = on_host(HOST_B).get(reverse(page))

    assert a.status_code == b.status_code == 200
    assert_shows(a, ktur.village.name, "Xã Ea Ktur")
    assert_not_shows(a, kmat.village.name, MARK_B)
    assert_shows(b, kmat.village.name, "Xã Ea Kmát")
    assert_not_shows(b, ktur.village.name)


def test_the_header_and_footer_name_the_hosts_commune(on_host, two_communes):
    page = text_of(on_host(HOST_B).get(reverse("residents:program_list")))
    brand = re.search(r'class="brand"[^>]*>([^<]*)<', page).group(1)
    assert brand == "Xã Ea Kmát"
    assert "<title>" in page and "Xã Ea Kmát</title>" in page
    assert "Ea Ktur" not in page


def test_inside_a_sentence_the_commune_is_written_xa(on_host, two_communes):
    """Vietnamese writes the unit in lower case after other words: "hộ gia đình xã Ea
    Kmát", "Ủy ban nhân dân xã Ea Kmát", while the brand keeps "Xã Ea Kmát"."""
    page = text_of(on_host(HOST_B).get(reverse("residents:home")))
    heading = re.search(r"<h1>([^<]*)</h1>", page).group(1)
    assert heading.endswith("hộ gia đình xã Ea Kmát")
    assert "Ủy ban nhân dân xã Ea Kmát, tỉnh" in page


@pytest.mark.parametrize(
    ("page", "ktur_shows"),
    [
        ("residents:home", ["Họp dân Ktur", "Lớp sầu riêng Ktur", "H'Linh Ktur"]),
        ("residents:calendar", ["Lớp sầu riêng Ktur"]),
        ("residents:notice_list", ["Họp dân Ktur"]),
    ],
)
def test_notices_trainings_and_helpers_are_the_hosts_communes(
    on_host, two_communes, page, ktur_shows
):
    ktur, kmat = two_communes
    a = in_village(on_host(HOST_A), ktur.village).get(reverse(page))
    b = in_village(on_host(HOST_B), kmat.village).get(reverse(page))

    assert_shows(a, *ktur_shows)
    assert_not_shows(a, MARK_B)
    assert_shows(b, *[text.replace("Ktur", MARK_B) for text in ktur_shows])
    assert_not_shows(b, "Ktur")


def test_the_other_communes_notice_is_not_found(on_host, two_communes):
    _ktur, kmat = two_communes
    notice = Notice.objects.get(commune=kmat.commune)
    url = reverse("residents:notice_detail", args=[notice.pk])

    assert on_host(HOST_B).get(url).status_code == 200
    assert on_host(HOST_A).get(url).status_code == 404


def test_a_village_cookie_of_the_other_commune_is_ignored(on_host, two_communes):
    _ktur, kmat = two_communes
    response = in_village(on_host(HOST_A), kmat.village).get(
        reverse("residents:notice_list")
    )
    assert response.status_code == 200
    assert_not_shows(response, MARK_B)
    assert response.context["village"] is None


def test_choosing_the_other_communes_village_is_refused(on_host, two_communes):
    _ktur, kmat = two_communes
    response = on_host(HOST_A).post(
        reverse("residents:choose_village"), {"village": kmat.village.pk}
    )
    assert_shows(response, vi("Choose your village from the list."))
    assert VILLAGE_COOKIE not in response.cookies


def test_a_request_for_the_other_communes_village_is_refused(on_host, two_communes):
    _ktur, kmat = two_communes
    before = Contact.objects.count()
    response = on_host(HOST_A).post(
        reverse("residents:request"),
        {
            "topic": "loans",
            "village": kmat.village.pk,
            "name": "Nguyễn Văn An",
            "phone": "0912345678",
            "consent": "on",
        },
    )
    assert response.status_code == 200
    assert_shows(response, vi("Choose your village from the list."))
    assert Contact.objects.count() == before


def test_the_request_form_offers_only_the_hosts_villages_and_sessions(
    on_host, two_communes
):
    _ktur, kmat = two_communes
    form = on_host(HOST_B).get(reverse("residents:request")).context["form"]
    assert list(form.fields["village"].queryset) == [kmat.village]
    assert {s.course for s in form.fields["session"].queryset} == {kmat.course}


# --- the household lookup ----------------------------------------------------------------


def test_the_same_code_finds_each_hosts_own_household(on_host, two_communes):
    ktur, kmat = two_communes
    on_a, on_b = on_host(HOST_A), on_host(HOST_B)

    assert look_up(on_a, SHARED_CODE, "0001").status_code == 302
    assert on_a.session[LOOKUP_SESSION_KEY]["pk"] == ktur.household.pk
    assert look_up(on_b, SHARED_CODE, "0002").status_code == 302
    assert on_b.session[LOOKUP_SESSION_KEY]["pk"] == kmat.household.pk


def test_a_code_of_the_other_commune_is_answered_like_an_unknown_code(
    on_host, two_communes
):
    # Ea Ktur's EK-0001 with its right digits, typed on Ea Kmát's host.
    theirs = look_up(on_host(HOST_B), SHARED_CODE, "0001", address="10.0.0.2")
    unknown = look_up(on_host(HOST_B), "EK-9999", "0001", address="10.0.0.3")

    assert theirs.status_code == unknown.status_code == 200
    assert without_csrf(theirs) == without_csrf(unknown)
    assert_shows(theirs, NO_MATCH)
    outcomes = set(PublicAttempt.objects.values_list("outcome", flat=True))
    assert outcomes == {AttemptOutcome.NO_MATCH}


def test_a_household_proven_on_one_host_is_not_shown_on_the_other(
    on_host, two_communes
):
    # One browser, one session cookie shared by both hosts (a parent-domain cookie).
    browser = on_host(HOST_A)
    look_up(browser, SHARED_CODE, "0001")
    assert browser.get(reverse("residents:my_household")).status_code == 200

    other = browser.get(reverse("residents:my_household"), HTTP_HOST=HOST_B)
    assert other.status_code == 302
    assert other.url == LOOKUP


# --- which commune a host serves ---------------------------------------------------------


def test_a_lone_commune_is_served_on_any_host(on_host, ea_ktur):
    Commune.objects.filter(pk=ea_ktur.commune.pk).update(hostname=None)
    for host in (OPERATOR_HOST, HOST_B, "testserver"):
        response = on_host(host).get(HOME)
        assert response.status_code == 200
        assert_shows(response, ea_ktur.village.name)


@pytest.mark.parametrize("page", RESIDENT_PAGES)
def test_a_host_of_no_commune_serves_nothing_when_there_are_several(
    on_host, two_communes, page
):
    assert on_host(OPERATOR_HOST).get(page).status_code == 404


def test_a_host_of_no_commune_checks_no_household(on_host, two_communes):
    response = look_up(on_host(OPERATOR_HOST), SHARED_CODE, "0001")
    assert response.status_code == 404
    assert not PublicAttempt.objects.exists()


def test_the_host_name_is_matched_without_case_or_port(on_host, two_communes):
    _ktur, kmat = two_communes
    response = on_host("EAKMAT.Example.VN:8443").get(HOME)
    assert response.status_code == 200
    assert_shows(response, kmat.village.name)


def test_a_second_commune_without_a_host_name_does_not_take_the_first_ones_host(
    on_host, ea_ktur
):
    CommuneFactory(code="NEW", name="Xã Mới")
    VillageFactory(commune=Commune.objects.get(code="NEW"), name="Thôn Mới")
    response = on_host(HOST_A).get(reverse("residents:choose_village"))
    assert_shows(response, ea_ktur.village.name)
    assert_not_shows(response, "Thôn Mới")
    assert on_host(OPERATOR_HOST).get(HOME).status_code == 404
