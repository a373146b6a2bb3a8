"""Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP), as authenticator apps
(Google Authenticator, Microsoft Authenticator, FreeOTP...) compute them: HMAC-SHA1,
30-second steps, 6 digits. Twenty lines of the standard library, tested against the
RFC's own vectors (tests/accounts/test_totp.py)."""

import base64
import hashlib
import hmac
import secrets
import struct
from urllib.parse import quote, urlencode

import segno

STEP_SECONDS = 30
DIGITS = 6
# A code of the step before or after the current one is accepted too: phones' clocks
# drift, and typing takes time.
DRIFT_STEPS = 1


def new_secret() -> str:
    """160 random bits in base32, the form authenticator apps take."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii")


def _key(secret: str) -> bytes:
    return base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))


def hotp(key: bytes, counter: int, *, digits: int = DIGITS) -> str:
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    (number,) = struct.unpack(">I", digest[offset : offset + 4])
    return str((number & 0x7FFFFFFF) % 10**digits).zfill(digits)


def step_at(unix_time: float) -> int:
    return int(unix_time // STEP_SECONDS)


def code_at(secret: str, unix_time: float, *, digits: int = DIGITS) -> str:
    return hotp(_key(secret), step_at(unix_time), digits=digits)


def matching_step(secret: str, code: str, unix_time: float) -> int | None:
    """The step whose code ``code`` is (within the drift allowed), or None."""
    if len(code) != DIGITS or not code.isdigit():
        return None
    key = _key(secret)
    now = step_at(unix_time)
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if hmac.compare_digest(hotp(key, step), code):
            return step
    return None


def provisioning_uri(secret: str, *, account: str, issuer: str) -> str:
    """The otpauth:// URI an app reads from the QR code."""
    label = quote(f"{issuer}:{account}")
    query = urlencode({"secret": secret, "issuer": issuer, "digits": DIGITS})
    return f"otpauth://totp/{label}?{query}"


def qr_svg(uri: str) -> str:
    """The URI as an inline SVG QR code, drawn here (nothing sent to a QR service)."""
    qr = segno.make(uri, error="m")
    # A viewBox and no fixed size: the stylesheet sizes it (static/css/accounts.css).
    return qr.svg_inline(scale=5, dark="#000", light="#fff", omitsize=True)
