"""The review import as an official uses it: upload, preview, confirm or discard."""

import io
from datetime import timedelta

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from households import services
from households.models import PovertyReview, ReviewImport, ReviewImportStatus
from households.tasks import apply_review_import, resume_review_imports
from tests.factories import HouseholdFactory, UserFactory
from tests.households.xlsx_builders import review_file, review_row

IMPORT_URL = reverse("households:review_import")


@pytest.fixture
def sent(monkeypatch):
    """Batch ids sent to the worker; the tests then run the task function themselves."""
    calls = []
    monkeypatch.setattr(apply_review_import, "delay", calls.append)
    return calls


def _upload(client, rows, name="ra-soat-2025.xlsx"):
    return client.post(IMPORT_URL, {"file": review_file(rows, name=name)})


def test_template_downloads_as_a_workbook_with_the_headings(official_client):
    response = official_client.get(reverse("households:review_import_template"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    headings = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert "Mã hộ" in headings and "Năm" in headings


def test_upload_previews_and_confirm_records_every_row(
    official_client, village, sent, django_capture_on_commit_callbacks
):
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
    preview_url = reverse("households:review_import_preview", args=[batch.pk])
    assert response.status_code == 302 and response["Location"] == preview_url
    preview = official_client.get(preview_url).content.decode()
    assert "HK1" in preview and "HK2" in preview
    assert "nghèo" in preview  # the proposed status is shown before anything is saved
    assert PovertyReview.objects.count() == 0

    # Confirming queues the batch for a worker, after commit, exactly once.
    with django_capture_on_commit_callbacks(execute=True):
        official_client.post(preview_url, {"action": "apply"})
        official_client.post(preview_url, {"action": "apply"})  # a double submit
    assert sent == [batch.pk]
    saving = official_client.get(preview_url).content.decode()
    assert 'http-equiv="refresh"' in saving  # the page refreshes until it is done
    assert PovertyReview.objects.count() == 0

    assert apply_review_import(batch.pk) == "applied"  # what the worker runs
    assert apply_review_import(batch.pk) == "skipped"  # a second delivery
    assert PovertyReview.objects.filter(household__in=[h1, h2], year=2025).count() == 2
    batch.refresh_from_db()
    assert batch.status == ReviewImportStatus.APPLIED
    done = official_client.get(preview_url).content.decode()
    assert 'http-equiv="refresh"' not in done
    assert batch.summary["result"] == {"created": 2, "unchanged": 0}


def test_a_registry_change_after_confirmation_saves_nothing_and_says_why(
    official_client, official, village, sent, django_capture_on_commit_callbacks
):
    household = HouseholdFactory(village=village, code="HK1")
    response = _upload(
        official_client,
        [
            review_row("HK1", 2025, 1_200_000),
            review_row("HK1", 2024, 1_000_000),
        ],
    )
    with django_capture_on_commit_callbacks(execute=True):
        official_client.post(response["Location"], {"action": "apply"})
    services.poverty_review_record(  # someone records 2025 by hand meanwhile
        actor=official,
        household=household,
        year=2025,
        income_per_person=4_000_000,
        deprivations=[],
    )
    assert apply_review_import(sent[0]) == "failed"
    assert PovertyReview.objects.filter(year=2024).count() == 0  # all or nothing
    batch = ReviewImport.objects.get()
    assert batch.status == ReviewImportStatus.FAILED
    page = official_client.get(response["Location"]).content.decode()
    assert "HK1" in page and batch.summary["apply_errors"]


def test_the_sweeper_resends_a_confirmed_import_whose_task_was_lost(
    official_client, village, sent, django_capture_on_commit_callbacks
):
    HouseholdFactory(village=village, code="HK1")
    response = _upload(official_client, [review_row("HK1", 2025, 1_000_000)])
    with django_capture_on_commit_callbacks(execute=True):
        official_client.post(response["Location"], {"action": "apply"})
    assert resume_review_imports() == 0  # just confirmed: its task may still come
    ReviewImport.objects.update(confirmed_at=timezone.now() - timedelta(hours=1))
    assert resume_review_imports() == 1
    assert sent == [ReviewImport.objects.get().pk] * 2


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


def test_the_import_page_lists_only_my_recent_imports(
    client, official, village, commune
):
    HouseholdFactory(village=village, code="HK1")
    client.force_login(official)
    _upload(client, [review_row("HK1", 2025, 1_000_000)], name="cua-toi.xlsx")
    colleague = UserFactory(username="dongnghiep2", commune=commune)
    client.force_login(colleague)
    _upload(client, [review_row("HK1", 2025, 1_000_000)], name="cua-dong-nghiep.xlsx")
    client.force_login(official)
    page = client.get(IMPORT_URL).content.decode()
    assert "cua-toi.xlsx" in page and "cua-dong-nghiep.xlsx" not in page
