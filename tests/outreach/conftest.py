"""Fake providers on local ports and channels pointed at them."""

import pytest

from outreach.channels import SmsChannel, ZaloChannel, get_channel
from tests.outreach.fake_sms import FakeSmsGateway
from tests.outreach.fake_zalo import FakeZalo

# Short enough that a timeout test costs half a second, long enough for a loaded CI box.
CLIENT_TIMEOUT = 0.5


@pytest.fixture(autouse=True)
def _no_proxy_for_fakes(monkeypatch):
    """urllib honours HTTP(S)_PROXY; the fakes must be reached directly."""
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture
def fake_zalo():
    server = FakeZalo().start()
    yield server
    server.stop()


@pytest.fixture
def zalo_settings(settings, fake_zalo, db):
    # The rotated tokens live in the database (DatabaseTokenStore).
    settings.ZALO_BASE_URL = fake_zalo.url
    settings.ZALO_OAUTH_URL = fake_zalo.url
    settings.ZALO_APP_ID = FakeZalo.APP_ID
    settings.ZALO_SECRET_KEY = FakeZalo.SECRET_KEY
    settings.ZALO_ACCESS_TOKEN = "access-1"
    settings.ZALO_REFRESH_TOKEN = "refresh-1"
    settings.CHANNEL_TIMEOUT_SECONDS = CLIENT_TIMEOUT
    return settings


@pytest.fixture
def zalo(zalo_settings) -> ZaloChannel:
    return get_channel("zalo")


@pytest.fixture
def fake_sms():
    server = FakeSmsGateway().start()
    yield server
    server.stop()


@pytest.fixture
def sms_settings(settings, fake_sms):
    settings.SMS_GATEWAY_URL = fake_sms.send_url
    settings.SMS_GATEWAY_TOKEN = FakeSmsGateway.TOKEN
    settings.CHANNEL_TIMEOUT_SECONDS = CLIENT_TIMEOUT
    return settings


@pytest.fixture
def sms(sms_settings) -> SmsChannel:
    return get_channel("sms")
