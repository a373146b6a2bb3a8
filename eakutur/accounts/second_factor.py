"""The optional second factor of the staff sign-in: an authenticator app (TOTP) plus
one-time recovery codes.

Enrolment keeps the new secret in the session until the official has typed a code from
the app (nothing is written to the database on a GET); once confirmed, the secret is
stored encrypted and never shown again. Every code is good once: the step of the last
TOTP code accepted is kept, and a recovery code is marked used, both by a conditional
UPDATE, so two requests racing with the same code cannot both pass.
"""

import hashlib
import logging
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import crypto, totp
from .models import RecoveryCode, SecondFactor, User

security_log = logging.getLogger("eakutur.security")

PENDING_SECRET_KEY = "accounts_totp_pending_secret"  # noqa: S105 (a session key)
RECOVERY_CODE_COUNT = 8
# No 0/o, 1/l/i: the codes are copied by hand from paper.
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_RECOVERY_LENGTH = 12  # about 59 bits each


@dataclass(frozen=True)
class CodeAccepted:
    """A code passed; ``recovery_codes_left`` is set when it was a recovery code."""

    recovery_codes_left: int | None = None


def may_enrol(user: User) -> bool:
    return user.can_manage_users


def has_second_factor(user: User) -> bool:
    return SecondFactor.objects.filter(user_id=user.pk).exists()


def issuer() -> str:
    return getattr(settings, "TOTP_ISSUER", "Ea Ktur")


# --- enrolment ---------------------------------------------------------------------------


def enrolment_secret(session) -> str:
    """The secret being enrolled: the same one across reloads of the page, so a QR code
    already scanned stays good until the official confirms it."""
    if not session.get(PENDING_SECRET_KEY):
        session[PENDING_SECRET_KEY] = totp.new_secret()
    return session[PENDING_SECRET_KEY]


def second_factor_enable(*, user: User, session, code: str) -> list[str]:
    """Turn the second factor on once ``code`` matches the secret being enrolled.
    Returns the recovery codes, in clear, for the one time they are shown."""
    secret = session.get(PENDING_SECRET_KEY)
    if not secret:
        raise ValidationError(_("The set-up has expired. Start again."))
    step = totp.matching_step(secret, normalise_code(code), time.time())
    if step is None:
        raise ValidationError(
            _("That code is not the one the app shows now. Check the phone's clock.")
        )
    with transaction.atomic():
        SecondFactor.objects.filter(user=user).delete()
        factor = SecondFactor(
            user=user, encrypted_secret=crypto.encrypt(secret), last_step=step
        )
        factor.full_clean()
        factor.save()
        codes = _replace_recovery_codes(user)
    del session[PENDING_SECRET_KEY]
    security_log.info("second factor turned on: username=%r", user.username)
    return codes


def second_factor_disable(*, user: User, password: str, code: str) -> None:
    if not user.check_password(password):
        raise ValidationError(_("The password is not right."))
    if second_factor_check(user=user, code=code) is None:
        raise ValidationError(_("The code is not right, or was already used."))
    with transaction.atomic():
        SecondFactor.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
    security_log.info("second factor turned off: username=%r", user.username)


# --- checking a code ---------------------------------------------------------------------


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def second_factor_check(*, user: User, code: str) -> CodeAccepted | None:
    """A current TOTP code not used before, or an unused recovery code; None otherwise."""
    code = normalise_code(code)
    if code.isdigit():
        return CodeAccepted() if _accept_totp(user, code) else None
    return _accept_recovery_code(user, code)


def _accept_totp(user: User, code: str) -> bool:
    factor = SecondFactor.objects.filter(user=user).first()
    if factor is None:
        return False
    step = totp.matching_step(
        crypto.decrypt(factor.encrypted_secret), code, time.time()
    )
    if step is None:
        return False
    # Only a step later than the last one used passes: the same code (or an older one)
    # cannot be replayed, even by a request racing this one.
    return (
        SecondFactor.objects.filter(pk=factor.pk, last_step__lt=step).update(
            last_step=step,
            encrypted_secret=crypto.reencrypt(factor.encrypted_secret),
        )
        == 1
    )


def _accept_recovery_code(user: User, code: str) -> CodeAccepted | None:
    if len(code) != _RECOVERY_LENGTH:
        return None
    used = RecoveryCode.objects.filter(
        user=user, code_hash=_hash(code), used_at__isnull=True
    ).update(used_at=timezone.now())
    if not used:
        return None
    left = RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
    security_log.info(
        "recovery code used: username=%r codes_left=%d", user.username, left
    )
    return CodeAccepted(recovery_codes_left=left)


# --- recovery codes ----------------------------------------------------------------------


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode("ascii")).hexdigest()


def _new_recovery_code() -> str:
    return "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))


def _replace_recovery_codes(user: User) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_hash=_hash(code)) for code in codes
    )
    return [format_recovery_code(code) for code in codes]


def format_recovery_code(code: str) -> str:
    """ "abcd-efgh-jkmn": easier to copy and to read out."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))
