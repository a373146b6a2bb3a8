"""The dashboard's outreach block against hand-counted data.

The period is the third quarter of 2025 (01/07–30/09) and today is 15/10/2025, so the
reach window is the 90 days ending on 30/09: 03/07–30/09/2025. Every expected number
is written out by hand from the rows below; nothing is computed by the code under test.
"""

from datetime import date, datetime
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from eakutur.accounts.models import Role
from eakutur.dashboard.figures import outreach_block
from eakutur.dashboard.periods import quarter
from eakutur.dashboard.scope import DashboardScope
from households.models import Village
from outreach.models import (
    ApplicationStatus,
    ContactChannel,
    ContactOutcome,
    DeliveryStatus,
    GroupChannel,
    NoticeStatus,
)
from tests.factories import HouseholdFactory, UserFactory, VillageFactory, ede, kinh
from tests.factories.outreach import (
    AssistedApplicationFactory,
    ContactFactory,
    DeliveryFactory,
    DigitalTeamFactory,
    NoticeFactory,
    TeamMemberFactory,
    VillageGroupFactory,
)

pytestmark = pytest.mark.django_db

Q3 = quarter(2025, 3)
TODAY = date(2025, 10, 15)


def at(year, month, day, hour, minute=0) -> datetime:
    """Local time (Asia/Ho_Chi_Minh)."""
    return timezone.make_aware(datetime(year, month, day, hour, minute))


def scope_for(user, *, village=None, ethnic_group=None, today=TODAY, period=Q3):
    return DashboardScope.for_user(
        user,
        period=period,
        today=today,
        village=village,
        ethnic_group_id=ethnic_group.pk if ethnic_group else None,
    )


def household(village, status="", group=None, **kwargs):
    return HouseholdFactory(
        village=village,
        current_status=status,
        ethnic_group=group or kinh(),
        **kwargs,
    )


def contact(hh, day, **kwargs):
    return ContactFactory(household=hh, contacted_on=day, **kwargs)


@pytest.fixture
def third_village(commune):
    """A village of the commune with no household, team or group."""
    return VillageFactory(commune=commune, code="T02", name="Thôn 2")


@pytest.fixture
def foreign_village(other_commune):
    return VillageFactory(commune=other_commune, code="T01", name="Thôn 1")


@pytest.fixture
def households(commune, village, other_village, foreign_village):
    """Households, their contacts (window 03/07–30/09/2025), and the expected reach:

    Thôn 1     h1 Kinh poor       visit 03/07 (first day)        reached
               h2 Kinh near-poor  visit 02/07 (a day too early)  -
               h3 Ê Đê poor       "not reached" 30/09, resident's request 01/09  -
               h4 Ê Đê no status  phone 01/08 and visit 20/08    reached (once)
               h5 Kinh not reviewed, visit 01/10 (after the end)  -
               archived, poor, visited 01/08                     not counted
    Buôn Tiêu  h6 Ê Đê poor       visit 30/09 (last day)         reached
               h7 Ê Đê near-poor  visit 15/08                    reached
               h8 Kinh near-poor  only a village meeting 15/08   -
    The neighbour: a poor household visited 01/08: not counted.
    """
    hh = {
        "h1": household(village, "poor"),
        "h2": household(village, "near_poor"),
        "h3": household(village, "poor", ede()),
        "h4": household(village, "none", ede()),
        "h5": household(village, ""),
        "archived": household(
            village, "poor", is_active=False, archived_reason="chuyển đi"
        ),
        "h6": household(other_village, "poor", ede()),
        "h7": household(other_village, "near_poor", ede()),
        "h8": household(other_village, "near_poor"),
        "foreign": household(foreign_village, "poor"),
    }
    contact(hh["h1"], date(2025, 7, 3))
    contact(hh["h2"], date(2025, 7, 2))
    contact(hh["h3"], date(2025, 9, 30), outcome=ContactOutcome.NOT_REACHED)
    contact(
        hh["h3"],
        date(2025, 9, 1),
        channel=ContactChannel.RESIDENT_REQUEST,
        made_by=None,
        requester_name="H'Ly",
        requester_phone="0912345678",
    )
    contact(hh["h4"], date(2025, 8, 1), channel=ContactChannel.PHONE)
    contact(hh["h4"], date(2025, 8, 20))
    contact(hh["h5"], date(2025, 10, 1))
    contact(hh["archived"], date(2025, 8, 1))
    contact(hh["h6"], date(2025, 9, 30))
    contact(hh["h7"], date(2025, 8, 15))
    ContactFactory(
        household=None,
        village=other_village,
        channel=ContactChannel.MEETING,
        contacted_on=date(2025, 8, 15),
        people_count=40,
    )
    contact(hh["foreign"], date(2025, 8, 1))
    return hh


@pytest.fixture
def world(households, third_village):
    return households


def figures(block) -> dict:
    return {f.slug: f.value for f in block.figures}


def table(block, slug):
    return next(t for t in block.tables if t.slug == slug)


def reach_rows(block) -> dict:
    return {r.values["village"]: r for r in table(block, "reach-by-village").rows}


REACH_KEYS = (
    "households",
    "reached",
    "share",
    "poor",
    "poor_reached",
    "near_poor",
    "near_poor_reached",
    "minority",
    "minority_reached",
)


def reach(row) -> tuple:
    return tuple(row.values[k] for k in REACH_KEYS)


REACH_FIGURES = (
    "households_reached",
    "share_reached",
    "poor_reached",
    "near_poor_reached",
    "minority_reached",
)


def reach_figures(block) -> tuple:
    values = figures(block)
    return tuple(values[k] for k in REACH_FIGURES)


# --- Reach -----------------------------------------------------------------------------


def test_reach_of_the_whole_commune(world, official):
    block = outreach_block(scope_for(official))
    # 8 households; reached h1, h4, h6, h7; poor h1 h3 h6 (h1, h6 reached); near-poor
    # h2 h7 h8 (h7); ethnic minority h3 h4 h6 h7 (h4, h6, h7).
    assert reach_figures(block) == (4, 50.0, 66.7, 33.3, 75.0)
    rows = reach_rows(block)
    assert reach(rows["Thôn 1"]) == (5, 2, 40.0, 2, 1, 1, 0, 2, 1)
    assert reach(rows["Buôn Tiêu"]) == (3, 2, 66.7, 1, 1, 2, 1, 2, 2)
    assert reach(rows["Thôn 2"]) == (0, 0, None, 0, 0, 0, 0, 0, 0)
    total = table(block, "reach-by-village").total
    assert reach(total) == (8, 4, 50.0, 3, 2, 3, 1, 4, 3)


def test_every_village_of_the_scope_in_display_order(world, official, commune):
    block = outreach_block(scope_for(official))
    expected = list(
        Village.objects.filter(commune=commune)
        .order_by("sort_order", "name")
        .values_list("name", flat=True)
    )
    rows = table(block, "reach-by-village").rows
    assert [r.values["village"] for r in rows] == expected
    assert {r.values["village"]: r.marked for r in rows} == {
        "Thôn 1": False,
        "Buôn Tiêu": True,
        "Thôn 2": False,
    }


def test_the_window_ends_today_while_the_period_runs(world, official):
    """Today 15/09/2025, inside the period: the window is 18/06–15/09. h6's visit on
    30/09 is after it; h2's on 02/07 is inside it now."""
    block = outreach_block(scope_for(official, today=date(2025, 9, 15)))
    # Reached: h1 (03/07), h2 (02/07), h4, h7; h6 (30/09) and h5 (01/10) later.
    assert reach_figures(block) == (4, 50.0, 33.3, 66.7, 50.0)
    households_reached = next(
        f for f in block.figures if f.slug == "households_reached"
    )
    assert households_reached.detail == "18/06/2025 – 15/09/2025"


def test_village_filter(world, official, village):
    block = outreach_block(scope_for(official, village=village))
    assert reach_figures(block) == (2, 40.0, 50.0, 0.0, 50.0)
    assert list(reach_rows(block)) == ["Thôn 1"]


def test_ethnic_group_filter(world, official):
    block = outreach_block(scope_for(official, ethnic_group=ede()))
    # Ê Đê heads: h3, h4, h6, h7; reached h4, h6, h7; poor h3, h6; near-poor h7.
    assert reach_figures(block) == (3, 75.0, 50.0, 100.0, 75.0)
    rows = reach_rows(block)
    assert reach(rows["Thôn 1"]) == (2, 1, 50.0, 1, 0, 0, 0, 2, 1)
    assert reach(rows["Buôn Tiêu"]) == (2, 2, 100.0, 1, 1, 1, 1, 2, 2)


def test_shares_are_none_without_households(world, official):
    block = outreach_block(scope_for(official, ethnic_group=kinh()))
    # Kinh heads: h1, h2, h5 in Thôn 1 and h8 in Buôn Tiêu: no ethnic minority.
    assert reach_figures(block) == (1, 25.0, 100.0, 0.0, None)


def test_village_officer_sees_their_village_only(world, officer, other_village):
    block = outreach_block(scope_for(officer))
    assert list(reach_rows(block)) == ["Thôn 1"]
    assert reach_figures(block) == (2, 40.0, 50.0, 0.0, 50.0)
    # Another village is not theirs: nothing is counted.
    other = outreach_block(scope_for(officer, village=other_village))
    assert reach_figures(other) == (0, None, None, None, None)
    assert table(other, "reach-by-village").rows == ()
    assert figures(other)["digital_teams"] == 0


def test_another_commune_counts_its_own(world, foreign_village, other_commune):
    neighbour = UserFactory(role=Role.COMMUNE_OFFICIAL, commune=other_commune)
    block = outreach_block(scope_for(neighbour))
    assert reach_figures(block) == (1, 100.0, 100.0, None, None)


# --- Digital teams -----------------------------------------------------------------------


@pytest.fixture
def teams(village, other_village, foreign_village):
    """Thôn 1: three members, one of whom left; Buôn Tiêu: two; the neighbour: four."""
    first = DigitalTeamFactory(village=village)
    TeamMemberFactory.create_batch(2, team=first)
    TeamMemberFactory(team=first, left_on=date(2025, 5, 1))
    TeamMemberFactory.create_batch(2, team=DigitalTeamFactory(village=other_village))
    TeamMemberFactory.create_batch(4, team=DigitalTeamFactory(village=foreign_village))


def team_figures(block) -> tuple:
    values = figures(block)
    return values["digital_teams"], values["digital_team_members"]


def test_digital_teams_and_active_members(teams, official, village, third_village):
    assert team_figures(outreach_block(scope_for(official))) == (2, 4)
    assert team_figures(outreach_block(scope_for(official, village=village))) == (1, 2)
    assert team_figures(outreach_block(scope_for(official, village=third_village))) == (
        0,
        0,
    )


def test_the_ethnic_filter_does_not_apply_to_teams(teams, official):
    with translation.override("en"):
        block = outreach_block(scope_for(official, ethnic_group=ede()))
    assert team_figures(block) == (2, 4)
    by_slug = {f.slug: f for f in block.figures}
    assert "ethnic group filter does not apply" in by_slug["digital_teams"].detail
    plain = {f.slug: f for f in outreach_block(scope_for(official)).figures}
    assert plain["digital_teams"].detail == ""
    assert plain["digital_teams"].link == reverse("contacts:team_list")


# --- Assisted applications -------------------------------------------------------------


@pytest.fixture
def applications(world):
    """In the period: h1 done (01/07), h6 processing (30/09), h4 done (01/08), the
    archived household refused (01/08). Outside: h2 done 30/06, h1 filed 01/10, and
    the neighbour's application."""

    def filed(hh, day, status):
        return AssistedApplicationFactory(
            household=world[hh], filed_on=day, status=status, helped_by=None
        )

    filed("h1", date(2025, 7, 1), ApplicationStatus.DONE)
    filed("h6", date(2025, 9, 30), ApplicationStatus.PROCESSING)
    filed("h4", date(2025, 8, 1), ApplicationStatus.DONE)
    filed("archived", date(2025, 8, 1), ApplicationStatus.REJECTED)
    filed("h2", date(2025, 6, 30), ApplicationStatus.DONE)
    filed("h1", date(2025, 10, 1), ApplicationStatus.FILED)
    filed("foreign", date(2025, 8, 1), ApplicationStatus.DONE)


def application_cells(block) -> dict:
    rows = table(block, "assisted-applications-by-status").rows
    statuses = [s for s, _label in ApplicationStatus.choices]
    return {s: r.values["applications"] for s, r in zip(statuses, rows, strict=True)}


def test_applications_filed_in_the_period_by_status(applications, official):
    block = outreach_block(scope_for(official))
    assert figures(block)["applications"] == 4
    assert figures(block)["applications_done"] == 2
    assert application_cells(block) == {
        "filed": 0,
        "processing": 1,
        "needs_more": 0,
        "done": 2,
        "rejected": 1,
    }
    assert (
        table(block, "assisted-applications-by-status").total.values["applications"]
        == 4
    )


def test_applications_filtered_by_village_and_ethnic_group(
    applications, official, village
):
    block = outreach_block(scope_for(official, village=village))
    assert application_cells(block) == {
        "filed": 0,
        "processing": 0,
        "needs_more": 0,
        "done": 2,
        "rejected": 1,
    }
    ede_block = outreach_block(scope_for(official, ethnic_group=ede()))
    assert figures(ede_block)["applications"] == 2  # h6, h4
    assert figures(ede_block)["applications_done"] == 1


def test_application_links(applications, official, officer, village):
    block = outreach_block(scope_for(official))
    rows = table(block, "assisted-applications-by-status").rows
    done = rows[[s for s, _ in ApplicationStatus.choices].index("done")]
    base = reverse("contacts:application_list")
    period = {"filed_from": "01/07/2025", "filed_to": "30/09/2025"}
    assert done.links == {
        "applications": f"{base}?" + urlencode({"status": "done", **period})
    }
    total = table(block, "assisted-applications-by-status").total
    assert total.links == {"applications": f"{base}?{urlencode(period)}"}
    mine = outreach_block(scope_for(officer))
    by_slug = {f.slug: f for f in mine.figures}
    assert by_slug["applications"].link == (
        f"{base}?" + urlencode({**period, "village": village.pk})
    )
    assert figures(mine)["applications"] == 3


# --- Notice deliveries -----------------------------------------------------------------


@pytest.fixture
def deliveries(
    commune, village, other_village, foreign_village, other_commune, official
):
    """Notices sent out at 00:30 on 01/07 and 23:30 on 30/09 count; at 23:30 on 30/06
    and 06:00 on 01/10 (23:00 on 30/09 in UTC) they do not.

    n1 (01/07): Thôn 1 zalo sent, sms failed, relay confirmed, e-mail queued, console
                sent; Buôn Tiêu zalo wired, relay queued.
    n2 (30/09): Thôn 1 zalo failed, sms sent; Buôn Tiêu zalo sent.
    """
    g = {
        "zalo": VillageGroupFactory(village=village, channel=GroupChannel.ZALO),
        "sms": VillageGroupFactory(
            village=village, channel=GroupChannel.SMS, external_id="0912000001"
        ),
        "relay": VillageGroupFactory(
            village=village, channel=GroupChannel.RELAY, external_id=""
        ),
        "email": VillageGroupFactory(
            village=village, channel=GroupChannel.EMAIL, external_id="t1@example.vn"
        ),
        "console": VillageGroupFactory(
            village=village, channel=GroupChannel.CONSOLE, external_id=""
        ),
        "bt_zalo": VillageGroupFactory(
            village=other_village, channel=GroupChannel.ZALO
        ),
        "bt_relay": VillageGroupFactory(
            village=other_village, channel=GroupChannel.RELAY, external_id=""
        ),
    }

    def notice(when, of=commune):
        return NoticeFactory(
            commune=of,
            status=NoticeStatus.DONE,
            scheduled_at=when,
            dispatched_at=when,
        )

    def deliver(n, group, status):
        extra = {}
        if status == DeliveryStatus.SENT:
            extra = {"provider_id": f"msg-{group.pk}", "sent_at": n.dispatched_at}
        elif status == DeliveryStatus.FAILED:
            extra = {"error": "timeout", "failed_at": n.dispatched_at}
        elif status == DeliveryStatus.WIRED:
            extra = {"wired_at": n.dispatched_at}
        return DeliveryFactory(notice=n, group=group, status=status, **extra)

    n1 = notice(at(2025, 7, 1, 0, 30))
    deliver(n1, g["zalo"], DeliveryStatus.SENT)
    deliver(n1, g["sms"], DeliveryStatus.FAILED)
    relay = deliver(n1, g["relay"], DeliveryStatus.SENT)
    relay.provider_id = f"relay:{official.pk}"
    relay.confirmed_by = official
    relay.save()
    deliver(n1, g["email"], DeliveryStatus.QUEUED)
    deliver(n1, g["console"], DeliveryStatus.SENT)
    deliver(n1, g["bt_zalo"], DeliveryStatus.WIRED)
    deliver(n1, g["bt_relay"], DeliveryStatus.QUEUED)
    n2 = notice(at(2025, 9, 30, 23, 30))
    deliver(n2, g["zalo"], DeliveryStatus.FAILED)
    deliver(n2, g["sms"], DeliveryStatus.SENT)
    deliver(n2, g["bt_zalo"], DeliveryStatus.SENT)
    deliver(notice(at(2025, 6, 30, 23, 30)), g["zalo"], DeliveryStatus.SENT)
    deliver(notice(at(2025, 10, 1, 6, 0)), g["zalo"], DeliveryStatus.FAILED)
    foreign = VillageGroupFactory(village=foreign_village, channel=GroupChannel.ZALO)
    deliver(notice(at(2025, 8, 1, 8), of=other_commune), foreign, DeliveryStatus.FAILED)


DELIVERY_KEYS = ("total", "delivered", "failed", "waiting", "rate")


def delivery_rows(block) -> dict:
    t = table(block, "notice-delivery-by-channel")
    rows = {
        r.values["channel"]: tuple(r.values[k] for k in DELIVERY_KEYS) for r in t.rows
    }
    rows["total"] = tuple(t.total.values[k] for k in DELIVERY_KEYS)
    return rows


def english(scope):
    with translation.override("en"):
        return outreach_block(scope)


def test_delivery_rate_by_channel(deliveries, official):
    block = english(scope_for(official))
    assert delivery_rows(block) == {
        "Zalo group": (4, 2, 1, 1, 50.0),
        "SMS list": (2, 1, 1, 0, 50.0),
        "E-mail list": (1, 0, 0, 1, 0.0),
        "Relay by the village officer": (2, 1, 0, 1, 50.0),
        "Console (developer's log)": (1, 1, 0, 0, 100.0),
        "total": (10, 5, 2, 3, 50.0),
    }
    assert list(delivery_rows(block))[:5] == [
        "Zalo group",
        "SMS list",
        "E-mail list",
        "Relay by the village officer",
        "Console (developer's log)",
    ]
    rate = next(f for f in block.figures if f.slug == "notice_delivery_rate")
    assert rate.value == 50.0
    assert rate.detail == "5 of 10 deliveries"


def test_delivery_rate_of_one_village(deliveries, official, village, other_village):
    block = english(scope_for(official, village=village))
    assert delivery_rows(block) == {
        "Zalo group": (2, 1, 1, 0, 50.0),
        "SMS list": (2, 1, 1, 0, 50.0),
        "E-mail list": (1, 0, 0, 1, 0.0),
        "Relay by the village officer": (1, 1, 0, 0, 100.0),
        "Console (developer's log)": (1, 1, 0, 0, 100.0),
        "total": (7, 4, 2, 1, 57.1),
    }
    # Only the channels used: Buôn Tiêu has no SMS, e-mail or console group.
    assert delivery_rows(english(scope_for(official, village=other_village))) == {
        "Zalo group": (2, 1, 0, 1, 50.0),
        "Relay by the village officer": (1, 0, 0, 1, 0.0),
        "total": (3, 1, 0, 2, 33.3),
    }


def test_the_ethnic_filter_does_not_apply_to_notices(deliveries, official):
    block = english(scope_for(official, ethnic_group=ede()))
    assert delivery_rows(block)["total"] == (10, 5, 2, 3, 50.0)
    note = table(block, "notice-delivery-by-channel").note
    assert "ethnic group filter does not apply" in note


def test_no_delivery_has_no_rate(world, official):
    block = outreach_block(scope_for(official))
    assert figures(block)["notice_delivery_rate"] is None
    assert table(block, "notice-delivery-by-channel").rows == ()


# --- Links, labels, chart ----------------------------------------------------------------


def test_reach_links(world, official, other_village):
    """The coverage pages count the 90 days up to today: they are linked when the
    window ends today (a period not over), not for a past quarter."""
    today = date(2025, 9, 15)
    block = outreach_block(scope_for(official, today=today))
    row = reach_rows(block)["Buôn Tiêu"]
    coverage = reverse("contacts:coverage_households")
    households = reverse("households:household_list")
    pk = other_village.pk
    assert row.links == {
        "households": f"{households}?village={pk}",
        "poor": f"{households}?village={pk}&status=poor",
        "near_poor": f"{households}?village={pk}&status=near_poor",
        "reached": f"{coverage}?days=90&show=reached&village={pk}",
        "share": f"{coverage}?days=90&show=reached&village={pk}",
        "minority_reached": f"{coverage}?days=90&show=minority_reached&village={pk}",
    }
    total = table(block, "reach-by-village").total
    assert total.links["reached"] == f"{coverage}?days=90&show=reached"
    past = reach_rows(outreach_block(scope_for(official)))["Buôn Tiêu"]
    assert set(past.links) == {"households", "poor", "near_poor"}
    ethnic = reach_rows(
        outreach_block(scope_for(official, today=today, ethnic_group=ede()))
    )["Buôn Tiêu"]
    assert ethnic.links == {
        "households": f"{households}?village={pk}&ethnic_group={ede().pk}",
        "poor": f"{households}?village={pk}&status=poor&ethnic_group={ede().pk}",
        "near_poor": (
            f"{households}?village={pk}&status=near_poor&ethnic_group={ede().pk}"
        ),
    }


def test_labels_and_charts(world, official):
    block = english(scope_for(official))
    assert block.title == "Outreach"
    assert [f.label for f in block.figures] == [
        "Households reached in 90 days",
        "Share of households reached",
        "Share of poor households reached",
        "Share of near-poor households reached",
        "Share of ethnic-minority households reached",
        "Digital teams",
        "Digital team members",
        "Assisted online applications",
        "Applications with the result received",
        "Notice delivery rate",
    ]
    assert [t.title for t in block.tables] == [
        "Households reached by village",
        "Assisted online applications by status",
        "Notice delivery rate by channel",
    ]
    reach_table = table(block, "reach-by-village")
    assert [c.key for c in reach_table.columns] == ["village", *REACH_KEYS]
    assert reach_table.chart.kind == "bar"
    assert reach_table.chart.horizontal
    assert reach_table.chart.series == ("share",)
    assert reach_table.marked_label == "ethnic-minority hamlet"
    assert "from 03/07/2025 to 30/09/2025 (90 days)" in reach_table.note
    delivery = table(block, "notice-delivery-by-channel")
    assert delivery.chart.series == ("rate",)
    assert [c.label for c in delivery.columns] == [
        "Channel",
        "Deliveries",
        "Delivered",
        "Failed",
        "Waiting",
        "Delivery rate",
    ]
    statuses = table(block, "assisted-applications-by-status")
    assert [r.values["status"] for r in statuses.rows] == [
        "Filed",
        "Being processed",
        "More papers needed",
        "Result received",
        "Refused",
    ]


def test_labels_in_vietnamese(world, official):
    block = outreach_block(scope_for(official))
    reach_table = table(block, "reach-by-village")
    assert reach_table.title == "Hộ được tiếp cận theo thôn/buôn"
    assert reach_table.marked_label == "buôn đồng bào dân tộc thiểu số"
    assert reach_table.total.values["village"] == "Tất cả thôn/buôn"
    assert block.figures[0].label == "Hộ được tiếp cận trong 90 ngày"


# --- Queries ---------------------------------------------------------------------------


def populate(village, size: int, start: int = 0) -> None:
    """``size`` households with a contact, an application, a team member and a
    delivery each."""
    team = DigitalTeamFactory(village=village)
    for n in range(start, start + size):
        hh = household(village, "poor" if n % 2 else "near_poor", ede())
        contact(hh, date(2025, 8, 1 + n % 28))
        AssistedApplicationFactory(
            household=hh, filed_on=date(2025, 8, 1), helped_by=None
        )
        TeamMemberFactory(team=team)
        group = VillageGroupFactory(village=village)
        when = at(2025, 8, 1, 8)
        DeliveryFactory(
            notice=NoticeFactory(
                commune=village.commune,
                status=NoticeStatus.DONE,
                scheduled_at=when,
                dispatched_at=when,
            ),
            group=group,
        )


def queries(scope) -> int:
    with CaptureQueriesContext(connection) as ctx:
        outreach_block(scope)
    return len(ctx.captured_queries)


def test_five_queries_whatever_the_size(
    official, village, other_village, django_assert_max_num_queries
):
    populate(village, 2)
    populate(other_village, 1)
    scope = scope_for(official)
    small = queries(scope)
    populate(village, 20, start=2)
    populate(other_village, 10, start=1)
    with django_assert_max_num_queries(6):
        assert queries(scope) == small == 5
    block = outreach_block(scope)
    assert figures(block)["households_reached"] == 33
    assert figures(block)["digital_team_members"] == 33
    assert figures(block)["applications"] == 33
    assert delivery_rows(block)["total"][0] == 33
