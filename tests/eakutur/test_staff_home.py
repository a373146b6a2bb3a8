"""The staff home's outreach section: what is waiting for the person who logs in."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from outreach.models import NoticeStatus
from tests.factories import HouseholdFactory
from tests.factories.outreach import ContactFactory, NoticeFactory
from tests.pages import text_of

pytestmark = pytest.mark.django_db


def _card(response, element_id: str) -> str:
    html = text_of(response)
    match = re.search(rf'<a [^>]*id="{element_id}".*?</a>', html, re.S)
    assert match, f"no #{element_id} on the page"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(0)).split())


def _follow_up(village, *, days: int):
    today = timezone.localdate()
    household = HouseholdFactory(village=village, commune=village.commune)
    return ContactFactory(
        household=household,
        contacted_on=today - timedelta(days=30),
        follow_up_on=today + timedelta(days=days),
    )


def test_a_village_officer_sees_the_follow_ups_due_in_their_village_only(
    officer_client, village, other_village
):
    _follow_up(village, days=-3)  # overdue
    _follow_up(village, days=0)  # due today
    _follow_up(village, days=5)  # open, not due yet
    _follow_up(other_village, days=-1)  # not theirs

    response = officer_client.get(reverse("staff_home"))

    card = _card(response, "follow-ups-due")
    assert "Hẹn theo dõi đến hạn 2 " in card
    assert "1 quá hạn" in card
    assert "3 chưa xong" in card
    assert 'id="notices-to-approve"' not in text_of(response)


def test_an_official_sees_the_notices_awaiting_approval(official_client, commune):
    NoticeFactory(commune=commune, status=NoticeStatus.SUBMITTED)
    NoticeFactory(commune=commune, status=NoticeStatus.DRAFT)

    response = official_client.get(reverse("staff_home"))

    card = _card(response, "notices-to-approve")
    assert card == "Thông báo chờ duyệt 1"


def test_the_trainings_of_the_coming_week_are_listed(official_client, village):
    from tests.factories.trainings import SessionFactory

    soon = SessionFactory(
        village=village,
        course__commune=village.commune,
        course__title="Tái canh cà phê",
        starts_at=timezone.now() + timedelta(days=2),
    )
    SessionFactory(
        village=village,
        course__commune=village.commune,
        course__title="Lớp tháng sau",
        starts_at=timezone.now() + timedelta(days=20),
    )

    response = official_client.get(reverse("staff_home"))

    week = text_of(response).split('id="trainings-this-week"')[1].split("</div>")[0]
    assert "Tái canh cà phê" in week
    assert f"/trainings/sessions/{soon.pk}/" in week
    assert "Lớp tháng sau" not in week
