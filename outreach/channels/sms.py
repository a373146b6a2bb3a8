"""The SMS channel: a client of a generic HTTP SMS gateway.

Vietnamese SMS gateways differ in their details, so the portal speaks one plain JSON shape
and a small adapter (or the gateway itself) translates: ``POST SMS_GATEWAY_URL`` with
``Authorization: Bearer SMS_GATEWAY_TOKEN`` and ``{"to": [...], "text": ..., "client_ref":
delivery id}``; a 2xx answers ``{"id": ...}``. ``client_ref`` lets a gateway drop a send
repeated after a lost answer.

A village group's target is a comma-separated list of mobile numbers, checked with the
registry's own rule (``households.text.normalise_phone``) so a typo fails the delivery
with a clear reason instead of reaching the gateway.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils import timezone

from households.text import normalise_phone

from ..delivery_errors import DeliveryErrorCode
from .base import (
    Message,
    PermanentError,
    QuotaExceeded,
    Sent,
    TransientError,
    http_post,
)

logger = logging.getLogger(__name__)


class SmsChannel:
    name = "sms"

    def __init__(self, *, url: str, token: str, timeout: float) -> None:
        self._url = url
        self._token = token
        self._timeout = timeout

    @classmethod
    def from_settings(cls) -> SmsChannel:
        url = getattr(settings, "SMS_GATEWAY_URL", "")
        if not url:
            raise ImproperlyConfigured("The sms channel needs SMS_GATEWAY_URL.")
        return cls(
            url=url,
            token=getattr(settings, "SMS_GATEWAY_TOKEN", ""),
            timeout=float(getattr(settings, "CHANNEL_TIMEOUT_SECONDS", 10)),
        )

    def send(self, message: Message) -> Sent:
        phones = parse_phones(message.target)
        body = {"to": phones, "text": message.text, "client_ref": message.key}
        answer = http_post(
            self._url,
            body=json.dumps(body, ensure_ascii=False).encode(),
            headers={
                "Authorization": f"Bearer {self._token}",
                "Content-Type": "application/json; charset=utf-8",
            },
            timeout=self._timeout,
            provider="SMS gateway",
        )
        status = answer.status
        if status == 429:
            raise QuotaExceeded(
                "SMS gateway: HTTP 429",
                retry_at=retry_after(answer.headers.get("Retry-After")),
            )
        # 408 is the gateway's own timeout: as transient as ours.
        if status == 408:
            raise TransientError(
                "SMS gateway: HTTP 408", code=DeliveryErrorCode.TIMEOUT
            )
        if status >= 500:
            raise TransientError(
                f"SMS gateway: HTTP {status}", code=DeliveryErrorCode.PROVIDER_DOWN
            )
        if not 200 <= status < 300:
            # 401/403: the gateway refuses the portal's token, not this message.
            code = (
                DeliveryErrorCode.NOT_CONFIGURED
                if status in (401, 403)
                else DeliveryErrorCode.REJECTED
            )
            raise PermanentError(
                f"SMS gateway: HTTP {status}{_detail(answer.body)}", code=code
            )
        try:
            provider_id = str(json.loads(answer.body)["id"])
        except (ValueError, KeyError, TypeError):
            # A 2xx means the gateway took the message; sending again would double it.
            # Record our own reference, which the gateway knows as client_ref.
            logger.warning(
                "SMS gateway accepted delivery %s without an id", message.key
            )
            provider_id = message.key
        return Sent(provider_id=provider_id)


def parse_phones(target: str) -> list[str]:
    """``"0912 345 678, +84987654321"`` -> ``["0912345678", "0987654321"]``."""
    phones = []
    for raw in target.split(","):
        if not raw.strip():
            continue
        try:
            phones.append(normalise_phone(raw))
        except ValidationError as exc:
            raise PermanentError(
                f"invalid phone number: {raw.strip()}",
                code=DeliveryErrorCode.INVALID_ADDRESS,
            ) from exc
    if not phones:
        raise PermanentError(
            "no phone number in the group", code=DeliveryErrorCode.NO_RECIPIENTS
        )
    return phones


def retry_after(value: str | None) -> datetime | None:
    """The moment a ``Retry-After`` header names (seconds or an HTTP date), if any."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return timezone.now() + timedelta(seconds=int(value))
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return moment if timezone.is_aware(moment) else None


def _detail(body: bytes) -> str:
    """A short excerpt of an error answer, for the delivery row."""
    text = body.decode("utf-8", errors="replace").strip()
    return f" ({text[:120]})" if text else ""
