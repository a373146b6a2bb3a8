"""The TOTP maths against RFC 6238's own test vectors (Appendix B, SHA-1)."""

import base64

import pytest

from eakutur.accounts import totp

RFC_SECRET = base64.b32encode(b"12345678901234567890").decode()


@pytest.mark.parametrize(
    ("unix_time", "code"),
    [
        (59, "94287082"),
        (1111111109, "07081804"),
        (1111111111, "14050471"),
        (1234567890, "89005924"),
        (2000000000, "69279037"),
        (20000000000, "65353130"),
    ],
)
def test_rfc_6238_vectors(unix_time, code):
    assert totp.code_at(RFC_SECRET, unix_time, digits=8) == code
    # Six digits are the last six of the same number.
    assert totp.code_at(RFC_SECRET, unix_time) == code[-6:]


def test_rfc_4226_hotp_vectors():
    key = b"12345678901234567890"
    expected = ["755224", "287082", "359152", "969429", "338314"]
    assert [totp.hotp(key, counter) for counter in range(5)] == expected


def test_a_code_is_accepted_one_step_either_side_and_no_further():
    now = 1234567890
    assert totp.matching_step(RFC_SECRET, "005924", now) == now // 30
    assert totp.matching_step(RFC_SECRET, totp.code_at(RFC_SECRET, now - 30), now)
    assert totp.matching_step(RFC_SECRET, totp.code_at(RFC_SECRET, now + 30), now)
    assert (
        totp.matching_step(RFC_SECRET, totp.code_at(RFC_SECRET, now - 60), now) is None
    )
    assert totp.matching_step(RFC_SECRET, "12345", now) is None
    assert totp.matching_step(RFC_SECRET, "abcdef", now) is None


def test_new_secrets_are_160_random_bits_that_apps_read():
    secret = totp.new_secret()
    assert len(base64.b32decode(secret)) == 20
    assert secret != totp.new_secret()
    uri = totp.provisioning_uri(secret, account="quantri", issuer="Ea Ktur")
    assert (
        uri
        == f"otpauth://totp/Ea%20Ktur%3Aquantri?secret={secret}&issuer=Ea+Ktur&digits=6"
    )
    svg = totp.qr_svg(uri)
    assert svg.startswith("<svg") and "<script" not in svg
