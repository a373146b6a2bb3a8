"""The review import as an official uses it: upload, preview, confirm or discard."""

import io

import openpyxl
from django.urls import reverse

from households.models import PovertyReview, ReviewImport, ReviewImportStatus
from tests.factories import HouseholdFactory, UserFactory
from tests.households.xlsx_builders import review_file, review_row

IMPORT_URL = reverse("households:review_import")


def _upload(client, rows, name="ra-soat-2025.xlsx"):
    return client.post(IMPORT_URL, {"file": review_file(rows, name=name)})


def test_template_downloads_as_a_workbook_with_the_headings(official_client):
    response = official_client.get(reverse("households:review_import_template"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    headings = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert "Mã hộ" in headings and "Năm" in headings


def test_upload_previews_and_confirm_records_every_row(official_client, village):
    h1 = HouseholdFactory(village=village, code="HK1")
    h2 = HouseholdFactory(village=village, code="HK2")
    response = _upload(
        official_client,
        [
            review_row("HK1", 2025, 1_200_000, ["latrine", "housing_area", "telecom"]),
            review_row("HK2", 2025, 3_000_000),
        ],
    )
    batch = ReviewImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "households:review_import_preview", args=[batch.pk]
    )
    preview = official_client.get(response["Location"]).content.decode()
    assert "HK1" in preview and "HK2" in preview
    assert "nghèo" in preview  # the proposed status is shown before anything is saved
    assert PovertyReview.objects.count() == 0

    done = official_client.post(response["Location"], {"action": "apply"}, follow=True)
    assert PovertyReview.objects.filter(household__in=[h1, h2], year=2025).count() == 2
    shown = [str(m) for m in done.context["messages"]]
    assert len(shown) == 1 and "2" in shown[0]  # "... 2 reviews recorded, 0 unchanged"
    batch.refresh_from_db()
    assert batch.status == ReviewImportStatus.APPLIED

    # Confirming again (a double submit) records nothing more.
    official_client.post(response["Location"], {"action": "apply"})
    assert PovertyReview.objects.count() == 2


def test_a_file_with_row_errors_cannot_be_confirmed(official_client, village):
    HouseholdFactory(village=village, code="HK1")
    response = _upload(
        official_client,
        [review_row("HK1", 2025, -5), review_row("KHONGCO", 2025, 1_000_000)],
    )
    page = official_client.get(response["Location"]).content.decode()
    assert 'value="apply"' not in page  # no confirm button
    assert "KHONGCO" in page
    official_client.post(response["Location"], {"action": "apply"})
    assert PovertyReview.objects.count() == 0


def test_discard_changes_nothing(official_client, village):
    HouseholdFactory(village=village, code="HK1")
    response = _upload(official_client, [review_row("HK1", 2025, 1_000_000)])
    official_client.post(response["Location"], {"action": "discard"})
    assert ReviewImport.objects.get().status == ReviewImportStatus.DISCARDED
    official_client.post(response["Location"], {"action": "apply"})
    assert PovertyReview.objects.count() == 0


def test_a_hostile_file_is_refused_on_the_form(official_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bogus = SimpleUploadedFile("ra-soat.xlsx", b"not a spreadsheet at all")
    response = official_client.post(IMPORT_URL, {"file": bogus})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not ReviewImport.objects.exists()


def test_another_users_batch_is_not_found(client, official, village, commune):
    HouseholdFactory(village=village, code="HK1")
    client.force_login(official)
    response = _upload(client, [review_row("HK1", 2025, 1_000_000)])
    colleague = UserFactory(username="dongnghiep", commune=commune)
    client.force_login(colleague)
    assert client.get(response["Location"]).status_code == 404
    client.post(response["Location"], {"action": "apply"})
    assert PovertyReview.objects.count() == 0
