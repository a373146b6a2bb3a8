"""Vietnamese is the default language and its catalogue is complete: every registry page
renders in Vietnamese with no English source string left, and English is served at /en/.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import timezone

from tests.factories import (
    HouseholdFactory,
    MemberFactory,
    PovertyReviewFactory,
    VillageFactory,
    indicators,
    kinh,
)

BASE_DIR = Path(settings.BASE_DIR)
PO_PATH = BASE_DIR / "locale" / "vi" / "LC_MESSAGES" / "django.po"
REGISTRY_TEMPLATES = [
    *sorted((BASE_DIR / "templates" / "households").glob("*.html")),
    *sorted((BASE_DIR / "templates" / "includes").glob("*.html")),
    *sorted((BASE_DIR / "templates" / "registration").glob("*.html")),
    BASE_DIR / "templates" / "base.html",
    BASE_DIR / "templates" / "staff_home.html",
    BASE_DIR / "templates" / "404.html",
    BASE_DIR / "templates" / "403.html",
]
REGISTRY_PYTHON = [
    path
    for package in ("models", "forms", "views", "services")
    for path in sorted((BASE_DIR / "households" / package).glob("*.py"))
] + [
    BASE_DIR / "households" / name for name in ("poverty.py", "text.py", "selectors.py")
]

# English words that are right on a Vietnamese page: the language selector names each
# language in itself ("English"), product and place names.
ALLOWED_ENGLISH = {"English", "Zalo", "Ea Ktur"}
THIS_YEAR = timezone.localdate().year


# --- the catalogue --------------------------------------------------------------------


@pytest.fixture(scope="module")
def catalogue() -> polib.POFile:
    assert PO_PATH.exists(), f"{PO_PATH.relative_to(BASE_DIR)} is missing"
    return polib.pofile(str(PO_PATH))


def live(catalogue):
    return [e for e in catalogue if not e.obsolete and e.msgid]


def test_catalogue_has_no_untranslated_entries(catalogue):
    missing = [e.msgid for e in live(catalogue) if not e.translated() and not e.fuzzy]
    assert missing == []


def test_catalogue_has_no_fuzzy_entries(catalogue):
    assert [e.msgid for e in live(catalogue) if e.fuzzy] == []


PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def test_translations_keep_their_placeholders(catalogue):
    broken = []
    for entry in live(catalogue):
        wanted = set(PLACEHOLDER.findall(entry.msgid))
        translations = (
            entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        )
        for text in translations:
            if text and set(PLACEHOLDER.findall(text)) != wanted:
                broken.append(entry.msgid)
    assert broken == []


TRANSLATE_TAG = re.compile(r"""{%\s*(?:translate|trans)\s+(["'])(.+?)\1""")
BLOCK_TAG = re.compile(
    r"{%\s*blocktrans(?:late)?\b[^%]*%}(.*?){%\s*endblocktrans(?:late)?\s*%}", re.S
)
VARIABLE = re.compile(r"{{\s*(\w+)\s*}}")
GETTEXT_CALL = re.compile(r"""\b_\(\s*(["'])((?:(?!\1).)+)\1\s*[,)]""")


def template_msgids() -> set[str]:
    found = set()
    for path in REGISTRY_TEMPLATES:
        text = path.read_text(encoding="utf-8")
        found.update(m.group(2) for m in TRANSLATE_TAG.finditer(text))
        for block in BLOCK_TAG.finditer(text):
            for part in re.split(r"{%\s*plural\s*%}", block.group(1)):
                found.add(VARIABLE.sub(r"%(\1)s", part))
    return found


def python_msgids() -> set[str]:
    found = set()
    for path in REGISTRY_PYTHON:
        found.update(m.group(2) for m in GETTEXT_CALL.finditer(path.read_text()))
    return found


def test_every_template_string_is_in_the_catalogue(catalogue):
    known = {e.msgid for e in live(catalogue)} | {
        e.msgid_plural for e in live(catalogue) if e.msgid_plural
    }
    assert sorted(template_msgids() - known) == []


def test_every_registry_message_in_the_code_is_in_the_catalogue(catalogue):
    known = {e.msgid for e in live(catalogue)}
    assert sorted(python_msgids() - known) == []


# --- pages rendered in Vietnamese ------------------------------------------------------


class VisibleText(HTMLParser):
    """Text a user reads: text nodes and the attributes shown or spoken."""

    SHOWN_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in self.SHOWN_ATTRIBUTES and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.parts.append(" ".join(data.split()))


def visible_text(response) -> str:
    parser = VisibleText()
    parser.feed(response.content.decode())
    return "\n".join(parser.parts)


def english_patterns(catalogue) -> dict[str, re.Pattern]:
    """A regex per English source string that must not appear on a Vietnamese page.

    Strings whose translation is the same word (none expected but product names) and
    strings too short to mean anything alone are left out; placeholders match any text.
    """
    translated_same = {
        e.msgid for e in live(catalogue) if e.translated() and e.msgstr == e.msgid
    }
    sources = template_msgids() | python_msgids() | {e.msgid for e in live(catalogue)}
    sources |= {e.msgid_plural for e in live(catalogue) if e.msgid_plural}
    patterns = {}
    for source in sources:
        if source in translated_same or source in ALLOWED_ENGLISH:
            continue
        pieces = PLACEHOLDER.split(source)[::2]  # the literal text between placeholders
        literal = "".join(pieces)
        if len(re.findall(r"[A-Za-z]", literal)) < 4:
            continue
        body = r".{1,80}?".join(re.escape(p) for p in pieces)
        body = re.sub(r"(\\ )+", r"\\s+", body)
        patterns[source] = re.compile(rf"(?<![\w]){body}(?![\w])", re.I)
    return patterns


def assert_no_english(response, catalogue, page):
    assert response.status_code == 200, page
    assert '<html lang="vi">' in response.content.decode(), page
    text = visible_text(response)
    leaks = sorted(
        source
        for source, pattern in english_patterns(catalogue).items()
        if pattern.search(text)
    )
    assert leaks == [], f"English on the Vietnamese {page}: {leaks}"


@pytest.fixture
def populated(official, village, other_village):
    household = HouseholdFactory(
        village=village,
        code="HK001",
        head_name="Nguyễn Văn An",
        head_national_id="066085001234",
        phone="0912345678",
        main_crops=["coffee", "pepper"],
        uses_zalo=True,
        current_status="poor",
        current_review_year=THIS_YEAR - 1,
    )
    MemberFactory(
        household=household,
        full_name="Nguyễn Thị Mai",
        is_student=True,
        birth_year=2012,
    )
    PovertyReviewFactory(
        household=household,
        year=THIS_YEAR - 1,
        status="near_poor",
        proposed_status="poor",
        override_reason="Có việc làm mới",
        deprivations=indicators("latrine", "housing_area", "telecom"),
    )
    from households.services import household_update

    household_update(
        actor=official, household=household, phone="0987654321", uses_smartphone=True
    )
    HouseholdFactory(village=other_village, code="BT001", head_name="H'Hen Niê")
    return household


def registry_pages(household):
    pk = household.pk
    member = household.members.exclude(relation="head").get()
    return [
        "/staff/",
        "/households/",
        "/households/?q=nguyen&status=poor",
        "/households/?q=không-có-ai",
        "/households/new/",
        f"/households/{pk}/",
        f"/households/{pk}/edit/",
        f"/households/{pk}/archive/",
        f"/households/{pk}/members/new/",
        f"/households/{pk}/members/{member.pk}/edit/",
        f"/households/{pk}/members/{member.pk}/remove/",
        f"/households/{pk}/reviews/new/",
        "/households/villages/",
        f"/households/villages/{household.village_id}/",
        "/households/reviews/import/",
        "/accounts/password/",
    ]


def test_registry_pages_show_no_english_in_vietnamese(
    catalogue, official_client, populated
):
    for url in registry_pages(populated):
        assert_no_english(official_client.get(url), catalogue, url)


def test_login_page_shows_no_english(catalogue, client, db):
    assert_no_english(client.get("/accounts/login/"), catalogue, "login page")


def test_not_found_page_is_vietnamese(catalogue, official_client, settings, db):
    settings.DEBUG = False
    response = official_client.get("/households/987654/")
    assert response.status_code == 404
    response.status_code = 200  # checked as a page
    assert_no_english(response, catalogue, "404 page")


def test_form_errors_and_warnings_are_vietnamese(
    catalogue, official_client, populated, village
):
    bad = official_client.post(
        "/households/new/",
        {
            "village": village.pk,
            "code": "HK001",
            "head_name": "Nguyen Van An",
            "head_national_id": "999085001234",
            "phone": "0262381234",
            "ethnic_group": kinh().pk,
            "farmed_area_ha": "-1",
        },
    )
    assert_no_english(bad, catalogue, "household form with errors")
    duplicate = official_client.post(
        "/households/new/",
        {
            "village": village.pk,
            "code": "HK002",
            "head_name": "Nguyen Van An",
            "head_sex": "male",
            "head_birth_year": "1980",
            "phone": "0987654321",
            "ethnic_group": kinh().pk,
            "farmed_area_ha": "1",
        },
    )
    assert duplicate.context["form"].duplicates
    assert_no_english(duplicate, catalogue, "duplicate warning")


def test_review_proposal_and_its_errors_are_vietnamese(
    catalogue, official_client, populated
):
    url = f"/households/{populated.pk}/reviews/new/"
    data = {
        "year": str(THIS_YEAR),
        "income_per_person": "1200000",
        "deprivations": [d.pk for d in indicators("latrine", "housing_area")],
        "action": "propose",
    }
    proposal = official_client.post(url, data)
    assert proposal.context["proposal"]
    assert "triệu" in proposal.context["proposal"].reason
    assert_no_english(proposal, catalogue, "review proposal")
    override = official_client.post(
        url, {**data, "action": "save", "status": "poor", "override_reason": ""}
    )
    assert override.context["form"].errors
    assert_no_english(override, catalogue, "review override error")
    negative = official_client.post(url, {**data, "income_per_person": "-1"})
    assert_no_english(negative, catalogue, "review negative income")


def test_success_messages_are_vietnamese(catalogue, official_client, populated):
    response = official_client.post(
        f"/households/{populated.pk}/members/new/",
        {
            "full_name": "Nguyễn Văn Bình",
            "sex": "male",
            "birth_year": "2015",
            "relation": "grandchild",
            "ethnic_group": kinh().pk,
        },
        follow=True,
    )
    assert_no_english(response, catalogue, "household page after adding a member")


@pytest.mark.parametrize(
    "english",
    ["Households", "Register a household", "Search", "Villages", "Change history"],
)
def test_known_english_strings_do_not_leak(official_client, populated, english):
    text = visible_text(official_client.get("/households/"))
    text += visible_text(official_client.get(f"/households/{populated.pk}/"))
    assert english not in text


def test_english_is_served_under_en(official_client, populated):
    response = official_client.get("/en/households/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="en">' in page
    assert "Register a household" in page and "Households" in page
    detail = official_client.get(f"/en/households/{populated.pk}/").content.decode()
    assert "Change history" in detail and "Hygienic latrine" in detail


def test_english_links_stay_in_english(official_client, populated):
    page = official_client.get("/en/households/").content.decode()
    assert f'href="/en/households/{populated.pk}/"' in page


@pytest.fixture
def loan_book(official, populated):
    """A loan in every state a page shows: applied, approved, disbursed with a repayment
    and its reversal, overdue."""
    from datetime import date

    from loans import services
    from tests.factories.loans import LoanFactory, SavingsGroupFactory, disbursed_loan

    group = SavingsGroupFactory(village=populated.village, name="Tổ Hội Nông dân số 1")
    applied = LoanFactory(household=populated, savings_group=group)
    approved = LoanFactory(household=populated, savings_group=group, status="approved")
    running = disbursed_loan(
        household=populated,
        savings_group=group,
        disbursed_on=date(THIS_YEAR - 3, 3, 10),
        term_months=12,
        contract_number="HĐ-0001",
    )
    paid = services.repayment_record(
        actor=official,
        loan=running,
        paid_on=date(THIS_YEAR - 3, 9, 10),
        principal=1_000_000,
        interest=0,
    )
    services.repayment_reverse(actor=official, repayment=paid, reason="Ghi nhầm")
    return group, applied, approved, running, paid


def test_loan_pages_show_no_english_in_vietnamese(
    catalogue, official_client, populated, loan_book
):
    group, applied, approved, running, _paid = loan_book
    pages = [
        "/loans/",
        "/loans/?status=overdue&q=nguyen",
        "/loans/?disbursed_from=31/02/2025",  # a filter error
        f"/loans/apply/{populated.pk}/",
        f"/loans/{applied.pk}/",
        f"/loans/{applied.pk}/approve/",
        f"/loans/{applied.pk}/reject/",
        f"/loans/{approved.pk}/disburse/",
        f"/loans/{running.pk}/",
        f"/loans/{running.pk}/repayments/new/",
        f"/loans/{running.pk}/approve/",  # refused: the service's message
        "/loans/overdue/",
        "/loans/groups/",
        "/loans/groups/new/",
        f"/loans/groups/{group.pk}/",
        f"/loans/groups/{group.pk}/edit/",
        f"/loans/groups/{group.pk}/?member_q=nguyen",
        "/loans/programs/",
        "/loans/report/",
        "/loans/report/?start=01/01/2025&end=30/09/2025",
        "/loans/report/?start=30/09/2025&end=01/01/2025",  # end before start
        "/loans/import/",
    ]
    for url in pages:
        assert_no_english(official_client.get(url), catalogue, url)


def test_notice_pages_show_no_english_in_vietnamese(
    catalogue, official_client, official, populated, village
):
    from django.utils import timezone

    from tests.factories.outreach import (
        DeliveryFactory,
        NoticeFactory,
        VillageGroupFactory,
    )

    group = VillageGroupFactory(
        village=village, name="Nhóm Zalo thôn 1", external_id="4831200911"
    )
    notice = NoticeFactory(
        commune=populated.commune, author=official, title="Họp thôn tháng 12"
    )
    DeliveryFactory(
        notice=notice,
        group=group,
        status="failed",
        attempts=1,
        error="Zalo -230",  # the provider's own reason is data, shown as recorded
        failed_at=timezone.now(),
    )
    pages = [
        "/notices/",
        "/notices/?q=hop",
        "/notices/new/",
        f"/notices/{notice.pk}/",
        f"/notices/{notice.pk}/cancel/",
        f"/notices/{notice.pk}/resend/",
        "/notices/outbox/",
        "/notices/groups/",
    ]
    for url in pages:
        assert_no_english(official_client.get(url), catalogue, url)


def test_outreach_pages_show_no_english_in_vietnamese(
    catalogue, official_client, official, populated, village
):
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories.outreach import (
        AssistedApplicationFactory,
        ContactFactory,
        DeliveryFactory,
        NoticeFactory,
        TeamMemberFactory,
        VillageGroupFactory,
    )

    today = timezone.localdate()
    household = populated
    contact = ContactFactory(
        household=household,
        made_by=official,
        contacted_on=today - timedelta(days=2),
        follow_up_on=today,
        note="Hẹn hướng dẫn làm hồ sơ vay",
        topics=["loans", "health_insurance"],
    )
    member = TeamMemberFactory(team__village=household.village, role="leader")
    application = AssistedApplicationFactory(household=household, helped_by=member)
    relay = VillageGroupFactory(
        village=household.village, channel="relay", external_id="", name="Nhóm buôn"
    )
    notice = NoticeFactory(commune=household.commune, author=official)
    DeliveryFactory(notice=notice, group=relay, status="queued")
    pages = [
        "/outreach/",
        "/outreach/?channel=door_to_door&topic=loans",
        "/outreach/new/",
        f"/outreach/new/?household={household.pk}",
        f"/outreach/{contact.pk}/",
        "/outreach/follow-ups/",
        f"/outreach/{contact.pk}/done/",
        "/outreach/coverage/",
        "/outreach/coverage/households/",
        "/outreach/teams/",
        f"/outreach/teams/new/?village={VillageFactory(commune=household.commune).pk}",
        f"/outreach/teams/{member.team_id}/",
        f"/outreach/teams/{member.team_id}/edit/",
        f"/outreach/teams/{member.team_id}/members/new/",
        f"/outreach/teams/{member.team_id}/members/{member.pk}/edit/",
        f"/outreach/teams/{member.team_id}/members/{member.pk}/leave/",
        "/outreach/applications/",
        "/outreach/applications/new/",
        f"/outreach/applications/{application.pk}/",
        f"/outreach/applications/{application.pk}/status/",
        f"/outreach/applications/{application.pk}/edit/",
        "/notices/relay/",
        "/notices/groups/new/",
        f"/notices/groups/{relay.pk}/edit/",
        f"/households/{household.pk}/",
    ]
    for url in pages:
        response = official_client.get(url)
        assert response.status_code == 200, url
        assert_no_english(response, catalogue, url)
