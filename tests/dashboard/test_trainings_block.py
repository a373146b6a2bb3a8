"""The dashboard's trainings block against hand-counted data.

The period is the third quarter of 2025 (01/07–30/09). Sessions start just inside and
just outside both ends in local time (00:30 on 1 July is still 30 June in UTC; 06:00 on
1 October is still 30 September in UTC). Who attended what, and the expected figures,
are written out by hand below; nothing is computed by the code under test.
"""

from datetime import date, datetime
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from eakutur.dashboard.figures import trainings_block
from eakutur.dashboard.periods import custom, quarter, whole_year
from eakutur.dashboard.scope import DashboardScope
from tests.factories import HouseholdFactory, MemberFactory, VillageFactory, ede, kinh
from tests.factories.trainings import CourseFactory, EnrolmentFactory, SessionFactory
from trainings.models import EnrolmentStatus, SessionStatus, Topic

pytestmark = pytest.mark.django_db

Q3 = quarter(2025, 3)
TODAY = date(2025, 10, 15)
ATTENDED = EnrolmentStatus.ATTENDED


def at(year, month, day, hour, minute=0) -> datetime:
    """Local time (Asia/Ho_Chi_Minh)."""
    return timezone.make_aware(datetime(year, month, day, hour, minute))


def scope_for(user, *, village=None, ethnic_group=None, period=Q3) -> DashboardScope:
    return DashboardScope.for_user(
        user,
        period=period,
        today=TODAY,
        village=village,
        ethnic_group_id=ethnic_group.pk if ethnic_group else None,
    )


def person(village, ethnic_group=None, **household):
    """A member of a new household of ``village``."""
    hh = HouseholdFactory(
        village=village, ethnic_group=ethnic_group or kinh(), **household
    )
    return MemberFactory(household=hh)


def attend(session, member=None, status=ATTENDED, **walk_in):
    if member is None:
        return EnrolmentFactory(session=session, member=None, status=status, **walk_in)
    return EnrolmentFactory(session=session, member=member, status=status)


@pytest.fixture
def world(commune, village, other_village, other_commune):
    """Courses, sessions and people of the commune, and a neighbour's.

    Counted attendances (whole commune, Q3 2025):
      An      (Thôn 1, Kinh)        coffee s_first, durian s_last
      Bình    (Thôn 1, Kinh)        coffee s_first
      Giang   (Thôn 1, Kinh, household archived)  pepper s_pepper
      Cúc     (Buôn Tiêu, Ê Đê)     durian s_last, livestock s_livestock
      Hà      (Buôn Tiêu, Ê Đê)     livestock s_livestock
      Y Bhim  (walk-in of Buôn Tiêu) pepper s_pepper, livestock s_livestock
    Not counted: Bình absent at s_last; Dũng before and after the period; Đào in a
    cancelled session; Em registered, Hoa withdrawn; the neighbour's participant.
    """
    coffee = CourseFactory(commune=commune, topic=Topic.COFFEE)
    durian = CourseFactory(commune=commune, topic=Topic.DURIAN)
    pepper = CourseFactory(commune=commune, topic=Topic.PEPPER)
    livestock = CourseFactory(commune=commune, topic=Topic.LIVESTOCK)

    def session(course, start, where=village, **kwargs):
        return SessionFactory(
            course=course, village=where, starts_at=start, status="held", **kwargs
        )

    s = {
        "first": session(coffee, at(2025, 7, 1, 0, 30)),
        "last": session(durian, at(2025, 9, 30, 20, 30)),
        "before": session(coffee, at(2025, 6, 30, 23, 0)),
        "after": session(coffee, at(2025, 10, 1, 6, 0)),
        "pepper": session(pepper, at(2025, 8, 10, 8)),
        "livestock": session(livestock, at(2025, 8, 15, 8), where=other_village),
        "cancelled": SessionFactory(
            course=pepper,
            village=village,
            starts_at=at(2025, 8, 20, 8),
            status=SessionStatus.CANCELLED,
        ),
    }
    an = person(village)
    binh = person(village)
    giang = person(village, is_active=False, archived_reason="chuyển đi")
    cuc = person(other_village, ede())
    ha = person(other_village, ede())
    dung = person(village)
    dao = person(village)
    em = person(village)
    hoa = person(village)
    attend(s["first"], an)
    attend(s["last"], an)
    attend(s["first"], binh)
    attend(s["last"], binh, status=EnrolmentStatus.ABSENT)
    attend(s["pepper"], giang)
    attend(s["last"], cuc)
    attend(s["livestock"], cuc)
    attend(s["livestock"], ha)
    bhim = {
        "full_name": "Y Bhim Niê",
        "phone": "0912000111",
        "birth_year": 1990,
        "village": other_village,
    }
    attend(s["pepper"], **bhim)
    attend(s["livestock"], **bhim)
    attend(s["before"], dung)
    attend(s["after"], dung)
    attend(s["cancelled"], dao)
    attend(s["first"], em, status=EnrolmentStatus.REGISTERED)
    attend(s["first"], hoa, status=EnrolmentStatus.WITHDRAWN)

    # The neighbouring commune: a coffee session in the period with one participant.
    foreign_village = VillageFactory(commune=other_commune)
    foreign = SessionFactory(
        course=CourseFactory(commune=other_commune, topic=Topic.COFFEE),
        village=foreign_village,
        starts_at=at(2025, 8, 1, 8),
        status="held",
    )
    attend(foreign, person(foreign_village))
    return s


def figures(block) -> dict:
    return {f.slug: f.value for f in block.figures}


def topic_rows(block) -> dict:
    (table,) = block.tables
    return {row.values["topic"]: row for row in table.rows}


def cells(row) -> tuple:
    return (
        row.values["participants"],
        row.values["sessions"],
        row.values["attendances"],
    )


EN_TOPICS = {
    "coffee": "Coffee",
    "durian": "Durian",
    "pepper": "Pepper",
    "livestock": "Livestock",
}


def en_reverse(name: str) -> str:
    """A URL as the English page links it (the blocks above are built in English)."""
    with translation.override("en"):
        return reverse(name)


def block_in_english(scope):
    with translation.override("en"):
        return trainings_block(scope)


def test_whole_commune(world, official):
    block = block_in_english(scope_for(official))
    # Six people: An, Bình, Giang, Cúc, Hà, Y Bhim; all but Hà in a crop course.
    assert figures(block) == {
        "participants": 6,
        "crop_participants": 5,
        "sessions": 4,  # s_first, s_last, s_pepper, s_livestock
        "attendances": 9,
    }
    rows = topic_rows(block)
    assert cells(rows["Coffee"]) == (2, 1, 2)  # An, Bình at s_first
    assert cells(rows["Durian"]) == (2, 1, 2)  # An, Cúc at s_last
    assert cells(rows["Pepper"]) == (2, 1, 2)  # Giang, Y Bhim at s_pepper
    assert cells(rows["Livestock"]) == (3, 1, 3)  # Cúc, Hà, Y Bhim
    others = [r for label, r in rows.items() if label not in EN_TOPICS.values()]
    assert len(others) == len(Topic.choices) - 4
    assert all(cells(r) == (0, 0, 0) for r in others)
    # Each person once in the total, though An, Cúc and Y Bhim are in two topics.
    (table,) = block.tables
    assert table.total.values == {
        "topic": "All topics",
        "participants": 6,
        "sessions": 4,
        "attendances": 9,
    }


def test_rows_follow_the_topic_catalogue(world, official):
    (table,) = block_in_english(scope_for(official)).tables
    labels = [row.values["topic"] for row in table.rows]
    assert labels == [
        "Durian",
        "Coffee",
        "Pepper",
        "Other crops",
        "Livestock",
        "Vocational trade",
        "Digital skills",
        "Health insurance",
        "Land policy",
        "Other",
    ]


def test_the_first_and_last_day_count_in_local_time(commune, village, official):
    """00:30 on 1 July (17:30 on 30 June in UTC) and 23:30 on 30 September count;
    23:30 on 30 June and 06:00 on 1 October (23:00 on 30 September in UTC) do not."""
    course = CourseFactory(commune=commune)
    for start in (
        at(2025, 7, 1, 0, 30),
        at(2025, 9, 30, 23, 30),
        at(2025, 6, 30, 23, 30),
        at(2025, 10, 1, 6, 0),
    ):
        session = SessionFactory(course=course, village=village, starts_at=start)
        attend(session, person(village))
    assert figures(trainings_block(scope_for(official)))["participants"] == 2


def test_village_filter_counts_the_people_of_the_village(world, official, village):
    """A walk-in counts in the village they gave (Y Bhim: Buôn Tiêu), not where the
    session was held (s_pepper: Thôn 1)."""
    block = block_in_english(scope_for(official, village=village))
    assert figures(block) == {
        "participants": 3,  # An, Bình, Giang
        "crop_participants": 3,
        "sessions": 3,  # s_first, s_last, s_pepper
        "attendances": 4,
    }
    rows = topic_rows(block)
    assert cells(rows["Coffee"]) == (2, 1, 2)
    assert cells(rows["Durian"]) == (1, 1, 1)
    assert cells(rows["Pepper"]) == (1, 1, 1)
    assert cells(rows["Livestock"]) == (0, 0, 0)


def test_other_village_counts_people_at_sessions_held_elsewhere(
    world, official, other_village
):
    block = block_in_english(scope_for(official, village=other_village))
    assert figures(block) == {
        "participants": 3,  # Cúc, Hà, Y Bhim
        "crop_participants": 2,  # Cúc (durian), Y Bhim (pepper)
        "sessions": 3,  # s_last, s_pepper (held in Thôn 1), s_livestock
        "attendances": 5,
    }
    assert cells(topic_rows(block)["Livestock"]) == (3, 1, 3)


def test_ethnic_group_filter_counts_members_of_that_group_only(world, official):
    """Walk-ins have no recorded ethnicity: an ethnic filter leaves them out."""
    block = block_in_english(scope_for(official, ethnic_group=ede()))
    assert figures(block) == {
        "participants": 2,  # Cúc, Hà
        "crop_participants": 1,  # Cúc
        "sessions": 2,  # s_last, s_livestock
        "attendances": 3,
    }
    assert cells(topic_rows(block)["Livestock"]) == (2, 1, 2)
    kinh_block = block_in_english(scope_for(official, ethnic_group=kinh()))
    assert figures(kinh_block)["participants"] == 3  # An, Bình, Giang


def test_village_officer_sees_their_village_only(world, officer, village):
    block = block_in_english(scope_for(officer))
    assert figures(block)["participants"] == 3  # An, Bình, Giang
    coffee = topic_rows(block)["Coffee"]
    assert coffee.links["participants"] == (
        en_reverse("trainings:course_list")
        + "?"
        + urlencode({"topic": "coffee", "year": 2025, "village": village.pk})
    )


def test_an_officer_asking_for_another_village_counts_nothing(
    world, officer, other_village
):
    block = trainings_block(scope_for(officer, village=other_village))
    assert figures(block) == {
        "participants": 0,
        "crop_participants": 0,
        "sessions": 0,
        "attendances": 0,
    }


def test_links_open_the_filtered_lists(world, official):
    block = block_in_english(scope_for(official))
    coffee = topic_rows(block)["Coffee"]
    courses = en_reverse("trainings:course_list")
    sessions = en_reverse("trainings:session_list")
    assert coffee.links == {
        "participants": f"{courses}?topic=coffee&year=2025",
        "sessions": f"{sessions}?"
        + urlencode({"start": "01/07/2025", "end": "30/09/2025", "topic": "coffee"}),
    }
    by_slug = {f.slug: f for f in block.figures}
    assert by_slug["participants"].link == f"{courses}?year=2025"
    assert by_slug["sessions"].link == (
        f"{sessions}?" + urlencode({"start": "01/07/2025", "end": "30/09/2025"})
    )


def test_a_period_over_two_years_links_without_year_or_session_list(official, world):
    block = block_in_english(
        scope_for(official, period=custom(date(2024, 7, 1), date(2025, 9, 30)))
    )
    assert topic_rows(block)["Coffee"].links == {
        "participants": en_reverse("trainings:course_list") + "?topic=coffee"
    }
    # 15 months: the sessions before 1 July 2025 (Dũng's) count now.
    assert figures(block)["participants"] == 7


def test_labels_and_chart(world, official):
    (table,) = block_in_english(scope_for(official)).tables
    assert table.title == "Training participants by topic"
    assert [c.label for c in table.columns] == [
        "Topic",
        "Participants",
        "Sessions held",
        "Attendances",
    ]
    assert table.chart.kind == "bar"
    assert table.chart.label_key == "topic"
    assert table.chart.series == ("participants",)
    block = block_in_english(scope_for(official))
    assert block.title == "Trainings"
    assert [f.label for f in block.figures] == [
        "Training participants (distinct people)",
        "Participants in durian, coffee and pepper courses",
        "Training sessions held",
        "Attendances",
    ]


def test_labels_in_vietnamese(world, official):
    block = trainings_block(scope_for(official))
    assert block.title == "Tập huấn"
    (table,) = block.tables
    assert table.title == "Người tham gia tập huấn theo chủ đề"
    assert "Cà phê" in {row.values["topic"] for row in table.rows}
    assert table.total.values["topic"] == "Mọi chủ đề"


# --- Queries ---------------------------------------------------------------------------


def populate(commune, village, size: int, start: int = 0) -> None:
    """``size`` people attending one session each, over the four crop topics."""
    topics = (Topic.COFFEE, Topic.DURIAN, Topic.PEPPER, Topic.LIVESTOCK)
    for n in range(start, start + size):
        course = CourseFactory(commune=commune, topic=topics[n % 4])
        session = SessionFactory(
            course=course, village=village, starts_at=at(2025, 8, 1 + n % 28, 8)
        )
        attend(session, person(village))
        attend(session, full_name=f"Khách {n}", phone="", village=village)


def queries(scope) -> int:
    with CaptureQueriesContext(connection) as ctx:
        trainings_block(scope)
    return len(ctx.captured_queries)


def test_one_query_whatever_the_size(
    commune, village, official, django_assert_max_num_queries
):
    populate(commune, village, 2)
    scope = scope_for(official, period=whole_year(2025))
    small = queries(scope)
    populate(commune, village, 20, start=2)
    with django_assert_max_num_queries(2):
        assert queries(scope) == small == 1
    assert figures(trainings_block(scope))["participants"] == 44
