"""Correcting a recorded review: proposal made again, reason kept, nothing deleted."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from eakutur.audit.models import AuditEntry
from households import services
from households.models import DeprivationIndicator, PovertyReview, PovertyStatus
from tests.factories import HouseholdFactory


def _indicators(*codes):
    return list(DeprivationIndicator.objects.filter(code__in=codes))


@pytest.fixture
def review(official, village):
    household = HouseholdFactory(village=village)
    return services.poverty_review_record(
        actor=official,
        household=household,
        year=2025,
        income_per_person=1_200_000,
        deprivations=_indicators("latrine", "housing_area", "water_source"),
    )


def test_correcting_the_income_makes_the_proposal_again(official, review):
    corrected = services.poverty_review_correct(
        actor=official,
        review=review,
        income_per_person=1_900_000,
        deprivations=[],
        reason="thu nhập nhập nhầm",
    )
    assert corrected.pk == review.pk
    assert corrected.status == corrected.proposed_status == PovertyStatus.AVERAGE
    corrected.household.refresh_from_db()
    assert corrected.household.current_status == PovertyStatus.AVERAGE
    entry = AuditEntry.objects.get(object_id=review.pk, action="update")
    assert entry.note == "thu nhập nhập nhầm"
    assert entry.changes["income_per_person"] == [1_200_000, 1_900_000]
    assert PovertyReview.objects.count() == 1


def test_a_correction_needs_a_reason_and_changes_nothing_without_one(official, review):
    with pytest.raises(ValidationError):
        services.poverty_review_correct(
            actor=official,
            review=review,
            income_per_person=2_000_000,
            deprivations=[],
            reason="  ",
        )
    review.refresh_from_db()
    assert review.income_per_person == 1_200_000
    assert not AuditEntry.objects.filter(object_id=review.pk, action="update").exists()


def test_an_officer_cannot_correct_another_villages_review(
    officer_client, official, other_village
):
    household = HouseholdFactory(village=other_village)
    review = services.poverty_review_record(
        actor=official,
        household=household,
        year=2025,
        income_per_person=1_000_000,
        deprivations=[],
    )
    url = reverse("households:review_update", args=[household.pk, review.pk])
    assert officer_client.get(url).status_code == 404
    officer_client.post(
        url, {"income_per_person": 3_000_000, "reason": "x", "action": "save"}
    )
    review.refresh_from_db()
    assert review.income_per_person == 1_000_000


def test_the_correction_page_proposes_then_saves(official_client, review):
    url = reverse("households:review_update", args=[review.household_id, review.pk])
    page = official_client.get(url)
    assert page.status_code == 200
    assert 'value="1.200.000"' in page.content.decode()  # shown as people write it
    data = {
        "income_per_person": 1_400_000,
        "deprivations": [d.pk for d in _indicators("latrine")],
        "reason": "bổ sung giấy tờ",
    }
    proposed = official_client.post(url, {**data, "action": "propose"})
    assert proposed.status_code == 200
    assert "cận nghèo" in proposed.content.decode()
    review.refresh_from_db()
    assert review.income_per_person == 1_200_000  # proposing saves nothing
    saved = official_client.post(url, {**data, "action": "save"})
    assert saved.status_code == 302
    review.refresh_from_db()
    assert review.income_per_person == 1_400_000
    assert review.status == PovertyStatus.NEAR_POOR
