"""A failed delivery tells the official what went wrong and what to do, in their language.

Each channel failure carries a ``DeliveryErrorCode`` (checked against the local fake
providers, as in test_channels.py); the worker stores it next to the provider's own text;
the notice page shows the translated explanation and keeps the provider's words under
"Technical details" for support.
"""

import importlib
import smtplib

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone, translation

from outreach import tasks
from outreach.channels import (
    ChannelError,
    Message,
    PermanentError,
    QuotaExceeded,
    TransientError,
    get_channel,
)
from outreach.delivery_errors import DeliveryErrorCode as Code
from outreach.delivery_errors import explain
from outreach.models import DeliveryStatus, NoticeStatus
from outreach.services import notice_dispatch_due
from tests.factories.outreach import (
    DeliveryFactory,
    FakeChannel,
    NoticeFactory,
    groups_for,
)
from tests.outreach.conftest import CLIENT_TIMEOUT
from tests.outreach.fake_sms import SEND_PATH
from tests.outreach.fake_zalo import GROUP_MESSAGE_PATH, REFRESH_PATH, Answer
from tests.pages import text_of

NOTICE = Message(target="group-thon-1", text="Họp thôn tối thứ Bảy.", key="41")
SMS = Message(target="0912345678", text="Họp thôn tối thứ Bảy.", key="41")


def failure(channel, message=NOTICE) -> ChannelError:
    with pytest.raises(ChannelError) as raised:
        channel.send(message)
    return raised.value


# --- Each channel failure names its kind ------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "code"),
    [
        (Answer.zalo_error(-230, "Group is invalid"), Code.GROUP_INVALID),
        (Answer.zalo_error(-232), Code.NOT_IN_GROUP),
        (Answer.zalo_error(-201), Code.REJECTED),
        (Answer.zalo_error(-210), Code.REJECTED),
        (Answer.zalo_error(-211, "Quota exceeded"), Code.QUOTA),
        (Answer.zalo_error(-229), Code.QUOTA),
        (Answer.zalo_error(-999, "Something new"), Code.UNKNOWN),
        (Answer(status=503), Code.PROVIDER_DOWN),
        (Answer(raw=b"<html>gateway</html>"), Code.PROVIDER_DOWN),
        (Answer(status=404), Code.REJECTED),
        (Answer.hang(CLIENT_TIMEOUT * 4), Code.TIMEOUT),
    ],
)
def test_zalo_failures_name_their_kind(zalo, fake_zalo, answer, code):
    fake_zalo.script(GROUP_MESSAGE_PATH, answer)
    assert failure(zalo).code == code


def test_zalo_token_that_cannot_be_refreshed_asks_to_reconnect(zalo, fake_zalo):
    fake_zalo.expire_access_token()
    fake_zalo.refresh_token = "refresh-rotated-elsewhere"
    error = failure(zalo)
    assert isinstance(error, PermanentError)
    assert (error.code, error.reason[:25]) == (Code.TOKEN, "Zalo token refresh failed")


def test_zalo_token_refused_by_the_oauth_server_asks_to_reconnect(zalo, fake_zalo):
    fake_zalo.expire_access_token()
    fake_zalo.script(REFRESH_PATH, Answer(status=400))
    assert failure(zalo).code == Code.TOKEN


def test_zalo_oauth_server_down_is_the_provider_not_the_token(zalo, fake_zalo):
    fake_zalo.expire_access_token()
    fake_zalo.script(REFRESH_PATH, Answer(status=503))
    assert failure(zalo).code == Code.PROVIDER_DOWN


@pytest.mark.parametrize(
    ("target", "answer", "code"),
    [
        ("", None, Code.NO_RECIPIENTS),
        ("0912345678, 0123", None, Code.INVALID_ADDRESS),
        ("0912345678", Answer(status=503), Code.PROVIDER_DOWN),
        ("0912345678", Answer(status=408), Code.TIMEOUT),
        ("0912345678", Answer.hang(CLIENT_TIMEOUT * 4), Code.TIMEOUT),
        ("0912345678", Answer(status=429), Code.QUOTA),
        ("0912345678", Answer(status=400, json={"error": "bad"}), Code.REJECTED),
        ("0912345678", Answer(status=401), Code.NOT_CONFIGURED),
    ],
)
def test_sms_failures_name_their_kind(sms, fake_sms, target, answer, code):
    if answer is not None:
        fake_sms.script(SEND_PATH, answer)
    message = Message(target=target, text=SMS.text, key=SMS.key)
    assert failure(sms, message).code == code


class FailingBackend(BaseEmailBackend):
    error: Exception = OSError()

    def send_messages(self, email_messages):
        raise self.error


@pytest.mark.parametrize(
    ("target", "error", "code"),
    [
        (" , ", None, Code.NO_RECIPIENTS),
        ("thon1", None, Code.INVALID_ADDRESS),
        (
            "a@x.vn",
            smtplib.SMTPRecipientsRefused({"a@x.vn": (550, b"no such user")}),
            Code.INVALID_ADDRESS,
        ),
        ("a@x.vn", smtplib.SMTPDataError(554, b"spam"), Code.REJECTED),
        ("a@x.vn", smtplib.SMTPServerDisconnected("gone"), Code.PROVIDER_DOWN),
    ],
)
def test_email_failures_name_their_kind(settings, monkeypatch, target, error, code):
    if error is not None:
        settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
        monkeypatch.setattr(FailingBackend, "error", error)
    message = Message(target=target, text="Họp", key="5")
    assert failure(get_channel("email"), message).code == code


def test_an_error_without_a_code_is_unknown_and_a_quota_is_a_quota():
    assert PermanentError("x").code == TransientError("x").code == Code.UNKNOWN
    assert QuotaExceeded("x").code == Code.QUOTA


# --- The worker stores the kind next to the provider's words ---------------------------


@pytest.fixture
def channel(monkeypatch):
    fake = FakeChannel()
    monkeypatch.setattr("outreach.services.deliveries.get_channel", lambda name: fake)
    return fake


@pytest.fixture
def delivery(db, commune, village):
    [group] = groups_for([village])
    NoticeFactory(commune=commune)
    notice_dispatch_due()
    return group.deliveries.get()


def reload(obj):
    obj.refresh_from_db()
    return obj


def test_a_failure_stores_its_code_and_the_providers_text(channel, delivery):
    channel.script(
        PermanentError("Zalo error -230: Group is invalid", code=Code.GROUP_INVALID)
    )
    assert tasks.send_delivery(delivery.pk) == "failed"
    delivery = reload(delivery)
    assert delivery.error == "Zalo error -230: Group is invalid"
    assert delivery.error_code == Code.GROUP_INVALID


def test_a_retry_keeps_the_cause_until_the_send_succeeds(channel, delivery, settings):
    settings.NOTICE_MAX_ATTEMPTS = 2
    down = TransientError("SMS gateway: HTTP 503", code=Code.PROVIDER_DOWN)
    channel.script(down)
    assert tasks.send_delivery(delivery.pk) == "retry"
    delivery = reload(delivery)
    assert (delivery.status, delivery.error_code) == ("queued", Code.PROVIDER_DOWN)
    assert "tự gửi lại" in str(with_language("vi", delivery))  # still trying

    delivery.next_attempt_at = None
    delivery.save(update_fields=["next_attempt_at"])
    channel.script(down)
    assert tasks.send_delivery(delivery.pk) == "failed"  # out of attempts
    delivery = reload(delivery)
    assert delivery.error.startswith("gave up after 2 attempts")
    assert delivery.error_code == Code.PROVIDER_DOWN
    assert "tự gửi lại" not in str(with_language("vi", delivery))


def test_a_channel_that_is_not_set_up_is_for_the_administrator(channel, delivery):
    channel.script(ImproperlyConfigured("The zalo channel needs ZALO_APP_ID."))
    tasks.send_delivery(delivery.pk)
    assert reload(delivery).error_code == Code.NOT_CONFIGURED


def test_a_success_clears_the_earlier_failure(channel, delivery):
    channel.script(TransientError("Zalo: HTTP 500", code=Code.PROVIDER_DOWN))
    tasks.send_delivery(delivery.pk)
    delivery = reload(delivery)
    delivery.next_attempt_at = None
    delivery.save(update_fields=["next_attempt_at"])
    assert tasks.send_delivery(delivery.pk) == "sent"
    delivery = reload(delivery)
    assert (delivery.error, delivery.error_code, delivery.error_explanation) == (
        "",
        "",
        "",
    )


def with_language(language, delivery) -> str:
    with translation.override(language):
        return str(delivery.error_explanation)


# --- What the official reads ------------------------------------------------------------


@pytest.fixture
def failed(db, commune, village):
    notice = NoticeFactory(commune=commune, status=NoticeStatus.DONE)
    return DeliveryFactory(
        notice=notice,
        group__village=village,
        group__name="Zalo Thôn 1",
        status=DeliveryStatus.FAILED,
        error="Zalo error -230: Group is invalid",
        error_code=Code.GROUP_INVALID,
        failed_at=timezone.now(),
        attempts=1,
    )


def notice_page(client, delivery, language="vi"):
    with translation.override(language):
        url = reverse("outreach:notice_detail", args=[delivery.notice_id])
    return text_of(client.get(url))


def error_cell(page: str, delivery) -> str:
    row = page[page.index(f'data-delivery="{delivery.pk}"') :]
    return row[: row.index("</tr>")]


def test_the_notice_page_explains_the_failure_in_vietnamese(official_client, failed):
    cell = error_cell(notice_page(official_client, failed), failed)
    explanation = cell[: cell.index("<details")]
    assert "Nhóm Zalo của thôn không còn hợp lệ" in explanation
    assert "mục “Nhóm”" in explanation
    assert "Group is invalid" not in explanation
    # The provider's words stay, folded away, for whoever supports the commune.
    assert "Chi tiết kỹ thuật" in cell
    assert "Zalo error -230: Group is invalid" in cell[cell.index("<details") :]


def test_the_english_page_explains_in_english(official_client, failed):
    cell = error_cell(notice_page(official_client, failed, "en"), failed)
    assert "The village's Zalo group is no longer valid" in cell
    assert "Technical details" in cell
    assert "Nhóm Zalo" not in cell


def test_a_row_from_before_the_codes_reads_as_unknown(official_client, failed):
    failed.error_code = ""
    failed.save(update_fields=["error_code"])
    cell = error_cell(notice_page(official_client, failed), failed)
    assert "báo quản trị viên kèm phần chi tiết kỹ thuật" in cell
    assert "Zalo error -230: Group is invalid" in cell


def test_a_waiting_delivery_says_the_portal_will_retry(official_client, failed):
    failed.status = DeliveryStatus.QUEUED
    failed.failed_at = None
    failed.error_code = Code.QUOTA
    failed.error = "Zalo error -211: Quota exceeded"
    failed.save()
    cell = error_cell(notice_page(official_client, failed), failed)
    assert "Đã hết hạn mức gửi – hệ thống sẽ tự gửi lại" in cell
    assert "text-danger" not in cell  # waiting is not failing


def test_every_code_is_explained_in_both_languages():
    for code in Code.values:
        for failed in (False, True):
            with translation.override("en"):
                english = str(explain(code, failed=failed))
            with translation.override("vi"):
                vietnamese = str(explain(code, failed=failed))
            assert english and vietnamese != english, (code, failed)


# --- Rows written before the codes ------------------------------------------------------


def test_the_migration_labels_the_texts_the_portal_wrote_itself(failed):
    migration = importlib.import_module("outreach.migrations.0004_delivery_error_code")
    texts = {
        "not forwarded by the village officer": Code.NOT_FORWARDED,
        "gave up after 5 attempts: Zalo token refresh failed: HTTP 400": Code.TOKEN,
        "invalid phone number: 0123": Code.INVALID_ADDRESS,
        "Zalo error -230: Group is invalid": Code.GROUP_INVALID,
        "mail server answered 554": "",
    }
    notice = failed.notice
    rows = {
        text: DeliveryFactory(notice=notice, error=text, error_code="")
        for text in texts
        if text != failed.error
    }
    failed.error_code = ""
    failed.save(update_fields=["error_code"])
    rows[failed.error] = failed

    migration.label_known_errors(apps, None)

    assert {text: reload(row).error_code for text, row in rows.items()} == texts
