"""The one small interface every channel backend implements.

A Celery task sends each delivery row through ``get_channel(name).send(message)`` and
decides what to do next from what comes back: a ``Sent`` records the provider's id; the
exception's class says whether to retry (``TransientError``), fail once with the reason
(``PermanentError``), or wait for the provider's quota to reset without counting an
attempt (``QuotaExceeded``). Backends therefore never retry on their own, except the
Zalo client's single retry after refreshing its token, which is part of one send.

The HTTP helper at the bottom is shared by the Zalo and SMS clients so both map a broken
connection, a timeout or a dropped answer to ``TransientError`` the same way.
"""

from __future__ import annotations

import http.client
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from django.core.exceptions import ImproperlyConfigured

from ..delivery_errors import DeliveryErrorCode


@dataclass(frozen=True)
class Message:
    """One notice to one group.

    ``target`` is the group's external id as the channel knows it: a Zalo group id, a
    comma-separated list of phone numbers, or a comma-separated list of e-mail addresses.
    ``key`` is the delivery's id: providers that accept an idempotency key or a client
    reference get it, so a send repeated after a lost answer can be recognised.
    """

    target: str
    text: str
    key: str
    subject: str = ""


@dataclass(frozen=True)
class Sent:
    """The provider accepted the message; its id goes on the delivery row."""

    provider_id: str


class ChannelError(Exception):
    """A send that did not go through.

    ``reason`` is the provider's own short text, kept on the delivery row for support;
    ``code`` (a ``DeliveryErrorCode``) is what the official is told, translated.
    """

    default_code = DeliveryErrorCode.UNKNOWN

    def __init__(self, reason: str, *, code: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code or self.default_code


class TransientError(ChannelError):
    """Worth retrying with backoff: 5xx, timeouts, refused connections, unknown codes."""


class PermanentError(ChannelError):
    """Retrying cannot help: invalid recipient or parameters, a 4xx other than 429."""


class QuotaExceeded(ChannelError):
    """The provider's quota is spent: defer until ``retry_at`` without burning a retry.

    ``retry_at`` is None when the provider did not say when the quota resets; the caller
    then picks its own delay.
    """

    default_code = DeliveryErrorCode.QUOTA

    def __init__(
        self,
        reason: str,
        *,
        retry_at: datetime | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(reason, code=code)
        self.retry_at = retry_at


@runtime_checkable
class Channel(Protocol):
    name: str

    def send(self, message: Message) -> Sent: ...


# --- HTTP transport shared by the Zalo and SMS clients ---------------------------------


@dataclass(frozen=True)
class HttpAnswer:
    status: int
    headers: Mapping[str, str]
    body: bytes


def http_post(
    url: str,
    *,
    body: bytes,
    headers: Mapping[str, str],
    timeout: float,
    provider: str,
) -> HttpAnswer:
    """POST and return whatever status came back; raise TransientError if none did.

    Non-2xx statuses are returned, not raised: each provider maps them its own way.
    Proxies from the environment (``HTTPS_PROXY``) are honoured, as a commune's intranet
    may need one to reach the provider.
    """
    # Only http(s): the URL comes from settings, and this refuses file:// and friends,
    # which is what ruff's S310 warns about.
    if not url.startswith(("http://", "https://")):
        raise ImproperlyConfigured(f"{provider} URL must be http(s): {url!r}")
    request = urllib.request.Request(  # noqa: S310 (scheme checked above)
        url, data=body, headers=dict(headers), method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (as above)
            return HttpAnswer(response.status, response.headers, response.read())
    except urllib.error.HTTPError as exc:
        try:
            error_body = exc.read()
        except (OSError, http.client.HTTPException):
            error_body = b""
        return HttpAnswer(exc.code, exc.headers, error_body)
    except TimeoutError as exc:
        raise _no_answer(provider, timeout) from exc
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise _no_answer(provider, timeout) from exc
        raise TransientError(
            f"{provider}: connection failed ({exc.reason})",
            code=DeliveryErrorCode.PROVIDER_DOWN,
        ) from exc
    except (OSError, http.client.HTTPException) as exc:
        # Reset connections, answers cut short: the provider may or may not have acted.
        raise TransientError(
            f"{provider}: {type(exc).__name__}", code=DeliveryErrorCode.PROVIDER_DOWN
        ) from exc


def _no_answer(provider: str, timeout: float) -> TransientError:
    return TransientError(
        f"{provider}: no answer within {timeout:g} s", code=DeliveryErrorCode.TIMEOUT
    )
