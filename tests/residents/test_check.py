"""The eligibility questionnaire, walked the way a resident does: one POST per screen."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from eakutur.residents.answers import CheckAnswers, estimate_status
from tests.pages import assert_not_shows, assert_shows, text_of, vi

pytestmark = pytest.mark.django_db

START = reverse("residents:check_start")
RESULT = reverse("residents:check_result")


def step_url(step: str) -> str:
    return reverse("residents:check_step", args=[step])


def this_year() -> int:
    return timezone.localdate().year


def answer(client, step: str, data: dict, *, then: str | None = None):
    """POST one screen; it must move on (to ``then`` if given), with nothing in the URL."""
    response = client.post(step_url(step), data)
    assert response.status_code == 302, text_of(response)
    location = response["Location"]
    assert "?" not in location
    if then is not None:
        assert location == then
    return response


def walk(
    client,
    *,
    village,
    status="poor",
    income="",
    people=4,
    deprivations=(),
    minority="yes",
    students=0,
    children=0,
    disability=0,
    elderly=0,
    farms="yes",
    needs=(),
):
    """Answer every screen from the start; returns the result page."""
    assert client.post(START)["Location"] == step_url("village")
    answer(client, "village", {"village": village.pk}, then=step_url("status"))
    if status == "unknown":
        answer(client, "status", {"status": status}, then=step_url("income"))
        income_data = {
            "household_income": income,
            "people": people,
            "deprivations": list(deprivations),
        }
        answer(client, "income", income_data, then=step_url("ethnicity"))
    else:
        answer(client, "status", {"status": status}, then=step_url("ethnicity"))
    answer(client, "ethnicity", {"minority": minority}, then=step_url("members"))
    members = {
        "students": students,
        "children_under_6": children,
        "with_disability": disability,
        "elderly": elderly,
    }
    if status != "unknown":
        members["people"] = people
    answer(client, "members", members, then=step_url("needs"))
    answer(
        client, "needs", {"farms_or_business": farms, "needs": list(needs)}, then=RESULT
    )
    return client.get(RESULT)


class _Cards(HTMLParser):
    """The result page's cards: code -> (the group it is shown under, its reasons)."""

    def __init__(self):
        super().__init__()
        self.cards: dict[str, tuple[str, list[str]]] = {}
        self.group = None
        self.code = None
        self.in_reasons = False
        self.in_reason = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and (attrs.get("id") or "").startswith("group-"):
            self.group = attrs["id"].removeprefix("group-")
        elif tag == "article" and self.group:
            self.code = attrs["aria-labelledby"].removeprefix("program-")
            self.cards[self.code] = (self.group, [])
        elif tag == "li" and self.code and self.in_reasons:
            self.cards[self.code][1].append("")
            self.in_reason = True
        if tag == "ul":
            self.in_reasons = "reasons" in (attrs.get("class") or "")

    def handle_endtag(self, tag):
        if tag == "section":
            self.group = None
        elif tag == "article":
            self.code = None
        elif tag == "li":
            self.in_reason = False
        elif tag == "ul":
            self.in_reasons = False

    def handle_data(self, data):
        if self.in_reason:
            reasons = self.cards[self.code][1]
            reasons[-1] += data


def cards_on(response) -> dict[str, tuple[str, list[str]]]:
    parser = _Cards()
    parser.feed(response.content.decode())
    return parser.cards


def session_answers(client) -> CheckAnswers:
    return CheckAnswers.from_session(client.session)


# --- the screens ---------------------------------------------------------------------


def test_start_page_explains_and_starts_afresh(client, village):
    page = client.get(START)
    assert_shows(page, "Bắt đầu", vi("It takes about 2 minutes."))
    assert_not_shows(page, vi("Continue where you left off"))

    client.post(START)
    answer(client, "village", {"village": village.pk})
    page = client.get(START)
    assert_shows(page, vi("Continue where you left off"))
    assert f'href="{step_url("status")}"' in page.content.decode()

    assert client.post(START)["Location"] == step_url("village")
    assert session_answers(client).village is None


def test_walking_every_screen_reaches_the_result(client, village):
    client.post(START)
    page = client.get(step_url("village"))
    assert_shows(page, vi("Question %(number)s of %(total)s", number=1, total=5))
    assert_shows(page, vi("Which village or hamlet do you live in?"))
    answer(client, "village", {"village": village.pk})
    page = client.get(step_url("status"))
    assert_shows(
        page,
        vi("Question %(number)s of %(total)s", number=2, total=5),
        "Trong danh sách rà soát năm nay, hộ của bạn là:",
        vi("I don't know"),
        f'href="{step_url("village")}"',  # back
    )
    assert 'class="choices"' in page.content.decode()

    result = walk(
        client, village=village, status="near_poor", minority="no", students=1
    )

    assert result.status_code == 200
    cards = cards_on(result)
    assert cards["HO_CAN_NGHEO"][0] == "qualifies"
    assert cards["HO_NGHEO"][0] == "does_not"
    assert_shows(result, "Đủ điều kiện", vi("Send a request for help"))
    request_url = reverse("residents:request")
    assert f'href="{request_url}?topic=loans"' in text_of(result)
    assert "<details" in text_of(result).split('id="group-does_not"')[1][:200]


def test_the_answers_are_kept_and_shown_back(client, village):
    walk(client, village=village, status="poor", people=5, students=2, needs=["water"])
    members = client.get(step_url("members"))
    assert re.search(r'name="students" value="2"', members.content.decode())
    assert re.search(r'name="people" value="5"', members.content.decode())
    needs = client.get(step_url("needs"))
    assert re.search(r'value="water"[^>]*checked', needs.content.decode())


def test_income_screen_only_for_i_dont_know(client, village):
    client.post(START)
    answer(client, "village", {"village": village.pk})
    answer(client, "status", {"status": "poor"}, then=step_url("ethnicity"))
    # The income screen does not apply: back to the question still open.
    assert client.get(step_url("income"))["Location"] == step_url("ethnicity")

    answer(client, "status", {"status": "unknown"}, then=step_url("income"))
    page = client.get(step_url("income"))
    assert_shows(
        page,
        vi("Question %(number)s of %(total)s", number=3, total=6),
        "Không có nhà tiêu hợp vệ sinh.",  # a deprivation of the standard, in words
    )
    answer(
        client,
        "income",
        {"household_income": "3 triệu", "people": 3, "deprivations": ["latrine"]},
    )
    kept = session_answers(client)
    assert (kept.household_income, kept.people, kept.deprivations) == (
        3_000_000,
        3,
        ["latrine"],
    )
    # People were asked with the income: the members screen does not ask again.
    assert 'name="people"' not in client.get(step_url("members")).content.decode()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("ba triệu", "Write the amount in numbers, for example 3.000.000 or 3 triệu."),
        ("-3000000", "The income cannot be below zero."),
        (
            "5.000.000.000",
            "That is more than 1 billion đồng a month; check the number of zeros.",
        ),
    ],
)
def test_bad_income_shows_an_error_and_keeps_the_old_answer(
    client, village, typed, message
):
    client.post(START)
    answer(client, "village", {"village": village.pk})
    answer(client, "status", {"status": "unknown"})
    answer(client, "income", {"household_income": "4.800.000", "people": 4})

    page = client.post(step_url("income"), {"household_income": typed, "people": 2})

    assert page.status_code == 200
    assert_shows(page, vi(message))
    assert 'aria-invalid="true"' in page.content.decode()
    kept = session_answers(client)
    assert (kept.household_income, kept.people) == (4_800_000, 4)


def test_a_count_of_minus_one_shows_an_error_and_keeps_the_old_answer(client, village):
    client.post(START)
    answer(client, "village", {"village": village.pk})
    answer(client, "status", {"status": "poor"})
    answer(client, "ethnicity", {"minority": "no"})
    counts = {"people": 3, "students": 1, "children_under_6": 0}
    answer(client, "members", {**counts, "with_disability": 0, "elderly": 0})

    page = client.post(step_url("members"), {**counts, "students": -1})
    assert page.status_code == 200
    assert_shows(
        page, vi("Write a number from %(low)s to %(high)s (0 if none).", low=0, high=30)
    )
    page = client.post(step_url("members"), {**counts, "people": 2, "students": 3})
    assert_shows(
        page, vi("More than the %(people)s people in your household.", people=2)
    )
    kept = session_answers(client)
    assert (kept.people, kept.students) == (3, 1)


def test_jumping_ahead_goes_to_the_first_unanswered_question(client, village):
    assert client.get(RESULT)["Location"] == step_url("village")
    client.post(START)
    answer(client, "village", {"village": village.pk})
    assert client.get(RESULT)["Location"] == step_url("status")
    assert client.get(step_url("needs"))["Location"] == step_url("status")
    # Going back to an answered screen is fine.
    assert client.get(step_url("village")).status_code == 200


def test_an_unknown_step_is_not_found(client, village):
    assert client.get(step_url("salary")).status_code == 404
    assert client.post(step_url("salary"), {"x": 1}).status_code == 404


def test_an_unknown_village_is_refused(client, village, foreign_village):
    client.post(START)
    page = client.post(step_url("village"), {"village": foreign_village.pk})
    assert page.status_code == 200
    assert_shows(page, vi("Choose your village or hamlet from the list."))
    assert session_answers(client).village is None


def test_the_village_is_remembered_and_preselected(client, village, other_village):
    client.post(START)
    response = answer(client, "village", {"village": other_village.pk})
    assert response.cookies["village"].value == str(other_village.pk)

    client.post(START)  # the answers are gone, the village cookie stays
    page = client.get(step_url("village")).content.decode()
    assert re.search(rf'<option value="{other_village.pk}" selected>', page)
    assert not re.search(rf'<option value="{village.pk}" selected>', page)


def test_poor_household_in_a_minority_hamlet_qualifies_for_the_poor_loan(
    client, other_village
):
    result = walk(client, village=other_village, status="poor", minority="yes")

    group, reasons = cards_on(result)["HO_NGHEO"]
    assert group == "qualifies"
    assert reasons == [
        vi(
            "Poor household in the %(year)s review → qualifies for the poor "
            "household loan.",
            year=this_year(),
        )
    ]
    assert_shows(result, "Hộ nghèo theo rà soát năm", "Đủ điều kiện")
    assert_shows(result, vi("Who can help you in %(village)s", village=other_village))


def test_i_dont_know_with_a_low_income_may_qualify_for_the_poor_loan(
    client, other_village
):
    result = walk(
        client,
        village=other_village,
        status="unknown",
        income="4.800.000",  # 1,2 million a person: under the rural line
        people=4,
        deprivations=["water_source", "latrine", "housing_quality"],
    )

    with translation.override("vi"):
        estimate = estimate_status(
            session_answers(client), village=other_village, year=this_year()
        )
    assert estimate.status == "poor"
    assert "1,2 triệu" in estimate.reason
    group, reasons = cards_on(result)["HO_NGHEO"]
    assert group == "may_qualify"
    assert reasons[0] == vi(
        "By your answers the household would be %(status)s (%(reason)s); only the "
        "village's yearly review puts it on the list: ask the village officer.",
        status=vi("poor"),
        reason=estimate.reason,
    )
    assert_shows(
        result,
        "Có thể đủ điều kiện",
        vi("Your household by the poverty standard"),
        estimate.reason,
    )


def test_the_result_can_be_changed_or_started_again(client, village):
    result = walk(client, village=village, status="not_listed", minority="no")
    assert_shows(result, vi("Change my answers"), vi("Your answers"), village.name)
    assert f'href="{step_url("village")}"' in text_of(result)

    assert client.post(START)["Location"] == step_url("village")
    assert client.get(RESULT)["Location"] == step_url("village")


def test_english_pages_are_in_english(client, village):
    page = client.get("/en/check/")
    assert_shows(page, "Check which support your household can get", "Start")
    assert_not_shows(page, "Bắt đầu")

    assert client.post("/en/check/")["Location"] == "/en/check/village/"
    page = client.get("/en/check/village/")
    assert_shows(page, "Question 1 of 5", "Which village or hamlet do you live in?")
    client.post("/en/check/village/", {"village": village.pk})
    page = client.post("/en/check/status/", {})
    assert_shows(page, "On this year's review list")
    assert_shows(page, "Choose one answer; “I don't know” is fine.")
