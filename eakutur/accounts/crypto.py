"""Encryption of the second-factor secrets at rest (Fernet: AES-128-CBC plus HMAC-SHA256).

The key is derived from SECRET_KEY, so a database dump or a backup without the
deployment's environment cannot mint codes. SECRET_KEY_FALLBACKS keep old secrets
readable after SECRET_KEY is rotated, and each secret is re-encrypted under the current
key when it is next used (see docs/decisions.md, "Staff sign-in")."""

import base64
import hashlib

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings

_PURPOSE = b"eakutur.accounts.second-factor-secret:"


def _fernet_for(secret_key: str) -> Fernet:
    digest = hashlib.sha256(_PURPOSE + secret_key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _fernet() -> MultiFernet:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet_for(key) for key in keys])


def encrypt(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode("ascii")


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode("ascii")).decode()


def reencrypt(token: str) -> str:
    """The same secret under the current SECRET_KEY."""
    return _fernet().rotate(token.encode("ascii")).decode("ascii")
