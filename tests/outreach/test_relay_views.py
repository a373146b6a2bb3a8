"""The relay screens through the test client: "Notices to forward" for the village
officer, the "Forwarded" button and its refusals, the notice's page showing relay rows,
and the count on the staff home.

"Now" is pinned to 15/06/2025 09:30 in Asia/Ho_Chi_Minh. Pages are served in Vietnamese.
"""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from eakutur.accounts.models import Role
from eakutur.audit.models import AuditEntry
from outreach.models import Delivery, DeliveryStatus, GroupChannel, NoticeStatus
from outreach.services import notice_dispatch_due, relay_confirm, relays_chase
from tests.factories import UserFactory
from tests.factories.outreach import NoticeFactory, groups_for
from tests.pages import assert_not_shows, assert_shows, text_of, vi

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2025, 6, 15, 9, 30, tzinfo=HCM)
RELAYS = reverse("outreach:relay_list")


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def relay_groups(village, other_village):
    mine, theirs = groups_for([village, other_village], channel=GroupChannel.RELAY)
    mine.name, theirs.name = "Nhóm Zalo bà con Thôn 1", "Nhóm Zalo buôn Tiêu"
    mine.save()
    theirs.save()
    return mine, theirs


@pytest.fixture
def notice(clock, commune, relay_groups):
    notice = NoticeFactory(
        commune=commune,
        title="Họp dân về tiêm chủng",
        body="Mời bà con đến nhà văn hoá\nlúc 8 giờ <sáng> thứ Hai.",
    )
    notice_dispatch_due()
    notice.refresh_from_db()
    return notice


@pytest.fixture
def mine(notice, relay_groups):
    return notice.deliveries.get(group=relay_groups[0])


@pytest.fixture
def theirs(notice, relay_groups):
    return notice.deliveries.get(group=relay_groups[1])


def confirm_url(delivery) -> str:
    return reverse("outreach:relay_confirm", args=[delivery.pk])


def reload(obj):
    obj.refresh_from_db()
    return obj


# --- The page ---------------------------------------------------------------------------


def test_the_officer_sees_only_their_villages_relays_with_the_exact_text(
    officer_client, mine, theirs, clock
):
    clock.shift(timedelta(hours=3, minutes=10))
    response = officer_client.get(RELAYS)
    assert response.status_code == 200
    assert [r.pk for r in response.context["relays"]] == [mine.pk]
    page = text_of(response)
    assert "Nhóm Zalo bà con Thôn 1" in page
    assert "Nhóm Zalo buôn Tiêu" not in page
    # The text exactly as the group gets it, escaped in the HTML, line break kept.
    assert f'id="relay-text-{mine.pk}"' in response.content.decode()
    assert mine.text in page
    assert "&lt;sáng&gt;" in response.content.decode()
    assert_shows(
        response,
        vi("waiting for %(since)s", since="3 giờ 10 phút"),
        vi("Forwarded"),
        vi("Copy text"),
        "js/relay.js",
    )


def test_the_copy_button_is_hidden_until_the_script_shows_it(officer_client, mine):
    """Without JavaScript there is no button that does nothing; the text stays
    selectable."""
    html = officer_client.get(RELAYS).content.decode()
    [button] = re.findall(r"<button[^>]*data-copy-target=[^>]*>", html)
    assert f'data-copy-target="relay-text-{mine.pk}"' in button
    assert re.search(r"\shidden>$", button)


def test_an_official_sees_every_village_and_can_filter(
    official_client, mine, theirs, other_village
):
    response = official_client.get(RELAYS)
    assert {r.pk for r in response.context["relays"]} == {mine.pk, theirs.pk}
    filtered = official_client.get(RELAYS, {"village": other_village.pk})
    assert [r.pk for r in filtered.context["relays"]] == [theirs.pk]


def test_nothing_waiting_says_so(officer_client, village):
    response = officer_client.get(RELAYS)
    assert_shows(response, vi("Nothing to forward. Thank you."))


def test_the_page_needs_a_login(client):
    response = client.get(RELAYS)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- Forwarded --------------------------------------------------------------------------


def test_forwarded_marks_it_sent_and_finishes_the_notice(
    officer, officer_client, mine, theirs, notice, official
):
    # The other village's relay, confirmed by the commune.
    relay_confirm(actor=official, delivery=theirs)
    response = officer_client.post(confirm_url(mine), follow=True)
    assert response.redirect_chain[-1][0] == RELAYS
    mine = reload(mine)
    assert (mine.status, mine.confirmed_by, mine.provider_id) == (
        DeliveryStatus.SENT,
        officer,
        f"relay:{officer.pk}",
    )
    assert reload(notice).status == NoticeStatus.DONE
    assert_shows(
        response,
        vi(
            "Thank you. %(title)s is marked as forwarded to %(group)s.",
            title="Họp dân về tiêm chủng",
            group="Nhóm Zalo bà con Thôn 1",
        ),
        vi("Forwarded in the past week"),
    )
    assert response.context["relays"] == []


def test_forwarded_twice_shows_a_message_and_changes_nothing(
    officer_client, officer, mine, clock
):
    officer_client.post(confirm_url(mine))
    clock.shift(timedelta(minutes=3))
    entries = AuditEntry.objects.count()
    response = officer_client.post(confirm_url(mine), follow=True)
    assert response.status_code == 200
    page = text_of(response)
    assert "15/06/2025 09:30" in page
    assert (reload(mine).sent_at, AuditEntry.objects.count()) == (NOW, entries)


def test_another_villages_relay_is_a_404_and_stays_waiting(officer_client, theirs):
    assert officer_client.post(confirm_url(theirs)).status_code == 404
    assert reload(theirs).status == DeliveryStatus.QUEUED
    assert reload(theirs).confirmed_by is None


def test_forwarded_is_post_only(officer_client, mine):
    assert officer_client.get(confirm_url(mine)).status_code == 405
    assert reload(mine).status == DeliveryStatus.QUEUED


def test_a_relay_of_a_cancelled_notice_is_refused_with_a_message(
    officer_client, commune, relay_groups
):
    notice = NoticeFactory(
        commune=commune,
        status=NoticeStatus.CANCELLED,
        cancelled_at=timezone.now(),
        cancel_reason="Đổi lịch",
    )
    relay = Delivery.objects.create(notice=notice, group=relay_groups[0], text="Họp")
    # Not listed among the notices to forward …
    assert officer_client.get(RELAYS).context["relays"] == []
    # … and a stale page's button says why nothing happened.
    response = officer_client.post(confirm_url(relay), follow=True)
    assert_shows(
        response,
        vi("This notice was cancelled: do not forward it. Nothing was changed."),
    )
    assert reload(relay).status == DeliveryStatus.QUEUED


def test_the_village_filter_is_kept_after_forwarding(official_client, mine, village):
    response = official_client.post(confirm_url(mine), {"village": village.pk})
    assert response["Location"] == f"{RELAYS}?village={village.pk}"


# --- The notice's page and the staff home -----------------------------------------------


def test_the_notice_page_shows_relays_waiting_then_who_forwarded(
    official_client, officer, mine, theirs, notice, clock
):
    clock.shift(timedelta(hours=2))
    relays_chase()
    url = reverse("outreach:notice_detail", args=[notice.pk])
    response = official_client.get(url)
    assert_shows(
        response,
        vi("waiting for the village officer to forward"),
        vi("Forward it now"),
    )
    relay_confirm(actor=officer, delivery=mine)
    response = official_client.get(url)
    page = text_of(response)
    row = page[page.index(f'data-delivery="{mine.pk}"') :]
    row = row[: row.index("</tr>")]
    assert vi("forwarded") in row
    assert officer.get_full_name() in row
    assert "15/06/2025 11:30" in row
    other = page[page.index(f'data-delivery="{theirs.pk}"') :]
    assert (
        vi("waiting for the village officer to forward")
        in other[: other.index("</tr>")]
    )
    assert response.context["counts"]["sent"] == 1


def test_the_notice_page_shows_a_given_up_relay_as_not_delivered(
    official_client, notice, clock
):
    clock.shift(timedelta(hours=48))
    relays_chase()
    response = official_client.get(reverse("outreach:notice_detail", args=[notice.pk]))
    assert_shows(
        response,
        vi("not forwarded by the village officer: counted as not delivered"),
    )
    assert response.context["counts"]["failed"] == 2
    assert response.context["counts"]["sent"] == 0


def test_staff_home_counts_the_officers_relays(
    officer_client, official, client_for, mine, theirs, relay_groups
):
    response = officer_client.get(reverse("staff_home"))
    assert response.context["relays_waiting"] == 1
    assert_shows(response, vi("Notices to forward"))
    assert RELAYS in text_of(response)
    assert (
        client_for(official).get(reverse("staff_home")).context["relays_waiting"] == 2
    )


def test_staff_home_without_relays_shows_nothing_about_them(officer_client, village):
    response = officer_client.get(reverse("staff_home"))
    assert response.context["relays_waiting"] == 0
    assert_not_shows(response, 'id="relays-waiting"')


def test_an_officer_of_two_villages_gets_the_filter(
    commune, village, other_village, client_for, mine, theirs
):
    both = UserFactory(
        role=Role.VILLAGE_OFFICER, commune=commune, villages=[village, other_village]
    )
    response = client_for(both).get(RELAYS)
    assert response.context["show_filter"] is True
    assert len(response.context["relays"]) == 2


def test_the_relay_page_query_count_does_not_grow(
    officer_client, commune, relay_groups, clock, django_assert_max_num_queries
):
    for n in range(3):
        NoticeFactory(commune=commune, title=f"Thông báo {n}")
    notice_dispatch_due()
    officer_client.get(RELAYS)
    with django_assert_max_num_queries(12) as few:
        officer_client.get(RELAYS)
    for n in range(10):
        NoticeFactory(commune=commune, title=f"Thông báo thêm {n}")
    notice_dispatch_due()
    with django_assert_max_num_queries(len(few)):
        officer_client.get(RELAYS)
