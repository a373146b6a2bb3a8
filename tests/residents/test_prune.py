"""The daily clean-up of what the public pages leave behind."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.utils import timezone

from eakutur.residents.models import AttemptAction, AttemptOutcome, PublicAttempt
from eakutur.residents.tasks import prune_public_records

pytestmark = pytest.mark.django_db


def attempt(**kwargs) -> PublicAttempt:
    return PublicAttempt.objects.create(
        action=AttemptAction.LOOKUP,
        outcome=AttemptOutcome.NO_MATCH,
        address="203.0.113.7",
        household_code="BT-0001",
        **kwargs,
    )


def test_the_log_is_kept_for_the_retention_period_then_deleted(settings):
    settings.RESIDENTS_ATTEMPT_RETENTION_DAYS = 90
    with time_machine.travel(timezone.now() - timedelta(days=91)):
        old = attempt()
    recent = attempt()
    assert prune_public_records() == {"attempts_deleted": 1}
    assert list(PublicAttempt.objects.all()) == [recent]
    assert not PublicAttempt.objects.filter(pk=old.pk).exists()


def test_expired_sessions_are_cleared():
    from django.contrib.sessions.backends.db import SessionStore

    expired = SessionStore()
    expired["residents_check"] = {"village": 1}
    expired.set_expiry(-1)
    expired.save()
    alive = SessionStore()
    alive["residents_check"] = {"village": 1}
    alive.save()
    prune_public_records()
    assert list(Session.objects.values_list("session_key", flat=True)) == [
        alive.session_key
    ]
