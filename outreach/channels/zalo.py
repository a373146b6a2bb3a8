"""The Zalo channel: a client of the Zalo Official Account Open API (group messages).

The OA posts a notice into a village group the OA itself manages (Group Message Framework;
see ../shared/domain/zalo.md for what the API can and cannot reach). Zalo answers errors
with HTTP 200 and a non-zero ``error`` in the JSON body, so the body, not the status,
decides between sent, retry, fail and defer.

Access tokens expire after about a day and refresh tokens rotate on every use: a refresh
must store both new tokens, and two workers must never spend the same refresh token (the
second would get "invalid refresh token" and the channel would be dead until an official
authorises the OA again). Hence the lock around the refresh.

Standard library only (``urllib.request``): one POST per send needs no HTTP dependency.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.parse
import uuid
from datetime import datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from ..delivery_errors import DeliveryErrorCode
from .base import (
    HttpAnswer,
    Message,
    PermanentError,
    QuotaExceeded,
    Sent,
    TransientError,
    http_post,
)

logger = logging.getLogger(__name__)

# Zalo's quotas reset on Vietnamese calendar days and months, whatever TIME_ZONE says.
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")

GROUP_MESSAGE_PATH = "/v3.0/oa/group/message"
REFRESH_PATH = "/v4/oa/access_token"

# --- Zalo's error codes ----------------------------------------------------------------
# The published tables disagree with one another and none covers group messages fully, so
# every code below is UNCONFIRMED until seen from the real API. Any code not listed is
# transient: better to retry a few times than to lose a notice on a code we misread.

# Access token invalid (-124, -216) or expired (-220): refresh once, then send again.
TOKEN_CODES = frozenset({-124, -216, -220})

# The recipient or the request is wrong; sending the same thing again cannot help.
# Each with a description for the delivery row and what the official is told.
PERMANENT_CODES = {
    -201: ("invalid parameter", DeliveryErrorCode.REJECTED),
    -210: ("parameter exceeds its limit (text too long?)", DeliveryErrorCode.REJECTED),
    -230: ("invalid group", DeliveryErrorCode.GROUP_INVALID),
    -232: ("the OA is not a member of the group", DeliveryErrorCode.NOT_IN_GROUP),
}

# Quotas, by the moment they are expected to reset:
RATE_LIMIT_CODES = frozenset({-32})  # "exceeded request limit": window unknown
DAILY_QUOTA_CODES = frozenset({-211, -218})  # out of the day's quota
MONTHLY_QUOTA_CODES = frozenset({-229, -237})  # out of the OA's monthly message quota
# A rate limit whose window we do not know is retried after a short wait rather than the
# next day: a notice that can still go out today should not wait a day.
RATE_LIMIT_WAIT = timedelta(minutes=15)


def quota_retry_at(code: int, *, now: datetime) -> datetime:
    """When to try again after quota code ``code``: Vietnamese midnight or month start."""
    local = now.astimezone(VIETNAM)
    if code in MONTHLY_QUOTA_CODES:
        year, month = (
            (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
        )
        return datetime(year, month, 1, tzinfo=VIETNAM)
    if code in DAILY_QUOTA_CODES:
        tomorrow = local.date() + timedelta(days=1)
        return datetime(tomorrow.year, tomorrow.month, tomorrow.day, tzinfo=VIETNAM)
    return now + RATE_LIMIT_WAIT


# --- Where the tokens live -------------------------------------------------------------


class TokenStore(Protocol):
    def get(self) -> tuple[str, str]:
        """The current (access token, refresh token)."""
        ...

    def save(self, access: str, refresh: str) -> None: ...


class DatabaseTokenStore:
    """Tokens in the ``ProviderToken`` row, seeded from ``ZALO_ACCESS_TOKEN`` and
    ``ZALO_REFRESH_TOKEN`` until the first refresh writes the row.

    The database, not the cache: Zalo spends a refresh token on every use, so the rotated
    one must survive a cache flush and a restart. After the first refresh the settings
    are never read again (their refresh token is already spent).
    """

    PROVIDER = "zalo"

    def get(self) -> tuple[str, str]:
        from ..models import ProviderToken

        stored = (
            ProviderToken.objects.filter(provider=self.PROVIDER)
            .values_list("access_token", "refresh_token")
            .first()
        )
        if stored is not None:
            return stored
        return (
            getattr(settings, "ZALO_ACCESS_TOKEN", ""),
            getattr(settings, "ZALO_REFRESH_TOKEN", ""),
        )

    def save(self, access: str, refresh: str) -> None:
        from ..models import ProviderToken

        ProviderToken.objects.update_or_create(
            provider=self.PROVIDER,
            defaults={"access_token": access, "refresh_token": refresh},
        )


# --- The channel -----------------------------------------------------------------------


class ZaloChannel:
    name = "zalo"
    REFRESH_LOCK_KEY = "zalo:refresh_lock"

    def __init__(
        self,
        *,
        base_url: str,
        oauth_url: str,
        app_id: str,
        secret_key: str,
        token_store: TokenStore,
        timeout: float,
        refresh_wait: float | None = None,
    ) -> None:
        self._base_url = base_url.rstrip("/")
        self._oauth_url = oauth_url.rstrip("/")
        self._app_id = app_id
        self._secret_key = secret_key
        self._tokens = token_store
        self._timeout = timeout
        # A worker that finds another one refreshing waits about one refresh call for the
        # new token. The lock outlives a refresh call so it cannot lapse mid-refresh, and
        # expires on its own if its holder dies.
        self._refresh_wait = timeout + 1.0 if refresh_wait is None else refresh_wait
        self._lock_ttl = int(timeout * 2) + 5

    @classmethod
    def from_settings(cls) -> ZaloChannel:
        app_id = getattr(settings, "ZALO_APP_ID", "")
        secret_key = getattr(settings, "ZALO_SECRET_KEY", "")
        if not app_id or not secret_key:
            raise ImproperlyConfigured(
                "The zalo channel needs ZALO_APP_ID and ZALO_SECRET_KEY."
            )
        return cls(
            base_url=getattr(settings, "ZALO_BASE_URL", "https://openapi.zalo.me"),
            oauth_url=getattr(settings, "ZALO_OAUTH_URL", "https://oauth.zaloapp.com"),
            app_id=app_id,
            secret_key=secret_key,
            token_store=DatabaseTokenStore(),
            timeout=float(getattr(settings, "CHANNEL_TIMEOUT_SECONDS", 10)),
        )

    def send(self, message: Message) -> Sent:
        access, _refresh = self._tokens.get()
        answer = self._post_group_message(access, message)
        if answer["error"] in TOKEN_CODES:
            access = self._refreshed_token(stale=access)
            answer = self._post_group_message(access, message)
            if answer["error"] in TOKEN_CODES:
                raise PermanentError(
                    f"Zalo token refresh failed: new token rejected ({answer['error']})",
                    code=DeliveryErrorCode.TOKEN,
                )
        return self._interpret(answer)

    def _post_group_message(self, access: str, message: Message) -> dict[str, Any]:
        body = {
            "recipient": {"group_id": message.target},
            "message": {"text": message.text},
        }
        answer = http_post(
            self._base_url + GROUP_MESSAGE_PATH,
            body=json.dumps(body, ensure_ascii=False).encode(),
            headers={
                "access_token": access,
                "Content-Type": "application/json; charset=utf-8",
            },
            timeout=self._timeout,
            provider="Zalo",
        )
        payload = _json_payload(
            answer, provider="Zalo", refused=DeliveryErrorCode.REJECTED
        )
        if not isinstance(payload.get("error"), int):
            raise TransientError(
                "Zalo: answer without an error code",
                code=DeliveryErrorCode.PROVIDER_DOWN,
            )
        return payload

    def _interpret(self, answer: dict[str, Any]) -> Sent:
        code: int = answer["error"]
        if code == 0:
            data = answer.get("data") or {}
            return Sent(provider_id=str(data.get("message_id", "")))
        known, error_code = PERMANENT_CODES.get(code, ("", DeliveryErrorCode.UNKNOWN))
        detail = str(answer.get("message") or known)[:120]
        reason = f"Zalo error {code}: {detail}".rstrip(": ")
        if code in PERMANENT_CODES:
            raise PermanentError(reason, code=error_code)
        if code in RATE_LIMIT_CODES | DAILY_QUOTA_CODES | MONTHLY_QUOTA_CODES:
            raise QuotaExceeded(
                reason, retry_at=quota_retry_at(code, now=timezone.now())
            )
        raise TransientError(reason, code=error_code)

    def _refreshed_token(self, *, stale: str) -> str:
        """A fresh access token: refreshed here under the lock, or by whoever holds it."""
        owner = uuid.uuid4().hex
        deadline = time.monotonic() + self._refresh_wait
        while True:
            if cache.add(self.REFRESH_LOCK_KEY, owner, timeout=self._lock_ttl):
                try:
                    access, refresh = self._tokens.get()
                    if access != stale:
                        return access  # refreshed by another worker while we sent
                    return self._refresh(refresh)
                finally:
                    # Not atomic, but the lock outlives a refresh call, so it is ours.
                    if cache.get(self.REFRESH_LOCK_KEY) == owner:
                        cache.delete(self.REFRESH_LOCK_KEY)
            access, _refresh = self._tokens.get()
            if access != stale:
                return access
            if time.monotonic() >= deadline:
                raise TransientError(
                    "Zalo token refresh in progress elsewhere",
                    code=DeliveryErrorCode.TOKEN,
                )
            time.sleep(0.05)

    def _refresh(self, refresh: str) -> str:
        if not refresh:
            raise PermanentError(
                "Zalo token refresh failed: no refresh token",
                code=DeliveryErrorCode.TOKEN,
            )
        form = {
            "app_id": self._app_id,
            "grant_type": "refresh_token",
            "refresh_token": refresh,
        }
        # If this call times out after Zalo rotated the token, the new refresh token is
        # lost and an official must authorise the OA again; nothing here can prevent it.
        answer = http_post(
            self._oauth_url + REFRESH_PATH,
            body=urllib.parse.urlencode(form).encode(),
            headers={
                "secret_key": self._secret_key,
                "Content-Type": "application/x-www-form-urlencoded",
            },
            timeout=self._timeout,
            provider="Zalo token refresh failed",
        )
        payload = _json_payload(
            answer,
            provider="Zalo token refresh failed",
            refused=DeliveryErrorCode.TOKEN,
        )
        access, new_refresh = payload.get("access_token"), payload.get("refresh_token")
        if not (isinstance(access, str) and access and isinstance(new_refresh, str)):
            detail = (
                payload.get("error_name")
                or payload.get("error_description")
                or payload.get("error")
                or "no token in the answer"
            )
            raise PermanentError(
                f"Zalo token refresh failed: {str(detail)[:120]}",
                code=DeliveryErrorCode.TOKEN,
            )
        self._tokens.save(access, new_refresh or refresh)
        logger.info("Zalo access token refreshed")  # never the token itself
        return access


def _json_payload(
    answer: HttpAnswer, *, provider: str, refused: DeliveryErrorCode
) -> dict[str, Any]:
    """The JSON object of a 2xx answer; HTTP failures mapped to the error classes.

    ``refused`` is the code of a 4xx: the message refused, or the OA's tokens refused.
    """
    if answer.status == 429 or answer.status >= 500:
        raise TransientError(
            f"{provider}: HTTP {answer.status}", code=DeliveryErrorCode.PROVIDER_DOWN
        )
    if not 200 <= answer.status < 300:
        raise PermanentError(f"{provider}: HTTP {answer.status}", code=refused)
    unreadable = TransientError(
        f"{provider}: unreadable answer", code=DeliveryErrorCode.PROVIDER_DOWN
    )
    try:
        payload = json.loads(answer.body)
    except ValueError as exc:  # UnicodeDecodeError is a ValueError too
        raise unreadable from exc
    if not isinstance(payload, dict):
        raise unreadable
    return payload
