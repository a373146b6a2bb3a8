"""An official's journey through the registry in real Chromium, in Vietnamese.

Texts the portal translates are looked up in the Vietnamese catalogue (``vi()``), so the
assertions read what a Vietnamese user sees: once the catalogue is compiled they are
Vietnamese words; data the user types (names with diacritics, indicator names) are
literal. Form inputs are found by their ids, which do not change with the language.
"""

import re

import pytest
from django.conf import settings
from django.utils import timezone, translation
from playwright.sync_api import expect

from eakutur.accounts.models import Role
from households import services
from households.models import DeprivationIndicator, EthnicGroup, PovertyStatus
from households.poverty import format_millions
from tests.conftest import PASSWORD
from tests.factories import (
    CommuneFactory,
    HouseholdFactory,
    UserFactory,
    VillageFactory,
)

HEAD_NAME = "Nguyễn Thị Hoa"
NATIONAL_ID = "066190001234"  # Đắk Lắk (066), female born in the 1900s (1), 1990
CHILD_NAME = "Trần Minh Khôi"
PHONE_WIDTH = 390
DEPRIVATIONS = ["Chất lượng nhà ở", "Nguồn nước sinh hoạt", "Nhà tiêu hợp vệ sinh"]


def vi(message: str, **params) -> str:
    """The text a Vietnamese user sees for a source string of the portal."""
    with translation.override("vi"):
        text = translation.gettext(message)
    return text % params if params else text


def vi_plural(singular: str, plural: str, n: int) -> str:
    with translation.override("vi"):
        return translation.ngettext(singular, plural, n) % {"n": n}


def vi_status(status: PovertyStatus) -> str:
    with translation.override("vi"):
        return str(status.label)


@pytest.fixture
def commune_with_village():
    commune = CommuneFactory(code="EAKTUR", name="Xã Ea Ktur")
    village = VillageFactory(commune=commune, code="T05", name="Thôn 5")
    return commune, village


def submit(page, button: str) -> None:
    """Press a form's button, wait for the answer, and fail with the form's own errors
    if it refused the input."""
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()
    errors = page.locator(".invalid-feedback, .alert-danger").all_inner_texts()
    assert not errors, f"{page.url} refused the form: {errors}"


def log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label(vi("Username")).fill(username)
    page.get_by_label(vi("Password"), exact=True).fill(PASSWORD)
    page.get_by_role("button", name=vi("Log in")).click()


def test_official_registers_reviews_and_finds_a_household(
    page, live_server, commune_with_village
):
    commune, village = commune_with_village
    UserFactory(
        username="canbo.hoa",
        full_name="Phạm Thị Lan",
        role=Role.COMMUNE_OFFICIAL,
        commune=commune,
    )
    # Another household in the same village, which the search must leave out.
    HouseholdFactory(village=village, code="T05-0099", head_name="Lê Văn Nam")
    this_year = timezone.localdate().year
    base = live_server.url

    # The login page, in Vietnamese.
    page.goto(f"{base}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    heading = "Log in for commune and village officials"
    if (settings.BASE_DIR / "locale/vi/LC_MESSAGES/django.po").exists():
        assert vi(heading) != heading, (
            "compile the catalogue: manage.py compilemessages"
        )
    expect(page.get_by_role("heading", name=vi(heading))).to_be_visible()
    page.get_by_label(vi("Username")).fill("canbo.hoa")
    page.get_by_label(vi("Password"), exact=True).fill(PASSWORD)
    page.get_by_role("button", name=vi("Log in")).click()

    # The staff home.
    expect(page).to_have_url(f"{base}/staff/")
    expect(
        page.get_by_role("heading", name=vi("Hello, %(name)s", name="Phạm Thị Lan"))
    ).to_be_visible()

    # Register a household.
    page.get_by_role("link", name=vi("Register a household")).click()
    expect(page).to_have_url(f"{base}/households/new/")
    expect(page.get_by_role("heading", name=vi("Register a household"))).to_be_visible()
    page.locator("#id_village").select_option(label="Thôn 5")
    page.locator("#id_code").fill("t05-0001")
    page.locator("#id_head_name").fill(HEAD_NAME)
    page.locator("#id_head_national_id").fill(NATIONAL_ID)
    page.locator("#id_ethnic_group").select_option(
        label=EthnicGroup.objects.get(code="01").name_vi
    )
    page.locator("#id_phone").fill("0912 345 678")
    submit(page, vi("Save"))

    expect(page).to_have_url(re.compile(rf"^{re.escape(base)}/households/\d+/$"))
    household_url = page.url
    expect(page.get_by_role("status").first).to_have_text(
        vi("Household %(code)s was registered.", code="T05-0001")
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text(HEAD_NAME)
    facts = page.locator("section[aria-labelledby=facts-h]")
    # The ID is masked until asked for (an audited read), then shown in full.
    expect(facts).to_contain_text("•" * 9 + NATIONAL_ID[-3:])
    expect(facts).not_to_contain_text(NATIONAL_ID)
    expect(facts).to_contain_text("0912345678")
    facts.get_by_role("button", name=vi("Show ID numbers")).click()
    expect(facts).to_contain_text(NATIONAL_ID)
    members = page.locator("section[aria-labelledby=members-h]")
    expect(members.get_by_role("row")).to_have_count(2)  # header + the head
    expect(members).to_contain_text(vi("female"))
    expect(members).to_contain_text("1990")

    # Add a child.
    members.get_by_role("link", name=vi("Add member")).click()
    page.locator("#id_full_name").fill(CHILD_NAME)
    page.locator("#id_relation").select_option("child")
    page.locator("#id_sex").select_option("male")
    page.locator("#id_birth_year").fill("2015")
    submit(page, vi("Save"))

    expect(page).to_have_url(household_url)
    expect(page.get_by_role("status").first).to_have_text(
        vi("%(name)s was added to the household.", name=CHILD_NAME)
    )
    child_row = members.get_by_role("row").filter(has_text=CHILD_NAME)
    expect(child_row).to_contain_text(vi("child"))
    expect(child_row).to_contain_text("2015")

    # Record this year's review: income 1.200.000 ₫ and three deprivations.
    reviews = page.locator("section[aria-labelledby=reviews-h]")
    expect(reviews).to_contain_text(vi("No review recorded yet."))
    reviews.get_by_role(
        "link", name=vi("Record the %(year)s review", year=this_year)
    ).click()
    expect(page.locator("#id_year")).to_have_value(str(this_year))
    page.locator("#id_income_per_person").fill("1.200.000")  # typed as people write it
    for name in DEPRIVATIONS:
        # Each box is labelled "<indicator> — <what being deprived means>".
        page.get_by_label(f"{name} — ").check()
    submit(page, vi("Propose status"))

    # "nghèo" (poor), not "cận nghèo" (near-poor): the badge holds the status alone.
    poor = vi_status(PovertyStatus.POOR)
    proposal = page.locator("#proposal")
    expect(proposal.locator(".badge")).to_have_text(poor)
    with translation.override("vi"):
        income, line = format_millions(1_200_000), format_millions(1_500_000)
    expect(proposal).to_contain_text(f"{income} ≤ {line}")
    for name in DEPRIVATIONS:
        expect(proposal).to_contain_text(name)
        expect(page.get_by_label(f"{name} — ")).to_be_checked()
    submit(page, vi("Save the review"))

    expect(page).to_have_url(household_url)
    expect(page.get_by_role("status").first).to_have_text(
        vi("The %(year)s review was recorded: %(status)s.", year=this_year, status=poor)
    )
    expect(page.get_by_role("heading", level=1).locator(".badge")).to_have_text(poor)
    review_row = reviews.get_by_role("row").filter(has_text=str(this_year))
    expect(review_row.locator(".badge")).to_have_text(poor)
    expect(review_row).to_contain_text("1.200.000\u00a0₫")
    expect(
        reviews.get_by_role(
            "link", name=vi("Record the %(year)s review", year=this_year)
        )
    ).to_have_count(0)

    # Find it from the household list, typing the name without diacritics.
    page.get_by_role("navigation").get_by_role(
        "link", name=vi("Households"), exact=True
    ).first.click()
    expect(page).to_have_url(f"{base}/households/")
    expect(
        page.get_by_text(vi_plural("%(n)s household", "%(n)s households", 2))
    ).to_be_visible()
    search = page.locator("form[role=search]")
    search.locator("#id_q").fill("nguyen thi hoa")
    search.get_by_role("button", name=vi("Search")).click()

    expect(page).to_have_url(re.compile(r"[?&]q=nguyen\+thi\+hoa"))
    expect(
        page.get_by_text(vi_plural("%(n)s household", "%(n)s households", 1))
    ).to_be_visible()
    results = page.locator("table tbody")
    expect(results.get_by_role("row")).to_have_count(1)
    expect(results.get_by_role("row")).to_contain_text("T05-0001")
    expect(results.get_by_role("row").locator(".badge").first).to_have_text(poor)
    expect(results).not_to_contain_text("Lê Văn Nam")
    results.get_by_role("link", name=HEAD_NAME).click()
    expect(page).to_have_url(household_url)


def test_phone_pages_fit_the_screen(phone_page, live_server, commune_with_village):
    """On a 390 px phone the staff home, the list and a household never scroll sideways."""
    commune, village = commune_with_village
    official = UserFactory(
        username="canbo.dt", role=Role.COMMUNE_OFFICIAL, commune=commune
    )
    household = services.household_create(
        actor=official,
        village=village,
        code="T05-0002",
        head_name="H'Hương Niê Kdăm",
        head_national_id=NATIONAL_ID,
        phone="0912345678",
        address="Buôn Ea Ktur, đường liên thôn số 7, gần trường tiểu học",
        ethnic_group=EthnicGroup.objects.get(code="12"),
        main_crops=["coffee", "pepper", "durian"],
    )
    services.member_add(
        actor=official,
        household=household,
        full_name="Y Khoa Niê Kdăm",
        sex="male",
        birth_year=2015,
        relation="child",
        ethnic_group=household.ethnic_group,
        is_student=True,
    )
    services.poverty_review_record(
        actor=official,
        household=household,
        year=timezone.localdate().year,
        income_per_person=1_200_000,
        deprivations=DeprivationIndicator.objects.filter(
            code__in=["housing_area", "latrine", "water_source", "info_devices"]
        ),
    )
    page, base = phone_page, live_server.url
    log_in(page, base, "canbo.dt")
    expect(page).to_have_url(f"{base}/staff/")

    def assert_fits(what: str) -> None:
        # A mobile browser zooms out to fit a too-wide page, and then innerWidth grows
        # with the content; the layout viewport (clientWidth) stays at the screen's 390.
        content, inner, layout = page.evaluate(
            "[document.scrollingElement.scrollWidth, window.innerWidth,"
            " document.documentElement.clientWidth]"
        )
        assert content <= layout, f"{what} is {content}px wide on a {layout}px screen"
        assert inner == PHONE_WIDTH, f"{what} was zoomed out to {inner}px"
        # Tables stack into cards on a phone: none may hide columns off to the right.
        hidden = page.evaluate(
            "Array.from(document.querySelectorAll('.table-responsive'))"
            ".map(e => e.scrollWidth - e.clientWidth).filter(d => d > 0)"
        )
        assert not hidden, f"a table on {what} scrolls sideways by {hidden}px"

    assert_fits("the staff home")

    # The menu is behind the toggler on a phone; it must open on a tap.
    nav = page.get_by_role("navigation").first
    households_link = nav.get_by_role("link", name=vi("Households"), exact=True)
    expect(households_link).to_be_hidden()
    nav.get_by_role("button", name=vi("Menu")).tap()
    households_link.tap()
    expect(page).to_have_url(f"{base}/households/")
    expect(page.get_by_role("link", name="H'Hương Niê Kdăm")).to_be_visible()
    assert_fits("the household list")

    page.get_by_role("link", name="H'Hương Niê Kdăm").tap()
    expect(page).to_have_url(f"{base}/households/{household.pk}/")
    members = page.locator("section[aria-labelledby=members-h]")
    expect(members.get_by_role("cell", name="Y Khoa Niê Kdăm")).to_be_visible()
    assert_fits("the household page")
