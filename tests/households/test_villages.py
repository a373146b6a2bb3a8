"""Managing villages in the portal: commune-wide roles only, audited, validated."""

import pytest
from django.urls import reverse

from eakutur.audit.models import AuditEntry
from households.models import Village


def test_an_official_adds_a_village(official_client, commune):
    response = official_client.post(
        reverse("households:village_create"),
        {"code": "t45", "name": "  Thôn   Ea Nao ", "kind": "thon", "sort_order": 45},
    )
    village = Village.objects.get(code="T45")
    assert response.status_code == 302
    assert response["Location"] == village.get_absolute_url()
    assert village.name == "Thôn Ea Nao" and village.commune == commune
    assert AuditEntry.objects.filter(object_id=village.pk, action="create").exists()


def test_a_duplicate_code_is_refused_with_a_message(official_client, village):
    response = official_client.post(
        reverse("households:village_create"),
        {"code": village.code, "name": "Thôn Khác", "kind": "thon", "sort_order": 2},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert Village.objects.filter(code=village.code).count() == 1


def test_an_official_renames_a_village_and_the_change_is_on_its_page(
    official_client, village
):
    url = reverse("households:village_update", args=[village.pk])
    data = {
        "code": village.code,
        "name": "Thôn 1A",
        "kind": "thon",
        "sort_order": village.sort_order,
        "is_ethnic_minority": "on",
    }
    response = official_client.post(url, data, follow=True)
    village.refresh_from_db()
    assert village.name == "Thôn 1A" and village.is_ethnic_minority
    page = response.content.decode()
    assert "Thôn 1A" in page
    entry = AuditEntry.objects.get(object_id=village.pk, action="update")
    assert {"name", "is_ethnic_minority"} <= set(entry.changes)


@pytest.mark.parametrize("name", ["village_create", "village_update"])
def test_a_village_officer_cannot_manage_villages(officer_client, village, name):
    args = [village.pk] if name == "village_update" else []
    assert (
        officer_client.get(reverse(f"households:{name}", args=args)).status_code == 403
    )
    before = list(Village.objects.values_list("code", "name"))
    officer_client.post(
        reverse(f"households:{name}", args=args),
        {"code": "X1", "name": "Thôn X", "kind": "thon", "sort_order": 1},
    )
    assert list(Village.objects.values_list("code", "name")) == before


def test_another_communes_village_is_not_found(official_client, foreign_village):
    url = reverse("households:village_update", args=[foreign_village.pk])
    assert official_client.get(url).status_code == 404
