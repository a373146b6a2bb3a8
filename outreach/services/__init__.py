"""Writes of notices and their deliveries: one function per use case, each in one
transaction, audited where an official acts. Callers import from here, never from a
submodule.
"""

from ._common import notice_text
from .applications import (
    APPLICATION_TRANSITIONS,
    FINAL_APPLICATION_STATUSES,
    allowed_statuses,
    application_record,
    application_update,
    application_update_status,
)
from .automatic import notice_schedule_automatic, notices_cancel_automatic
from .compose import notice_compose
from .contacts import CONTACT_FIELDS, contact_follow_up_done, contact_log
from .deliveries import backoff, delivery_send
from .dispatch import deliveries_sweep, notice_dispatch_due
from .groups import (
    GROUP_FIELDS,
    group_address_normalise,
    village_group_create,
    village_group_set_active,
    village_group_update,
)
from .notices import (
    audience_villages,
    notice_cancel,
    notice_create,
    notice_resend_failed,
    notice_schedule,
    notice_submit,
    notice_target_groups,
)
from .relay import (
    GIVE_UP_REASON,
    ChaseResult,
    relay_confirm,
    relay_waiting_since,
    relays_chase,
    wait_in_words,
    waiting_relays,
)
from .requests import resident_request_create
from .teams import (
    member_add,
    member_leave,
    member_update,
    team_create,
    team_update,
)

__all__ = [
    "APPLICATION_TRANSITIONS",
    "CONTACT_FIELDS",
    "FINAL_APPLICATION_STATUSES",
    "GIVE_UP_REASON",
    "GROUP_FIELDS",
    "ChaseResult",
    "allowed_statuses",
    "application_record",
    "application_update",
    "application_update_status",
    "audience_villages",
    "backoff",
    "contact_follow_up_done",
    "contact_log",
    "deliveries_sweep",
    "delivery_send",
    "group_address_normalise",
    "member_add",
    "member_leave",
    "member_update",
    "notice_cancel",
    "notice_compose",
    "notice_create",
    "notice_dispatch_due",
    "notice_resend_failed",
    "notice_schedule",
    "notice_schedule_automatic",
    "notice_submit",
    "notice_target_groups",
    "notice_text",
    "notices_cancel_automatic",
    "relay_confirm",
    "relay_waiting_since",
    "relays_chase",
    "resident_request_create",
    "team_create",
    "team_update",
    "village_group_create",
    "village_group_set_active",
    "village_group_update",
    "wait_in_words",
    "waiting_relays",
]
