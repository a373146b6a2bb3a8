"""Sign-in lockout, keyed on the username typed *and* the client address.

- After ``LOGIN_FAILURE_LIMIT`` failures of one (username, address) pair within
  ``LOGIN_FAILURE_WINDOW`` seconds, that pair is refused for ``LOGIN_LOCKOUT_SECONDS``,
  without the password being checked. The same official from another address, and other
  officials behind the same address (a commune office shares one NAT address), still
  sign in: an attacker cannot lock an official out of the whole commune.
- Against password spraying (one password tried on many usernames), an address with
  ``LOGIN_ADDRESS_FAILURE_LIMIT`` failures across all usernames within
  ``LOGIN_ADDRESS_WINDOW`` seconds is refused for the same cool-down.

The username is the one typed, normalised, whether or not it exists: an unknown name is
counted, locked and answered exactly like a real one, so the lockout tells nobody which
usernames exist. Failures and lockouts are rows in the database (see docs/decisions.md,
"Staff sign-in"). A refused attempt is not counted: the cool-down ends on time even if
the official keeps trying.
"""

import logging
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Max, Q
from django.utils import timezone

from .models import LockoutScope, LoginFailure, LoginLockout

security_log = logging.getLogger("eakutur.security")


def normalise_username(username: str) -> str:
    """The key a typed username counts under: "Admin", "admin " and "ADMIN" are one."""
    return unicodedata.normalize("NFKC", username).strip().casefold()[:150]


def cooldown_minutes() -> int:
    return max(1, round(settings.LOGIN_LOCKOUT_SECONDS / 60))


@dataclass(frozen=True)
class SignInKey:
    """Who is trying, from where."""

    username: str
    address: str

    @classmethod
    def of(cls, *, username: str, address: str) -> "SignInKey":
        return cls(username=normalise_username(username), address=address)

    def _lockouts(self):
        pair = Q(scope=LockoutScope.ACCOUNT, username=self.username)
        return LoginLockout.objects.filter(pair | Q(scope=LockoutScope.ADDRESS)).filter(
            address=self.address
        )

    def is_locked(self) -> bool:
        return self._lockouts().filter(until__gt=timezone.now()).exists()

    def record_failure(self) -> bool:
        """Count one failure; lock the pair or the address when it reaches its limit.
        True when the key is locked now."""
        LoginFailure.objects.create(username=self.username, address=self.address)
        now = timezone.now()
        locked = False
        pair_failures = LoginFailure.objects.filter(
            username=self.username, address=self.address
        )
        if self._count_since(pair_failures, LockoutScope.ACCOUNT, now) >= (
            settings.LOGIN_FAILURE_LIMIT
        ):
            self._lock(LockoutScope.ACCOUNT, now)
            locked = True
        address_failures = LoginFailure.objects.filter(address=self.address)
        if self._count_since(address_failures, LockoutScope.ADDRESS, now) >= (
            settings.LOGIN_ADDRESS_FAILURE_LIMIT
        ):
            self._lock(LockoutScope.ADDRESS, now)
            locked = True
        return locked

    def clear_failures(self) -> None:
        """A successful sign-in: the pair starts again from zero."""
        LoginFailure.objects.filter(
            username=self.username, address=self.address
        ).delete()

    def _count_since(self, failures, scope: str, now) -> int:
        """Failures within the window, and after the last lockout of this scope ended
        (the failures that caused a lockout do not lock again once it is over)."""
        window = (
            settings.LOGIN_FAILURE_WINDOW
            if scope == LockoutScope.ACCOUNT
            else settings.LOGIN_ADDRESS_WINDOW
        )
        since = now - timedelta(seconds=window)
        lockouts = LoginLockout.objects.filter(scope=scope, address=self.address)
        if scope == LockoutScope.ACCOUNT:
            lockouts = lockouts.filter(username=self.username)
        last_end = lockouts.aggregate(last=Max("until"))["last"]
        if last_end is not None and last_end > since:
            since = last_end
        return failures.filter(created_at__gt=since).count()

    def _lock(self, scope: str, now) -> None:
        until = now + timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
        username = self.username if scope == LockoutScope.ACCOUNT else ""
        LoginLockout.objects.create(
            scope=scope, username=username, address=self.address, until=until
        )
        security_log.warning(
            "sign-in locked: scope=%s username=%r address=%s until=%s",
            scope,
            username,
            self.address,
            until.isoformat(),
        )


def lockout_lift(*, lockout: LoginLockout) -> None:
    """The commune administrator ends a lockout early (the admin action)."""
    now = timezone.now()
    if lockout.until > now:
        lockout.until = now
        lockout.save(update_fields=["until"])
        security_log.info(
            "sign-in lockout lifted: username=%r address=%s",
            lockout.username,
            lockout.address,
        )


def prune_login_records() -> dict[str, int]:
    """Daily: failures older than both windows count for nothing; lockouts are kept for
    ``LOGIN_RECORD_RETENTION_DAYS`` (they hold addresses, personal data)."""
    now = timezone.now()
    longest = max(settings.LOGIN_FAILURE_WINDOW, settings.LOGIN_ADDRESS_WINDOW)
    failures, _detail = LoginFailure.objects.filter(
        created_at__lt=now - timedelta(seconds=longest)
    ).delete()
    kept = timedelta(days=settings.LOGIN_RECORD_RETENTION_DAYS)
    lockouts, _detail = LoginLockout.objects.filter(until__lt=now - kept).delete()
    return {"failures_deleted": failures, "lockouts_deleted": lockouts}
