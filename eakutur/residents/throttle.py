"""Rate limits of the public lookup and requests, counted in ``PublicAttempt``, the log
every attempt is written to anyway. A database count holds across every web process
and survives a cache flush; the indexes make each count one index range scan.

Limits (settings, per window of ``RESIDENTS_LIMIT_WINDOW`` seconds, default one hour):
- lookups that found nothing, per address (``RESIDENTS_LOOKUP_FAILURES_PER_ADDRESS``);
- lookups that found nothing, per household code typed, from any address
  (``RESIDENTS_LOOKUP_FAILURES_PER_CODE``): guessing one household's four digits from
  many addresses is as slow as from one;
- every lookup per address (``RESIDENTS_LOOKUPS_PER_ADDRESS``), so a sweep of
  right guesses is also bounded;
- requests per address (``RESIDENTS_REQUESTS_PER_ADDRESS``).
A refused attempt is logged too (outcome "throttled"), and counts: hammering keeps the
door shut. No count looks at the attempt's commune: an address (or a code) has one
budget across every commune of the deployment, so switching host names gives no fresh
attempts.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .models import AttemptAction, AttemptOutcome, PublicAttempt

FAILED = (AttemptOutcome.NO_MATCH, AttemptOutcome.THROTTLED)


def _limit(name: str, default: int) -> int:
    return getattr(settings, name, default)


def _since():
    return timezone.now() - timedelta(seconds=_limit("RESIDENTS_LIMIT_WINDOW", 3600))


def normalise_code(code: str) -> str:
    return "".join(code.split()).upper()[:20]


def lookup_allowed(*, address: str, code: str) -> bool:
    recent = PublicAttempt.objects.filter(
        action=AttemptAction.LOOKUP, created_at__gte=_since()
    )
    by_address = recent.filter(address=address)
    if by_address.filter(outcome__in=FAILED).count() >= _limit(
        "RESIDENTS_LOOKUP_FAILURES_PER_ADDRESS", 10
    ):
        return False
    if by_address.count() >= _limit("RESIDENTS_LOOKUPS_PER_ADDRESS", 30):
        return False
    by_code = recent.filter(household_code=normalise_code(code), outcome__in=FAILED)
    return by_code.count() < _limit("RESIDENTS_LOOKUP_FAILURES_PER_CODE", 5)


def request_allowed(*, address: str) -> bool:
    sent = PublicAttempt.objects.filter(
        action=AttemptAction.REQUEST, address=address, created_at__gte=_since()
    )
    return sent.count() < _limit("RESIDENTS_REQUESTS_PER_ADDRESS", 5)
