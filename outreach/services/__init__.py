"""Writes of notices and their deliveries: one function per use case, each in one
transaction, audited where an official acts. Callers import from here, never from a
submodule.
"""

from ._common import notice_text
from .compose import notice_compose
from .deliveries import backoff, delivery_send
from .dispatch import deliveries_sweep, notice_dispatch_due
from .notices import (
    audience_villages,
    notice_cancel,
    notice_create,
    notice_resend_failed,
    notice_schedule,
    notice_submit,
    notice_target_groups,
)

__all__ = [
    "audience_villages",
    "backoff",
    "deliveries_sweep",
    "delivery_send",
    "notice_cancel",
    "notice_compose",
    "notice_create",
    "notice_dispatch_due",
    "notice_resend_failed",
    "notice_schedule",
    "notice_submit",
    "notice_target_groups",
    "notice_text",
]
