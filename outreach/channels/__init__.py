"""Channel backends for village notices: one small interface, one backend per channel.

A Celery task sends each delivery with ``get_channel(group.channel).send(message)``; see
``base`` for what comes back. Settings are read when a channel is built, not at import,
so tests and a deployment's environment both reach them.
"""

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured

from .base import (
    Channel,
    ChannelError,
    Message,
    PermanentError,
    QuotaExceeded,
    Sent,
    TransientError,
)
from .console import ConsoleChannel
from .email import EmailChannel
from .sms import SmsChannel
from .zalo import DatabaseTokenStore, TokenStore, ZaloChannel

_FACTORIES: dict[str, Callable[[], Channel]] = {
    "console": ConsoleChannel,
    "zalo": ZaloChannel.from_settings,
    "sms": SmsChannel.from_settings,
    "email": EmailChannel,
}
CHANNEL_NAMES: tuple[str, ...] = tuple(_FACTORIES)


def get_channel(name: str) -> Channel:
    """The backend for a channel name; ImproperlyConfigured if unknown or unconfigured."""
    try:
        factory = _FACTORIES[name]
    except KeyError:
        raise ImproperlyConfigured(
            f"Unknown channel {name!r}; expected one of {', '.join(CHANNEL_NAMES)}."
        ) from None
    return factory()


__all__ = [
    "CHANNEL_NAMES",
    "Channel",
    "ChannelError",
    "ConsoleChannel",
    "DatabaseTokenStore",
    "EmailChannel",
    "Message",
    "PermanentError",
    "QuotaExceeded",
    "Sent",
    "SmsChannel",
    "TokenStore",
    "TransientError",
    "ZaloChannel",
    "get_channel",
]
