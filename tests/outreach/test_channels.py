"""Channel backends: what each provider answer turns into, against local fake providers."""

import logging
import smtplib
import socket
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from outreach.channels import (
    CHANNEL_NAMES,
    Channel,
    DatabaseTokenStore,
    Message,
    PermanentError,
    QuotaExceeded,
    Sent,
    TransientError,
    ZaloChannel,
    get_channel,
)
from outreach.channels.zalo import VIETNAM, quota_retry_at
from tests.outreach.conftest import CLIENT_TIMEOUT
from tests.outreach.fake_zalo import GROUP_MESSAGE_PATH, REFRESH_PATH, Answer, FakeZalo

NOTICE = Message(
    target="group-thon-1",
    text="Họp thôn lúc 19h tối thứ Bảy tại nhà văn hoá.",
    key="41",
)


# --- console -----------------------------------------------------------------------


def test_console_logs_the_message_and_returns_its_key(caplog):
    with caplog.at_level(logging.INFO, logger="outreach.channels.console"):
        sent = get_channel("console").send(NOTICE)
    assert sent == Sent(provider_id="console-41")
    assert "group-thon-1" in caplog.text
    assert NOTICE.text in caplog.text


# --- zalo ---------------------------------------------------------------------------


def test_zalo_sends_a_group_message_in_one_call(zalo, fake_zalo):
    sent = zalo.send(NOTICE)

    assert sent == Sent(provider_id="msg-1")
    [call] = fake_zalo.calls()
    assert call.path == GROUP_MESSAGE_PATH
    assert call.headers["access_token"] == "access-1"
    assert call.json() == {
        "recipient": {"group_id": "group-thon-1"},
        "message": {"text": NOTICE.text},
    }


def test_zalo_refreshes_an_expired_token_and_sends_once(zalo, fake_zalo, caplog):
    fake_zalo.expire_access_token()

    with caplog.at_level(logging.DEBUG):
        sent = zalo.send(NOTICE)

    assert sent == Sent(provider_id="msg-1")
    first, refresh, second = fake_zalo.calls()
    assert first.path == GROUP_MESSAGE_PATH
    assert first.headers["access_token"] == "access-1"
    assert refresh.path == REFRESH_PATH
    assert refresh.headers["secret_key"] == FakeZalo.SECRET_KEY
    assert refresh.form() == {
        "app_id": FakeZalo.APP_ID,
        "grant_type": "refresh_token",
        "refresh_token": "refresh-1",
    }
    assert second.headers["access_token"] == "access-2"
    # Both rotated tokens are kept: the next refresh must use refresh-2.
    assert DatabaseTokenStore().get() == ("access-2", "refresh-2")
    for token in ("access-1", "access-2", "refresh-1", "refresh-2"):
        assert token not in caplog.text


def test_zalo_next_send_uses_the_stored_token_without_refreshing(zalo, fake_zalo):
    fake_zalo.expire_access_token()
    zalo.send(NOTICE)
    get_channel("zalo").send(NOTICE)

    assert len(fake_zalo.calls(REFRESH_PATH)) == 1
    assert fake_zalo.calls(GROUP_MESSAGE_PATH)[-1].headers["access_token"] == "access-2"


def test_zalo_spent_refresh_token_fails_permanently(zalo, fake_zalo):
    fake_zalo.expire_access_token()
    fake_zalo.refresh_token = "refresh-rotated-elsewhere"

    with pytest.raises(PermanentError, match=r"^Zalo token refresh failed: Invalid"):
        zalo.send(NOTICE)
    assert len(fake_zalo.calls(REFRESH_PATH)) == 1
    assert len(fake_zalo.calls(GROUP_MESSAGE_PATH)) == 1


def test_zalo_token_rejected_after_refresh_fails_permanently(zalo, fake_zalo):
    fake_zalo.script(
        GROUP_MESSAGE_PATH, Answer.zalo_error(-124), Answer.zalo_error(-220)
    )

    with pytest.raises(PermanentError, match=r"^Zalo token refresh failed"):
        zalo.send(NOTICE)
    assert len(fake_zalo.calls(GROUP_MESSAGE_PATH)) == 2
    assert len(fake_zalo.calls(REFRESH_PATH)) == 1


def test_zalo_refresh_endpoint_down_is_transient(zalo, fake_zalo):
    fake_zalo.expire_access_token()
    fake_zalo.script(REFRESH_PATH, Answer(status=503))

    with pytest.raises(TransientError, match="503"):
        zalo.send(NOTICE)
    assert DatabaseTokenStore().get() == ("access-1", "refresh-1")


def test_zalo_invalid_group_fails_permanently(zalo, fake_zalo):
    with pytest.raises(PermanentError, match="-230") as error:
        zalo.send(Message(target="group-unknown", text="Thông báo", key="7"))
    assert error.value.reason.startswith("Zalo error -230")
    assert len(fake_zalo.calls()) == 1


@pytest.mark.parametrize("code", [-201, -230, -232])
def test_zalo_recipient_and_parameter_codes_are_permanent(zalo, fake_zalo, code):
    fake_zalo.script(GROUP_MESSAGE_PATH, Answer.zalo_error(code))
    with pytest.raises(PermanentError, match=str(code)):
        zalo.send(NOTICE)


@pytest.mark.parametrize(
    ("code", "hour", "day"), [(-229, 0, 1), (-237, 0, 1), (-211, 0, None)]
)
def test_zalo_quota_exhausted_defers_to_the_reset(zalo, fake_zalo, code, hour, day):
    fake_zalo.script(GROUP_MESSAGE_PATH, Answer.zalo_error(code, "Quota exceeded"))

    with pytest.raises(QuotaExceeded) as error:
        zalo.send(NOTICE)

    retry_at = error.value.retry_at.astimezone(VIETNAM)
    assert retry_at > timezone.now()
    assert (retry_at.hour, retry_at.minute) == (hour, 0)
    if day is not None:  # monthly quota: the first of a month
        assert retry_at.day == day
    assert len(fake_zalo.calls()) == 1


def test_quota_reset_moments_follow_the_vietnamese_calendar():
    # 20:00 UTC on 31 December is already 03:00 on 1 January in Vietnam.
    new_year = datetime(2026, 12, 31, 20, 0, tzinfo=UTC)
    assert quota_retry_at(-211, now=new_year) == datetime(2027, 1, 2, tzinfo=VIETNAM)
    assert quota_retry_at(-229, now=new_year) == datetime(2027, 2, 1, tzinfo=VIETNAM)
    december = datetime(2026, 12, 15, 10, 0, tzinfo=UTC)
    assert quota_retry_at(-237, now=december) == datetime(2027, 1, 1, tzinfo=VIETNAM)
    assert quota_retry_at(-32, now=december) == december + timedelta(minutes=15)


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (Answer(status=500, raw=b"Internal Server Error"), "HTTP 500"),
        (Answer(status=429, raw=b""), "HTTP 429"),
        (Answer(raw=b"<html>gateway</html>"), "unreadable answer"),
        (Answer(json={"message": "no code"}), "without an error code"),
        (Answer.zalo_error(-999, "Something new"), "Zalo error -999: Something new"),
    ],
)
def test_zalo_server_trouble_and_unknown_codes_are_transient(
    zalo, fake_zalo, answer, reason
):
    fake_zalo.script(GROUP_MESSAGE_PATH, answer)
    with pytest.raises(TransientError) as error:
        zalo.send(NOTICE)
    assert reason in error.value.reason
    assert len(fake_zalo.calls()) == 1


def test_zalo_other_http_4xx_is_permanent(zalo, fake_zalo):
    fake_zalo.script(GROUP_MESSAGE_PATH, Answer(status=404, raw=b"Not Found"))
    with pytest.raises(PermanentError, match="HTTP 404"):
        zalo.send(NOTICE)


def test_zalo_timeout_is_transient_and_quick(zalo, fake_zalo):
    fake_zalo.script(GROUP_MESSAGE_PATH, Answer.hang(CLIENT_TIMEOUT * 4))

    started = time.monotonic()
    with pytest.raises(TransientError, match=r"no answer within 0\.5 s"):
        zalo.send(NOTICE)
    assert time.monotonic() - started < CLIENT_TIMEOUT * 3


def test_zalo_connection_refused_is_transient(zalo_settings):
    with socket.socket() as probe:  # a port nobody listens on once closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    zalo_settings.ZALO_BASE_URL = f"http://127.0.0.1:{port}"
    with pytest.raises(TransientError, match="connection failed"):
        get_channel("zalo").send(NOTICE)


def _channel(fake_zalo, *, refresh_wait=None) -> ZaloChannel:
    return ZaloChannel(
        base_url=fake_zalo.url,
        oauth_url=fake_zalo.url,
        app_id=FakeZalo.APP_ID,
        secret_key=FakeZalo.SECRET_KEY,
        token_store=DatabaseTokenStore(),
        timeout=CLIENT_TIMEOUT * 2,
        refresh_wait=refresh_wait,
    )


# Threads use their own database connections: the test cannot hide in a transaction.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_with_an_expired_token_refresh_once(zalo_settings, fake_zalo):
    fake_zalo.expire_access_token()
    fake_zalo.refresh_delay = 0.3  # the second worker arrives while the first refreshes
    start = threading.Barrier(2)
    results: list[Sent | Exception] = []

    def worker(key: str) -> None:
        channel = _channel(fake_zalo)
        start.wait()
        try:
            results.append(channel.send(Message("group-thon-1", "Thông báo", key)))
        except Exception as exc:  # collected so the assertion shows it
            results.append(exc)

    threads = [threading.Thread(target=worker, args=(k,)) for k in ("1", "2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=5)

    assert sorted(r.provider_id for r in results) == ["msg-1", "msg-2"]
    assert len(fake_zalo.calls(REFRESH_PATH)) == 1
    assert DatabaseTokenStore().get() == ("access-2", "refresh-2")


# Threads use their own database connections: the test cannot hide in a transaction.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_waiting_on_the_lock_uses_the_token_another_one_saved(
    zalo_settings, fake_zalo
):
    fake_zalo.expire_access_token()
    channel = _channel(fake_zalo, refresh_wait=2.0)
    cache.add(ZaloChannel.REFRESH_LOCK_KEY, "another-worker")

    def other_worker_finishes() -> None:
        fake_zalo.access_token = "access-from-elsewhere"
        DatabaseTokenStore().save("access-from-elsewhere", "refresh-from-elsewhere")

    timer = threading.Timer(0.2, other_worker_finishes)
    timer.start()
    try:
        assert channel.send(NOTICE) == Sent(provider_id="msg-1")
    finally:
        timer.cancel()
    assert fake_zalo.calls(REFRESH_PATH) == []


def test_worker_gives_up_when_the_lock_holder_never_refreshes(zalo_settings, fake_zalo):
    fake_zalo.expire_access_token()
    channel = _channel(fake_zalo, refresh_wait=0.2)
    cache.add(ZaloChannel.REFRESH_LOCK_KEY, "a-dead-worker")

    with pytest.raises(TransientError, match="in progress elsewhere"):
        channel.send(NOTICE)
    assert fake_zalo.calls(REFRESH_PATH) == []


def test_token_store_falls_back_to_settings_until_a_refresh(zalo_settings):
    store = DatabaseTokenStore()
    assert store.get() == ("access-1", "refresh-1")
    store.save("access-9", "refresh-9")
    assert store.get() == ("access-9", "refresh-9")


def test_a_rotated_refresh_token_survives_a_cache_flush(zalo, fake_zalo):
    """The refresh token Zalo handed back is the only valid one: a cache flush or a
    restart must not send the channel back to the spent one in settings."""
    fake_zalo.expire_access_token()
    zalo.send(NOTICE)
    cache.clear()

    assert DatabaseTokenStore().get() == ("access-2", "refresh-2")


# --- sms ----------------------------------------------------------------------------


def test_sms_posts_normalised_numbers_with_the_delivery_reference(sms, fake_sms):
    message = Message(target="0912 345 678, +84987654321", text="Họp thôn", key="12")

    assert sms.send(message) == Sent(provider_id="sms-1")
    [call] = fake_sms.calls()
    assert call.headers["authorization"] == f"Bearer {fake_sms.TOKEN}"
    assert call.json() == {
        "to": ["0912345678", "0987654321"],
        "text": "Họp thôn",
        "client_ref": "12",
    }


def test_sms_invalid_phone_fails_before_calling_the_gateway(sms, fake_sms):
    with pytest.raises(PermanentError, match="invalid phone number: 0123"):
        sms.send(Message(target="0912345678, 0123", text="Họp thôn", key="12"))
    assert fake_sms.calls() == []


def test_sms_rate_limit_defers_until_retry_after(sms, fake_sms):
    fake_sms.script("/sms/send", Answer(status=429, headers={"Retry-After": "120"}))
    before = timezone.now()

    with pytest.raises(QuotaExceeded) as error:
        sms.send(Message(target="0912345678", text="Họp thôn", key="12"))

    retry_at = error.value.retry_at
    assert (
        before + timedelta(seconds=119) <= retry_at <= before + timedelta(seconds=125)
    )


def test_sms_retry_after_as_a_date_and_missing(sms, fake_sms):
    moment = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
    fake_sms.script(
        "/sms/send",
        Answer(status=429, headers={"Retry-After": format_datetime(moment, True)}),
        Answer(status=429),
    )
    message = Message(target="0912345678", text="Họp thôn", key="12")
    with pytest.raises(QuotaExceeded) as dated:
        sms.send(message)
    with pytest.raises(QuotaExceeded) as undated:
        sms.send(message)
    assert dated.value.retry_at == moment
    assert undated.value.retry_at is None


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (Answer(status=502), TransientError),
        (Answer.hang(CLIENT_TIMEOUT * 4), TransientError),
        (Answer(status=400, json={"error": "bad number"}), PermanentError),
        (Answer(status=401), PermanentError),
    ],
)
def test_sms_gateway_failures(sms, fake_sms, answer, error):
    fake_sms.script("/sms/send", answer)
    with pytest.raises(error):
        sms.send(Message(target="0912345678", text="Họp thôn", key="12"))
    assert len(fake_sms.calls()) == 1


# --- email --------------------------------------------------------------------------


class FailingBackend(BaseEmailBackend):
    """An e-mail backend that fails the way the test sets."""

    error: Exception = OSError()

    def send_messages(self, email_messages):
        raise self.error


def test_email_sends_with_our_message_id(mailoutbox):
    message = Message(
        target="thon1@eaktur.gov.vn, doanthanhnien@eaktur.gov.vn",
        text="Lịch tiêm phòng\nThứ Hai, 8h tại trạm y tế.",
        key="5",
    )
    sent = get_channel("email").send(message)

    [email] = mailoutbox
    assert email.to == ["thon1@eaktur.gov.vn", "doanthanhnien@eaktur.gov.vn"]
    assert email.subject == "Lịch tiêm phòng"
    assert email.extra_headers["Message-ID"] == sent.provider_id
    assert sent.provider_id.startswith("<")


def test_email_subject_when_given(mailoutbox):
    get_channel("email").send(
        Message(target="a@eaktur.gov.vn", text="Nội dung", key="5", subject="Họp")
    )
    assert mailoutbox[0].subject == "Họp"


def test_email_invalid_address_fails_without_sending(mailoutbox):
    with pytest.raises(PermanentError, match="invalid e-mail address: thon1"):
        get_channel("email").send(Message(target="thon1", text="Họp", key="5"))
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (
            smtplib.SMTPRecipientsRefused({"a@x.vn": (550, b"no such user")}),
            PermanentError,
        ),
        (
            smtplib.SMTPRecipientsRefused({"a@x.vn": (451, b"greylisted")}),
            TransientError,
        ),
        (smtplib.SMTPServerDisconnected("gone"), TransientError),
        (ConnectionRefusedError(), TransientError),
        (smtplib.SMTPDataError(554, b"rejected"), PermanentError),
    ],
)
def test_email_smtp_failures(settings, monkeypatch, error, expected):
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    monkeypatch.setattr(FailingBackend, "error", error)
    with pytest.raises(expected):
        get_channel("email").send(Message(target="a@x.vn", text="Họp", key="5"))


# --- get_channel --------------------------------------------------------------------


@pytest.mark.parametrize("name", CHANNEL_NAMES)
def test_get_channel_builds_each_backend(zalo_settings, sms_settings, name):
    channel = get_channel(name)
    assert isinstance(channel, Channel)
    assert channel.name == name


def test_get_channel_unknown_name():
    with pytest.raises(ImproperlyConfigured, match="Unknown channel 'fax'"):
        get_channel("fax")


def test_get_channel_refuses_unconfigured_providers(settings):
    settings.ZALO_APP_ID = ""
    settings.SMS_GATEWAY_URL = ""
    with pytest.raises(ImproperlyConfigured, match="ZALO_APP_ID"):
        get_channel("zalo")
    with pytest.raises(ImproperlyConfigured, match="SMS_GATEWAY_URL"):
        get_channel("sms")
