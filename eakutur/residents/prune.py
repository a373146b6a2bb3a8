"""What the public pages leave behind, cleared daily: anonymous sessions (each
questionnaire keeps its answers in one) once expired, and the log of lookups and
requests after ``RESIDENTS_ATTEMPT_RETENTION_DAYS`` (it holds addresses, which are
personal data, and the rate limits only look back an hour)."""

from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.utils import timezone

from .models import PublicAttempt


def prune_public_records() -> dict[str, int]:
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore.clear_expired()
    cutoff = timezone.now() - timedelta(days=settings.RESIDENTS_ATTEMPT_RETENTION_DAYS)
    deleted, _detail = PublicAttempt.objects.filter(created_at__lt=cutoff).delete()
    return {"attempts_deleted": deleted}
