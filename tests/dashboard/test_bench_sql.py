"""The benchmark's baseline is itself right: each raw SQL statement of
``tests.perf.dashboard_sql`` returns, on a small hand-built commune, the numbers worked
out by hand below (on the suite's database: SQLite, or PostgreSQL with DATABASE_URL).

The data puts rows on both edges of each window (the period's first and last day, the
reach window's, local midnight for session starts and notice dispatches), rows that
must never count (another commune's village, a loan not disbursed, a cancelled session,
a contact that did not reach, a resident's request) and an archived household (left
out of the registry figures, loans and reach; its trainings and applications count, as
the blocks' definitions in ``eakutur/dashboard/figures`` say).

Periods: the year 2025 (E = 31/12/2025) and its first nine months (E = 30/09/2025);
"today" is 15/11/2025, so the year's reach window is 18/08–15/11/2025 (R = today) and
the nine months' is 03/07–30/09/2025 (R = E).
"""

from datetime import date

import pytest
from django.db import connection
from django.utils import timezone

from loans.models import LoanProgram, LoanStatus, Repayment
from tests.factories import (
    HouseholdFactory,
    MemberFactory,
    PovertyReviewFactory,
    VillageFactory,
    ede,
)
from tests.factories.loans import LoanFactory, disbursed_loan, repayment
from tests.factories.outreach import (
    AssistedApplicationFactory,
    ContactFactory,
    DeliveryFactory,
    DigitalTeamFactory,
    NoticeFactory,
    TeamMemberFactory,
    VillageGroupFactory,
)
from tests.factories.trainings import (
    CourseFactory,
    EnrolmentFactory,
    SessionFactory,
    local_datetime,
)
from tests.perf.dashboard_sql import SqlScope, run_all, statements

TODAY = date(2025, 11, 15)
YEAR = (date(2025, 1, 1), date(2025, 12, 31))
NINE_MONTHS = (date(2025, 1, 1), date(2025, 9, 30))
M = 1_000_000


def sql(villages, period=YEAR, today=TODAY) -> dict[str, list[tuple]]:
    scope = SqlScope(tuple(v.pk for v in villages), *period, today=today)
    return {name: r.rows for name, r in run_all(connection, scope).items()}


def as_dict(rows) -> dict:
    """{key: value} for (key, value) rows, {(k1, k2): value} for (k1, k2, value)."""
    return {(row[0] if len(row) == 2 else row[:-1]): row[-1] for row in rows}


def by_first(rows) -> dict:
    """{first column: the other columns} for rows keyed by their first column."""
    return {row[0]: tuple(row[1:]) for row in rows}


@pytest.fixture
def foreign(other_commune):
    return VillageFactory(commune=other_commune, code="X01", name="Thôn ngoài")


@pytest.fixture
def homes(village, other_village, foreign):
    """h1-h3 in ``village``, h4-h5 in ``other_village`` (a buôn), h6 archived, h7 of
    another commune. Ê Đê heads: h2, h4, h5 (the rest Kinh)."""
    return {
        "h1": HouseholdFactory(village=village, current_status="poor"),
        "h2": HouseholdFactory(
            village=village, current_status="near_poor", ethnic_group=ede()
        ),
        "h3": HouseholdFactory(village=village, current_status=""),
        "h4": HouseholdFactory(
            village=other_village, current_status="poor", ethnic_group=ede()
        ),
        "h5": HouseholdFactory(
            village=other_village, current_status="average", ethnic_group=ede()
        ),
        "h6": HouseholdFactory(
            village=village,
            current_status="poor",
            is_active=False,
            archived_reason="Chuyển đi nơi khác",
        ),
        "h7": HouseholdFactory(village=foreign, current_status="poor"),
    }


# --- Households and reviews --------------------------------------------------------------


def test_households_by_village_and_status(homes, village, other_village):
    rows = as_dict(sql([village, other_village])["households_by_village_status"])
    assert rows == {
        (village.pk, "poor"): 1,
        (village.pk, "near_poor"): 1,
        (village.pk, ""): 1,
        (other_village.pk, "poor"): 1,
        (other_village.pk, "average"): 1,
    }
    rows = as_dict(sql([other_village])["households_by_village_status"])
    assert rows == {(other_village.pk, "poor"): 1, (other_village.pk, "average"): 1}


def test_reviews_by_year_and_status(homes, village, other_village):
    for name, year, status in [
        ("h1", 2024, "poor"),
        ("h1", 2025, "poor"),
        ("h2", 2025, "near_poor"),
        ("h4", 2024, "near_poor"),
        ("h4", 2025, "poor"),
        ("h5", 2025, "average"),
        ("h6", 2025, "poor"),  # archived: not counted
        ("h7", 2025, "poor"),  # another commune
    ]:
        PovertyReviewFactory(household=homes[name], year=year, status=status)
    rows = as_dict(sql([village, other_village])["reviews_by_year_status"])
    assert rows == {
        (2024, "poor"): 1,
        (2024, "near_poor"): 1,
        (2025, "poor"): 2,
        (2025, "near_poor"): 1,
        (2025, "average"): 1,
    }
    rows = as_dict(sql([village])["reviews_by_year_status"])
    assert rows == {(2024, "poor"): 1, (2025, "poor"): 1, (2025, "near_poor"): 1}


# --- Loans -------------------------------------------------------------------------------


@pytest.fixture
def loans(homes):
    """L1-L4 and L10 counted; the rest are outside by date, status or household."""
    program = {p.code: p for p in LoanProgram.objects.all()}
    h = homes
    made = {
        "L1": disbursed_loan(
            household=h["h1"], disbursed_on=date(2025, 1, 1), amount=30 * M,
            program=program["HO_NGHEO"],
        ),
        "L2": disbursed_loan(
            household=h["h1"], disbursed_on=date(2025, 12, 31), amount=25 * M,
            program=program["HO_CAN_NGHEO"], term_months=12,
        ),
        "L3": disbursed_loan(
            household=h["h2"], disbursed_on=date(2024, 6, 1), amount=50 * M,
            due_on=date(2025, 6, 1), term_months=12,
        ),
        "L4": disbursed_loan(
            household=h["h4"], disbursed_on=date(2025, 9, 30), amount=40 * M,
            program=program["VIEC_LAM"], term_months=12,
        ),
        "L5": disbursed_loan(
            household=h["h4"], disbursed_on=date(2024, 3, 1), amount=10 * M,
            due_on=date(2025, 3, 1), term_months=12,
        ),
        "L6": disbursed_loan(  # archived household
            household=h["h6"], disbursed_on=date(2025, 5, 5), amount=70 * M
        ),
        "L7": LoanFactory(household=h["h5"], amount=15 * M),  # applied only
        "L8": disbursed_loan(  # another commune
            household=h["h7"], disbursed_on=date(2025, 4, 4), amount=35 * M
        ),
        "L9": disbursed_loan(  # after both periods
            household=h["h2"], disbursed_on=date(2026, 1, 1), amount=15 * M
        ),
        "L10": disbursed_loan(
            household=h["h5"], disbursed_on=date(2024, 9, 30), amount=12 * M,
            due_on=date(2025, 9, 30), term_months=12,
        ),
    }  # fmt: skip
    repayment(made["L3"], paid_on=date(2025, 3, 1), principal=10 * M)
    repayment(made["L3"], paid_on=date(2025, 10, 15), principal=15 * M)
    repayment(made["L4"], paid_on=date(2025, 11, 1), principal=5 * M)
    repayment(made["L5"], paid_on=date(2025, 2, 20), principal=10 * M)  # settles it
    # A payment to L1 and its reversal, dated alike: they net out.
    paid = repayment(made["L1"], paid_on=date(2025, 4, 1), principal=3 * M)
    Repayment.objects.create(
        loan=made["L1"], paid_on=paid.paid_on, principal=-3 * M, interest=0,
        reverses=paid, reason="Nhập nhầm",
    )  # fmt: skip
    made["L1"].principal_repaid = 0
    made["L1"].save()
    made["L5"].refresh_from_db()
    assert made["L5"].status == LoanStatus.SETTLED
    return made


def test_loans_disbursed_in_the_year(loans, village, other_village):
    rows = sql([village, other_village])
    # L1 (1 Jan), L2 (31 Dec) of h1 and L4 of h4.
    assert rows["loans_disbursed"] == [(2, 3, 95 * M)]
    assert by_first(rows["loans_by_month"]) == {
        "2025-01": (1, 1, 30 * M),
        "2025-09": (1, 1, 40 * M),
        "2025-12": (1, 1, 25 * M),
    }
    ids = dict(LoanProgram.objects.values_list("code", "pk"))
    assert by_first(rows["loans_by_program"]) == {
        ids["HO_NGHEO"]: (1, 1, 30 * M),
        ids["HO_CAN_NGHEO"]: (1, 1, 25 * M),
        ids["VIEC_LAM"]: (1, 1, 40 * M),
    }
    assert by_first(rows["loans_by_village"]) == {
        village.pk: (1, 2, 55 * M),
        other_village.pk: (1, 1, 40 * M),
    }


def test_loans_disbursed_in_nine_months(loans, village, other_village):
    rows = sql([village, other_village], NINE_MONTHS)
    # L1 (1 Jan) and L4 (30 Sep, the last day).
    assert rows["loans_disbursed"] == [(2, 2, 70 * M)]
    assert by_first(rows["loans_by_month"]) == {
        "2025-01": (1, 1, 30 * M),
        "2025-09": (1, 1, 40 * M),
    }


def test_outstanding_and_overdue_at_the_year_end(loans, village, other_village):
    # Seen after the year: E is its last day (while it runs, E is today).
    rows = sql([village, other_village], today=date(2026, 1, 15))
    # Lent by 31/12: L1 30 + L2 25 + L3 50 + L4 40 + L5 10 + L10 12 = 167;
    # repaid by then: L3 10 + 15, L4 5, L5 10 (L1's payment reversed) = 40; 127 owed.
    assert by_first(rows["loans_outstanding_by_village"]) == {
        village.pk: (80 * M,),  # L1 30 + L2 25 + L3 50 - 25
        other_village.pk: (47 * M,),  # L4 40 + L5 10 + L10 12 - 5 - 10
    }
    # Due before 31/12 with principal left: L3 (25 left) and L10 (12); L5 is repaid.
    assert rows["loans_overdue"] == [(2, 37 * M)]


def test_outstanding_and_overdue_at_the_end_of_september(loans, village, other_village):
    rows = sql([village, other_village], NINE_MONTHS)
    # Lent by 30/09: 30 + 50 + 40 + 10 + 12 = 142; repaid by then: L3 10, L5 10; 122.
    assert by_first(rows["loans_outstanding_by_village"]) == {
        village.pk: (70 * M,),  # L1 30 + L3 50 - 10
        other_village.pk: (52 * M,),  # L4 40 + L5 10 + L10 12 - 10
    }
    # L3 had 40 left; L10 falls due on 30/09 itself, not before it.
    assert rows["loans_overdue"] == [(1, 40 * M)]


def test_loans_of_one_village(loans, other_village):
    rows = sql([other_village])
    assert rows["loans_disbursed"] == [(1, 1, 40 * M)]
    assert by_first(rows["loans_by_village"]) == {other_village.pk: (1, 1, 40 * M)}
    # L4 40 + L5 10 + L10 12 lent; L4 5 and L5 10 repaid.
    assert rows["loans_outstanding_by_village"] == [(other_village.pk, 47 * M)]
    assert rows["loans_overdue"] == [(1, 12 * M)]


# --- Trainings ---------------------------------------------------------------------------


@pytest.fixture
def trainings(commune, homes, village, other_village):
    """Sessions: coffee S1 (``village``, 1 Jan 00:30), S2 (the buôn, 31 Dec 23:00), S5
    (cancelled); pepper S3 (10 Jun), S4 (31/12/2024 23:30), S6 (1/1/2026 00:10);
    digital S7 (20 Oct). Members of ``village``: m1 (h1), m2 (h2), m5 (h3), m6 (h6,
    archived); of the buôn: m3 (h4), m4 (h5). Walk-ins W1 and W3 (no birth year) gave
    the buôn, W2 (W1's name, another phone) ``village``."""
    coffee = CourseFactory(commune=commune, topic="coffee")
    pepper = CourseFactory(commune=commune, topic="pepper")
    digital = CourseFactory(commune=commune, topic="digital")

    def session(course, where, day, hour, minute=0, status="held"):
        return SessionFactory(
            course=course, village=where,
            starts_at=local_datetime(day, hour, minute), status=status,
        )  # fmt: skip

    s1 = session(coffee, village, date(2025, 1, 1), 0, 30)
    s2 = session(coffee, other_village, date(2025, 12, 31), 23)
    s3 = session(pepper, village, date(2025, 6, 10), 8)
    s4 = session(pepper, village, date(2024, 12, 31), 23, 30)
    s5 = session(coffee, village, date(2025, 7, 1), 8, status="cancelled")
    s6 = session(pepper, village, date(2026, 1, 1), 0, 10)
    s7 = session(digital, village, date(2025, 10, 20), 8)
    m = {
        name: MemberFactory(household=homes[home])
        for name, home in [
            ("m1", "h1"), ("m2", "h2"), ("m3", "h4"), ("m4", "h5"), ("m5", "h3"),
            ("m6", "h6"),
        ]
    }  # fmt: skip
    for s, member, status in [
        (s1, "m1", "attended"),
        (s3, "m1", "attended"),
        (s3, "m2", "absent"),
        (s4, "m3", "attended"),  # before the year
        (s6, "m3", "attended"),  # after it (31/12/2025 17:10 UTC)
        (s1, "m4", "attended"),  # held in ``village``: counts for the buôn
        (s1, "m5", "registered"),
        (s5, "m5", "attended"),  # a cancelled session
        (s7, "m5", "attended"),
        (s3, "m6", "attended"),  # archived household: the training took place
    ]:
        EnrolmentFactory(session=s, member=m[member], status=status)
    # A member counts by their household's village, whatever the enrolment's says.
    EnrolmentFactory(
        session=s1, member=m["m2"], status="attended", village=other_village
    )
    walk_ins = [
        (s2, "Y Bhim", "0905000001", 1990, other_village),
        (s3, "Y Bhim", "0905000001", 1990, other_village),
        (s1, "Y Bhim", "0905000002", 1990, village),
        (s2, "H'Hen Niê", "", None, other_village),
        (s3, "H'Hen Niê", "", None, other_village),
    ]
    for s, name, phone, born, where in walk_ins:
        EnrolmentFactory(
            session=s, member=None, full_name=name, phone=phone, birth_year=born,
            village=where, status="attended",
        )  # fmt: skip


def trainings_of(rows) -> tuple:
    return (
        rows["participants"][0][0],
        as_dict(rows["participants_by_topic"]),
        rows["participants_durian_coffee_pepper"][0][0],
        by_first(rows["attendances_by_topic"]),
    )


def test_trainings_in_the_year(trainings, village, other_village):
    people, by_topic, three_crops, attendances = trainings_of(
        sql([village, other_village])
    )
    assert people == 8  # m1, m2, m4, m5, m6, W1, W2, W3
    assert by_topic == {
        "coffee": 6,  # S1: m1, m2, m4, W2; S2: W1, W3
        "pepper": 4,  # S3: m1, m6, W1, W3
        "digital": 1,  # S7: m5
    }
    assert three_crops == 7  # all but m5
    # (attendances, sessions with one)
    assert attendances == {"coffee": (6, 2), "pepper": (4, 1), "digital": (1, 1)}


def test_trainings_in_nine_months(trainings, village, other_village):
    people, by_topic, three_crops, attendances = trainings_of(
        sql([village, other_village], NINE_MONTHS)
    )
    assert people == 7  # S1: m1, m2, m4, W2; S3: m1, m6, W1, W3
    assert by_topic == {"coffee": 4, "pepper": 4}
    assert three_crops == 7
    assert attendances == {"coffee": (4, 1), "pepper": (4, 1)}


def test_trainings_of_one_village(trainings, village):
    people, by_topic, three_crops, attendances = trainings_of(sql([village]))
    assert people == 5  # m1, m2, m5, m6, W2
    assert by_topic == {"coffee": 3, "pepper": 2, "digital": 1}
    assert three_crops == 4
    assert attendances == {"coffee": (3, 1), "pepper": (2, 1), "digital": (1, 1)}


def test_trainings_of_the_hamlet_count_its_people_wherever_they_went(
    trainings, other_village
):
    people, by_topic, three_crops, attendances = trainings_of(sql([other_village]))
    assert people == 3  # m4 (S1, held in the other village), W1, W3
    assert by_topic == {"coffee": 3, "pepper": 2}
    assert three_crops == 3
    assert attendances == {"coffee": (3, 2), "pepper": (2, 1)}


# --- Reach -------------------------------------------------------------------------------


@pytest.fixture
def contacts(homes, other_village):
    h = homes
    for household, day, channel, outcome in [
        ("h1", date(2025, 8, 18), "door_to_door", "informed"),  # the year's first day
        ("h1", date(2025, 11, 15), "phone", "informed"),  # its last day (today)
        ("h2", date(2025, 11, 16), "door_to_door", "informed"),  # after today
        ("h2", date(2025, 8, 17), "phone", "interested"),  # nine months only
        ("h4", date(2025, 10, 1), "phone", "not_reached"),
        ("h4", date(2025, 9, 30), "door_to_door", "declined"),  # reached all the same
        ("h5", date(2025, 7, 3), "door_to_door", "informed"),  # nine months' first day
        ("h6", date(2025, 10, 10), "door_to_door", "informed"),  # archived
        ("h7", date(2025, 10, 10), "door_to_door", "informed"),  # another commune
    ]:
        ContactFactory(
            household=h[household], contacted_on=day, channel=channel, outcome=outcome
        )
    ContactFactory(  # the household reaching the commune: never counted
        household=h["h4"], contacted_on=date(2025, 10, 2),
        channel="resident_request", made_by=None,
    )  # fmt: skip
    ContactFactory(  # a village meeting reaches no household by name
        household=None, village=other_village, contacted_on=date(2025, 10, 3),
        channel="meeting", people_count=30,
    )  # fmt: skip


def reach(rows) -> dict:
    return {row[0]: tuple(row[1:]) for row in rows["reach_by_village"]}


def test_reach_in_the_year(contacts, village, other_village):
    # Columns: households, reached, poor, poor reached, near-poor, near-poor reached,
    # ethnic minority, ethnic minority reached.
    assert reach(sql([village, other_village])) == {
        village.pk: (3, 1, 1, 1, 1, 0, 1, 0),  # h1 reached; h2 (Ê Đê) not
        other_village.pk: (2, 1, 1, 1, 0, 0, 2, 1),  # h4 reached; h5 not
    }


def test_reach_in_nine_months(contacts, village, other_village):
    assert reach(sql([village, other_village], NINE_MONTHS)) == {
        village.pk: (3, 2, 1, 1, 1, 1, 1, 1),  # h1 and h2
        other_village.pk: (2, 2, 1, 1, 0, 0, 2, 2),  # h4 and h5
    }


def test_reach_of_one_village(contacts, other_village):
    assert reach(sql([other_village])) == {other_village.pk: (2, 1, 1, 1, 0, 0, 2, 1)}


# --- Digital teams, applications, notices ------------------------------------------------


def test_digital_teams_and_current_members(village, other_village, foreign):
    for where, current, former in [
        (village, 2, 1),
        (other_village, 2, 0),
        (foreign, 4, 0),
    ]:
        team = DigitalTeamFactory(village=where)
        TeamMemberFactory.create_batch(current, team=team)
        TeamMemberFactory.create_batch(former, team=team, left_on=date(2025, 5, 1))
    assert sql([village, other_village])["digital_teams"] == [(2, 4)]
    assert sql([village])["digital_teams"] == [(1, 2)]


def test_applications_by_status(homes, village, other_village):
    for household, filed_on, status in [
        ("h1", date(2025, 1, 1), "filed"),
        ("h2", date(2025, 12, 31), "done"),
        ("h4", date(2025, 6, 2), "done"),
        ("h1", date(2024, 12, 31), "filed"),  # before
        ("h6", date(2025, 5, 5), "filed"),  # archived household: counts
        ("h4", date(2026, 1, 1), "filed"),  # after
        ("h7", date(2025, 5, 5), "filed"),  # another commune
    ]:
        AssistedApplicationFactory(
            household=homes[household], filed_on=filed_on, status=status,
            helped_by=None,
        )  # fmt: skip
    both = [village, other_village]
    assert as_dict(sql(both)["applications_by_status"]) == {"filed": 2, "done": 2}
    assert as_dict(sql(both, NINE_MONTHS)["applications_by_status"]) == {
        "filed": 2,  # h1, h6
        "done": 1,  # h4
    }
    assert as_dict(sql([village])["applications_by_status"]) == {
        "filed": 2,  # h1, h6
        "done": 1,  # h2
    }


def test_deliveries_by_channel_and_status(commune, village, other_village, foreign):
    zalo = VillageGroupFactory(village=village, channel="zalo")
    sms = VillageGroupFactory(village=village, channel="sms", external_id="0905000001")
    zalo_buon = VillageGroupFactory(village=other_village, channel="zalo")
    zalo_foreign = VillageGroupFactory(village=foreign, channel="zalo")
    now = timezone.now()

    def notice(day, hour, minute, deliveries, of=commune):
        sent = NoticeFactory(
            commune=of, status="done", dispatched_at=local_datetime(day, hour, minute)
        )
        for group, status in deliveries:
            DeliveryFactory(
                notice=sent, group=group, status=status,
                provider_id="x" if status == "sent" else "",
                sent_at=now if status == "sent" else None,
                error="HTTP 500" if status == "failed" else "",
                failed_at=now if status == "failed" else None,
            )  # fmt: skip

    notice(
        date(2025, 1, 1), 0, 30, [(zalo, "sent"), (zalo_buon, "failed"), (sms, "sent")]
    )
    notice(date(2025, 12, 31), 23, 30, [(zalo, "sent"), (sms, "queued")])
    notice(date(2024, 12, 31), 23, 30, [(zalo, "sent")])  # before
    notice(date(2026, 1, 1), 0, 10, [(zalo, "sent")])  # after
    notice(date(2025, 6, 1), 9, 0, [(zalo_foreign, "sent")], of=foreign.commune)

    rows = as_dict(sql([village, other_village])["deliveries_by_channel_status"])
    assert rows == {
        ("zalo", "sent"): 2,
        ("zalo", "failed"): 1,
        ("sms", "sent"): 1,
        ("sms", "queued"): 1,
    }
    rows = as_dict(
        sql([village, other_village], NINE_MONTHS)["deliveries_by_channel_status"]
    )
    assert rows == {("zalo", "sent"): 1, ("zalo", "failed"): 1, ("sms", "sent"): 1}
    rows = as_dict(sql([village])["deliveries_by_channel_status"])
    assert rows == {("zalo", "sent"): 2, ("sms", "sent"): 1, ("sms", "queued"): 1}


# --- Every statement is checked above ----------------------------------------------------

CHECKED = {
    "households_by_village_status",
    "reviews_by_year_status",
    "loans_disbursed",
    "loans_by_month",
    "loans_by_program",
    "loans_by_village",
    "loans_outstanding_by_village",
    "loans_overdue",
    "participants",
    "participants_by_topic",
    "participants_durian_coffee_pepper",
    "attendances_by_topic",
    "reach_by_village",
    "digital_teams",
    "applications_by_status",
    "deliveries_by_channel_status",
}


def test_every_statement_has_a_test():
    scope = SqlScope((1,), *YEAR, today=TODAY)
    assert {s.name for s in statements(scope)} == CHECKED


def test_an_empty_commune_counts_zero(village):
    rows = sql([village])
    assert rows["loans_disbursed"] == [(0, 0, 0)]
    assert rows["loans_outstanding_by_village"] == []
    assert rows["loans_overdue"] == [(0, 0)]
    assert rows["participants"] == [(0,)]
    assert rows["attendances_by_topic"] == []
    assert rows["digital_teams"] == [(0, 0)]
    assert rows["reach_by_village"] == []


def test_a_scope_needs_a_village():
    with pytest.raises(ValueError, match="at least one village"):
        SqlScope((), *YEAR, today=TODAY)
