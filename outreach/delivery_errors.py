"""Why a delivery did not go out, in words an official can act on.

A channel that fails raises a ``ChannelError`` carrying one of these codes; the worker
stores it on the delivery next to the provider's own text (``Delivery.error``, kept for
support). The notice page shows the explanation below, never only the provider's English.

Each code has two explanations: one while the delivery waits for its next attempt (the
portal is still trying), one once it has failed (an official must do something). A
permanent cause fails at once, so both say the same; a passing one (a provider that is
down) only fails when the attempts run out.

Rows from before the codes existed have a blank code and read as ``UNKNOWN``.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class DeliveryErrorCode(models.TextChoices):
    # The group itself
    GROUP_INVALID = "group_invalid", _("Zalo group invalid")
    NOT_IN_GROUP = "not_in_group", _("Zalo account not in the group")
    NO_RECIPIENTS = "no_recipients", _("no recipient in the group")
    INVALID_ADDRESS = "invalid_address", _("invalid phone number or e-mail address")
    NOT_FORWARDED = "not_forwarded", _("not forwarded by the village officer")
    # The provider or the portal's account with it
    TOKEN = "token", _("Zalo account disconnected")
    NOT_CONFIGURED = "not_configured", _("channel not set up")
    REJECTED = "rejected", _("refused by the provider")
    QUOTA = "quota", _("sending quota used up")
    PROVIDER_DOWN = "provider_down", _("provider unavailable")
    TIMEOUT = "timeout", _("no answer in time")
    INTERRUPTED = "interrupted", _("send interrupted")
    UNKNOWN = "unknown", _("unknown")


@dataclass(frozen=True)
class Explanation:
    waiting: Promise  # the delivery is queued for another attempt
    failed: Promise  # the delivery has failed; someone must act


def _same(text: Promise) -> Explanation:
    return Explanation(waiting=text, failed=text)


C = DeliveryErrorCode
EXPLANATIONS: dict[str, Explanation] = {
    C.GROUP_INVALID: _same(
        _(
            "The village's Zalo group is no longer valid – check the group under "
            "“Groups”, then resend."
        )
    ),
    C.NOT_IN_GROUP: _same(
        _(
            "The commune's Zalo account is no longer a member of this group – add it "
            "back to the group, then resend."
        )
    ),
    C.NO_RECIPIENTS: _same(
        _(
            "The group has no phone number or e-mail address yet – add them under "
            "“Groups”, then resend."
        )
    ),
    C.INVALID_ADDRESS: _same(
        _(
            "A phone number or e-mail address of the group is wrong – correct it under "
            "“Groups”, then resend."
        )
    ),
    C.NOT_FORWARDED: _same(
        _("not forwarded by the village officer: counted as not delivered")
    ),
    C.TOKEN: Explanation(
        waiting=_(
            "The connection to the commune's Zalo account is being renewed – the "
            "portal will try again by itself."
        ),
        failed=_(
            "The commune's Zalo account must be connected again – tell the "
            "administrator."
        ),
    ),
    C.NOT_CONFIGURED: _same(
        _(
            "This channel is not set up correctly on the server – tell the administrator."
        )
    ),
    C.REJECTED: _same(
        _(
            "The provider refused the message – check the text (it may be too long) "
            "and the group; if it fails again, tell the administrator."
        )
    ),
    C.QUOTA: Explanation(
        waiting=_(
            "The sending quota is used up for now – the portal will send it again "
            "when the quota resets."
        ),
        failed=_("The sending quota was used up – resend it later."),
    ),
    C.PROVIDER_DOWN: Explanation(
        waiting=_(
            "The provider is not answering – the portal will try again by itself."
        ),
        failed=_(
            "The provider did not answer, even after several attempts – resend it "
            "later; if it keeps failing, tell the administrator."
        ),
    ),
    C.TIMEOUT: Explanation(
        waiting=_(
            "The provider did not answer in time – the portal will try again by itself."
        ),
        failed=_(
            "The provider did not answer in time, even after several attempts – "
            "resend it later."
        ),
    ),
    C.INTERRUPTED: Explanation(
        waiting=_(
            "The send was interrupted – the portal is sending it again; the group may "
            "receive the notice twice."
        ),
        failed=_("The send was interrupted – resend it."),
    ),
    C.UNKNOWN: Explanation(
        waiting=_("Sending did not work – the portal will try again by itself."),
        failed=_(
            "Sending failed for a reason the portal does not know – tell the "
            "administrator and give them the technical details."
        ),
    ),
}


def explain(code: str, *, failed: bool) -> Promise:
    """The explanation of ``code`` (blank or unknown codes: ``UNKNOWN``)."""
    explanation = EXPLANATIONS.get(code) or EXPLANATIONS[DeliveryErrorCode.UNKNOWN]
    return explanation.failed if failed else explanation.waiting
