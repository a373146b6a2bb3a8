"""The notice screens through the test client: compose with its preview, the notice's
page and its actions, the list, the outbox and the groups, each within the user's scope.

"Now" is pinned to 15/06/2025 09:30 in Asia/Ho_Chi_Minh. Pages are served in Vietnamese;
expected texts are looked up in the Vietnamese catalogue with ``vi()``.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from eakutur.audit.models import AuditEntry
from outreach.models import (
    Audience,
    Delivery,
    DeliveryStatus,
    GroupChannel,
    Notice,
    NoticeStatus,
)
from outreach.services import notice_text
from tests.factories import VillageFactory
from tests.factories.outreach import (
    DeliveryFactory,
    NoticeFactory,
    VillageGroupFactory,
    groups_for,
)
from tests.pages import assert_not_shows, assert_shows, text_of, vi

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2025, 6, 15, 9, 30, tzinfo=HCM)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def vi_n(singular: str, plural: str, n: int, **params) -> str:
    with translation.override("vi"):
        text = ngettext(singular, plural, n)
    return text % (params or {"n": n})


@pytest.fixture
def third_village(commune):
    return VillageFactory(commune=commune, code="T03", name="Thôn 3")


@pytest.fixture
def groups(village, other_village, third_village):
    """Thôn 1 has two groups, Buôn Tiêu one, Thôn 3 none."""
    made = groups_for([village, other_village], channel=GroupChannel.CONSOLE)
    made.append(
        VillageGroupFactory(
            village=village, channel=GroupChannel.SMS, external_id="0912345678"
        )
    )
    return made


def compose(**overrides) -> dict:
    data = {
        "title": "Họp dân về tiêm chủng",
        "body": "Mời bà con đến nhà văn hoá lúc 8 giờ.",
        "audience": Audience.CHOSEN_VILLAGES,
        "villages": [],
        "second_language": "",
        "body_second": "",
        "second_language_villages": [],
        "send_on": "15/06/2025",
        "send_time": "10:00",
        "action": "save",
    }
    data.update(overrides)
    return data


CREATE = "outreach:notice_create"


def detail_url(notice) -> str:
    return reverse("outreach:notice_detail", args=[notice.pk])


# --- Compose ----------------------------------------------------------------------------


def test_compose_defaults_to_ten_minutes_from_now(official_client):
    response = official_client.get(reverse(CREATE))
    assert response.status_code == 200
    assert_shows(response, 'value="15/06/2025"', 'value="09:40"')
    assert_shows(response, vi("Save and schedule"), vi("Preview"))


def test_official_previews_then_saves_and_schedules(
    official_client, official, village, other_village, third_village, groups
):
    data = compose(
        villages=[village.pk, other_village.pk, third_village.pk],
        second_language="Ê Đê",
        body_second="Bi mguôp hlăm sang kdrăm.",
        second_language_villages=[other_village.pk],
        action="preview",
    )
    response = official_client.post(reverse(CREATE), data)
    assert response.status_code == 200
    assert not Notice.objects.exists()
    preview = {row.village.pk: row for row in response.context["preview"]}
    assert {pk: row.groups for pk, row in preview.items()} == {
        village.pk: 2,
        other_village.pk: 1,
        third_village.pk: 0,
    }
    plain = Notice(title=data["title"], body=data["body"])
    assert preview[village.pk].text == notice_text(plain, with_second_language=False)
    assert "[Ê Đê]\nBi mguôp" in preview[other_village.pk].text
    assert_shows(
        response,
        "Thôn 1",
        "Buôn Tiêu",
        "Thôn 3",
        vi_n("%(n)s group", "%(n)s groups", 2),
        vi("no group: will not receive it"),
        "Mời bà con đến nhà văn hoá lúc 8 giờ.",
        "Bi mguôp hlăm sang kdrăm.",
    )
    # The form comes back filled in: saving is one more tap.
    assert_shows(response, 'value="Họp dân về tiêm chủng"')

    response = official_client.post(
        reverse(CREATE),
        {**data, "villages": [village.pk, other_village.pk]} | {"action": "save"},
    )
    notice = Notice.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(notice)
    assert notice.status == NoticeStatus.SCHEDULED
    assert notice.approved_by == official
    assert notice.scheduled_at == datetime(2025, 6, 15, 10, 0, tzinfo=HCM)
    assert set(notice.villages.all()) == {village, other_village}
    assert AuditEntry.objects.filter(object_id=notice.pk).count() >= 1
    page = official_client.get(response["Location"])
    assert_shows(page, vi("The notice is scheduled."), "15/06/2025 10:00")


def test_a_past_send_at_is_refused_and_nothing_saved(official_client, village, groups):
    response = official_client.post(
        reverse(CREATE), compose(villages=[village.pk], send_time="08:00")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["send_on"] == [
        vi("Choose a time from now on, not in the past.")
    ]
    assert_shows(response, vi("Choose a time from now on, not in the past."))
    assert not Notice.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_notice_reaching_no_group_is_not_saved(official_client, third_village):
    response = official_client.post(
        reverse(CREATE), compose(villages=[third_village.pk])
    )
    assert response.status_code == 200
    assert_shows(
        response,
        vi("This notice reaches no active village group; add a group first."),
    )
    assert not Notice.objects.exists()


def test_village_officer_sees_only_their_village(
    officer_client, village, other_village
):
    response = officer_client.get(reverse(CREATE))
    form = response.context["form"]
    assert list(form.fields["villages"].queryset) == [village]
    assert [c[0] for c in form.fields["audience"].choices] == [Audience.CHOSEN_VILLAGES]
    assert_shows(response, "Thôn 1", vi("Save and ask for approval"))
    assert_not_shows(response, "Buôn Tiêu", vi("Save and schedule"))


def test_village_officer_cannot_post_another_village(officer_client, other_village):
    response = officer_client.post(
        reverse(CREATE), compose(villages=[other_village.pk])
    )
    assert response.status_code == 200
    assert "villages" in response.context["form"].errors
    response = officer_client.post(
        reverse(CREATE),
        compose(audience=Audience.ALL_VILLAGES, villages=[]),
    )
    assert "audience" in response.context["form"].errors
    assert not Notice.objects.exists()


def test_officer_notice_awaits_approval_and_the_official_approves_it(
    officer_client, officer, village, groups, client_for, official
):
    response = officer_client.post(reverse(CREATE), compose(villages=[village.pk]))
    notice = Notice.objects.get()
    assert response["Location"] == detail_url(notice)
    assert notice.status == NoticeStatus.SUBMITTED
    assert notice.author == officer and notice.approved_by is None
    page = officer_client.get(detail_url(notice))
    assert_shows(page, vi("awaiting approval"))
    assert_not_shows(page, vi("Approve and schedule"))
    schedule_url = reverse("outreach:notice_schedule", args=[notice.pk])
    assert (
        officer_client.post(
            schedule_url, {"send_on": "15/06/2025", "send_time": "11:00"}
        ).status_code
        == 403
    )

    official_client = client_for(official)
    page = official_client.get(detail_url(notice))
    assert_shows(page, vi("Approve and schedule"))
    confirm = official_client.get(schedule_url)
    assert confirm.status_code == 200
    assert_shows(confirm, 'value="15/06/2025"', 'value="10:00"')  # the proposed time
    response = official_client.post(
        schedule_url, {"send_on": "15/06/2025", "send_time": "11:00"}
    )
    assert response["Location"] == detail_url(notice)
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.SCHEDULED
    assert notice.approved_by == official
    assert notice.scheduled_at == datetime(2025, 6, 15, 11, 0, tzinfo=HCM)


# --- Actions ----------------------------------------------------------------------------


def test_cancel_needs_a_reason_and_shows_it(official_client, commune, official):
    notice = NoticeFactory(
        commune=commune,
        author=official,
        scheduled_at=timezone.now() + timedelta(hours=1),
    )
    url = reverse("outreach:notice_cancel", args=[notice.pk])
    response = official_client.post(url, {"cancel_reason": "  "})
    assert response.status_code == 200
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.SCHEDULED
    response = official_client.post(url, {"cancel_reason": "Hoãn họp vì mưa lớn"})
    assert response["Location"] == detail_url(notice)
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.CANCELLED
    page = official_client.get(detail_url(notice))
    assert_shows(page, "Hoãn họp vì mưa lớn", vi("cancelled"))
    assert_not_shows(page, vi("Cancel the notice"))


def test_resend_failed_deliveries(official_client, commune, village):
    notice = NoticeFactory(commune=commune, status=NoticeStatus.DONE)
    failed = DeliveryFactory(
        notice=notice,
        group__village=village,
        status=DeliveryStatus.FAILED,
        error="Zalo -124: nhóm không tồn tại",
        failed_at=timezone.now(),
        attempts=1,
    )
    page = official_client.get(detail_url(notice))
    assert_shows(page, vi("Resend failed deliveries"), "Zalo -124: nhóm không tồn tại")
    url = reverse("outreach:notice_resend", args=[notice.pk])
    response = official_client.post(url)
    assert response["Location"] == detail_url(notice)
    failed.refresh_from_db()
    notice.refresh_from_db()
    assert failed.status == DeliveryStatus.QUEUED and failed.attempts == 0
    assert notice.status == NoticeStatus.DISPATCHED
    # Nothing failed any more: the page offers no resend, the URL refuses politely.
    assert_not_shows(
        official_client.get(detail_url(notice)), vi("Resend failed deliveries")
    )


def snapshot():
    return (
        list(
            Notice.objects.values_list("pk", "status", "scheduled_at", "cancel_reason")
        ),
        list(Delivery.objects.values_list("pk", "status", "attempts")),
        AuditEntry.objects.count(),
    )


def test_get_on_action_urls_changes_nothing(official_client, commune, village):
    submitted = NoticeFactory(
        commune=commune,
        status=NoticeStatus.SUBMITTED,
        approved_by=None,
        approved_at=None,
        scheduled_at=timezone.now() + timedelta(hours=1),
    )
    done = NoticeFactory(commune=commune, status=NoticeStatus.DONE)
    DeliveryFactory(
        notice=done,
        group__village=village,
        status=DeliveryStatus.FAILED,
        error="hết hạn",
        failed_at=timezone.now(),
    )
    before = snapshot()
    for name, notice in [
        ("outreach:notice_schedule", submitted),
        ("outreach:notice_cancel", submitted),
        ("outreach:notice_resend", done),
    ]:
        response = official_client.get(reverse(name, args=[notice.pk]))
        assert response.status_code == 200
        assert "<form" in text_of(response)
    assert snapshot() == before


# --- The notice's page ------------------------------------------------------------------


def test_detail_lists_deliveries_by_village_with_the_failure_reason(
    official_client, commune, village, other_village
):
    notice = NoticeFactory(
        commune=commune, status=NoticeStatus.DISPATCHED, dispatched_at=timezone.now()
    )
    DeliveryFactory(
        notice=notice,
        group__village=village,
        group__name="Zalo Thôn 1",
        status=DeliveryStatus.SENT,
        provider_id="zalo-msg-777",
        sent_at=timezone.now(),
        attempts=1,
    )
    DeliveryFactory(
        notice=notice,
        group__village=other_village,
        group__name="Zalo Buôn Tiêu",
        status=DeliveryStatus.FAILED,
        error="Nhóm đã bị giải tán",
        failed_at=timezone.now(),
        attempts=3,
    )
    response = official_client.get(detail_url(notice))
    page = text_of(response)
    assert '<meta http-equiv="refresh" content="30">' in page  # still sending
    assert page.index("Thôn 1") < page.index("Zalo Thôn 1") < page.index("Buôn Tiêu")
    assert (
        page.index("Buôn Tiêu")
        < page.index("Zalo Buôn Tiêu")
        < page.index("Nhóm đã bị giải tán")
    )
    assert_shows(response, "zalo-msg-777", vi("sent"), vi("failed"))


def test_a_finished_notice_does_not_refresh(official_client, commune):
    notice = NoticeFactory(commune=commune, status=NoticeStatus.DONE)
    assert_not_shows(official_client.get(detail_url(notice)), 'http-equiv="refresh"')


# --- The list ---------------------------------------------------------------------------


def make_notices(commune, villages, n):
    for i in range(n):
        notice = NoticeFactory(
            commune=commune,
            audience=Audience.CHOSEN_VILLAGES,
            villages=villages,
            status=NoticeStatus.DISPATCHED,
        )
        for v in villages:
            DeliveryFactory(
                notice=notice,
                group__village=v,
                status=DeliveryStatus.SENT if i % 2 else DeliveryStatus.FAILED,
                provider_id="p",
                sent_at=timezone.now(),
                error="lỗi",
                failed_at=timezone.now(),
            )


@pytest.mark.parametrize("count", [3, 15])
def test_list_shows_counts_without_n_plus_one(
    official_client,
    commune,
    village,
    other_village,
    count,
    django_assert_max_num_queries,
):
    make_notices(commune, [village, other_village], count)
    with django_assert_max_num_queries(5):
        response = official_client.get(reverse("outreach:notice_list"))
    notices = response.context["notices"]
    assert len(notices) == count
    first = notices[0]
    assert (first.delivery_total, first.village_count) == (2, 2)
    assert_shows(response, vi_n("%(n)s village", "%(n)s villages", 2), "/2")


def test_list_counts_failed_in_red_and_filters(official_client, commune, village):
    failing = NoticeFactory(
        commune=commune, title="Thông báo tiêm phòng", status=NoticeStatus.DONE
    )
    DeliveryFactory(
        notice=failing,
        group__village=village,
        status=DeliveryStatus.FAILED,
        error="x",
        failed_at=timezone.now(),
    )
    NoticeFactory(
        commune=commune,
        title="Lịch họp chi bộ",
        status=NoticeStatus.CANCELLED,
        cancelled_at=timezone.now(),
        cancel_reason="hoãn",
    )
    response = official_client.get(reverse("outreach:notice_list"))
    assert_shows(
        response,
        'class="text-danger fw-semibold" data-counts="failed"',
        "0/1",
        vi("all villages"),
    )
    # Search without diacritics.
    response = official_client.get(reverse("outreach:notice_list"), {"q": "tiem phong"})
    assert [n.title for n in response.context["notices"]] == ["Thông báo tiêm phòng"]
    response = official_client.get(
        reverse("outreach:notice_list"), {"status": NoticeStatus.CANCELLED}
    )
    assert [n.title for n in response.context["notices"]] == ["Lịch họp chi bộ"]


def test_list_filters_by_village(official_client, commune, village, other_village):
    NoticeFactory(
        commune=commune,
        title="Cho thôn 1",
        audience=Audience.CHOSEN_VILLAGES,
        villages=[village],
    )
    NoticeFactory(
        commune=commune, title="Cho buôn", audience=Audience.ETHNIC_MINORITY_VILLAGES
    )
    NoticeFactory(commune=commune, title="Cho tất cả")
    response = official_client.get(
        reverse("outreach:notice_list"), {"village": village.pk}
    )
    assert {n.title for n in response.context["notices"]} == {
        "Cho thôn 1",
        "Cho tất cả",
    }
    response = official_client.get(
        reverse("outreach:notice_list"), {"village": other_village.pk}
    )
    assert {n.title for n in response.context["notices"]} == {"Cho buôn", "Cho tất cả"}


# --- Scope ------------------------------------------------------------------------------


def test_village_officer_outside_their_scope(
    officer_client, commune, village, other_village
):
    theirs = NoticeFactory(
        commune=commune,
        audience=Audience.CHOSEN_VILLAGES,
        villages=[other_village],
        title="Riêng buôn Tiêu",
    )
    ok = NoticeFactory(commune=commune, title="Cho mọi thôn")
    DeliveryFactory(
        notice=ok, group__village=other_village, group__name="Nhóm của buôn"
    )
    for name in ("notice_detail", "notice_schedule", "notice_cancel", "notice_resend"):
        url = reverse(f"outreach:{name}", args=[theirs.pk])
        assert officer_client.get(url).status_code in (403, 404), name
        assert officer_client.post(url, {"cancel_reason": "x"}).status_code in (
            403,
            404,
        )
    assert officer_client.get(reverse("outreach:outbox")).status_code == 403
    for name in ("notice_schedule", "notice_resend"):
        assert (
            officer_client.get(reverse(f"outreach:{name}", args=[ok.pk])).status_code
            == 403
        )
    # The list hides the other village's notice; the page of an all-villages notice shows
    # only deliveries to the officer's own villages.
    listing = officer_client.get(reverse("outreach:notice_list"))
    assert_shows(listing, "Cho mọi thôn")
    assert_not_shows(listing, "Riêng buôn Tiêu")
    page = officer_client.get(detail_url(ok))
    assert page.status_code == 200
    assert_not_shows(page, "Nhóm của buôn", vi("Cancel the notice"))
    theirs.refresh_from_db()
    assert theirs.status == NoticeStatus.SCHEDULED


def test_another_communes_official_gets_404(client_for, foreign_official, commune):
    notice = NoticeFactory(commune=commune)
    assert client_for(foreign_official).get(detail_url(notice)).status_code == 404


def test_pages_need_a_login(client, commune):
    notice = NoticeFactory(commune=commune)
    for url in (
        reverse("outreach:notice_list"),
        reverse(CREATE),
        detail_url(notice),
        reverse("outreach:outbox"),
        reverse("outreach:group_list"),
    ):
        response = client.get(url)
        assert (
            response.status_code == 302 and "/accounts/login/" in response["Location"]
        )


# --- Outbox and groups ------------------------------------------------------------------


def test_outbox_shows_console_deliveries_newest_first(
    official_client, commune, village
):
    console = VillageGroupFactory(
        village=village, channel=GroupChannel.CONSOLE, external_id=""
    )
    old, new = (
        DeliveryFactory(
            notice__commune=commune,
            group=console,
            text=text,
            status=DeliveryStatus.SENT,
            provider_id=f"console-{text}",
            sent_at=timezone.now(),
        )
        for text in ("Tin cũ", "Tin mới nhất")
    )
    DeliveryFactory(
        notice__commune=commune, group__village=village, text="Tin qua Zalo"
    )
    response = official_client.get(reverse("outreach:outbox"))
    assert [d.pk for d in response.context["deliveries"]] == [new.pk, old.pk]
    page = text_of(response)
    assert page.index("Tin mới nhất") < page.index("Tin cũ")
    assert "Tin qua Zalo" not in page


def test_groups_mask_phone_numbers(officer_client, village, other_village):
    VillageGroupFactory(
        village=village,
        channel=GroupChannel.SMS,
        external_id="0912345678, +84987654321",
        name="Danh sách SMS",
    )
    VillageGroupFactory(village=other_village, name="Nhóm buôn khác")
    response = officer_client.get(reverse("outreach:group_list"))
    assert_shows(response, "Danh sách SMS", "•••••••678", "••••••••321")
    assert_not_shows(response, "0912345678", "Nhóm buôn khác")
