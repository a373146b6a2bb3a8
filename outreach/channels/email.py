"""The e-mail channel: Django's e-mail backend to a group's address list.

Whatever ``EMAIL_BACKEND`` the deployment configures (SMTP in production, locmem in
tests, console on a developer's machine) carries the message. SMTP answers are sorted by
their reply code: 5xx is permanent, 4xx (greylisting, a full mailbox) and a connection
that fails are worth retrying.
"""

from __future__ import annotations

import smtplib
from email.utils import make_msgid

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.mail.utils import DNS_NAME
from django.core.validators import validate_email

from ..delivery_errors import DeliveryErrorCode
from .base import Message, PermanentError, Sent, TransientError

SUBJECT_MAX = 100


class EmailChannel:
    name = "email"

    def send(self, message: Message) -> Sent:
        addresses = parse_addresses(message.target)
        # Our own Message-ID is the provider id: it is what a bounce or a reply quotes.
        message_id = make_msgid(domain=DNS_NAME.get_fqdn())
        email = EmailMessage(
            subject=subject_for(message),
            body=message.text,
            to=addresses,
            headers={"Message-ID": message_id},
        )
        try:
            email.send(fail_silently=False)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _reply in exc.recipients.values()]
            refused = ", ".join(sorted(exc.recipients))
            # Every recipient refused; only a 4xx from all of them is worth retrying.
            if codes and all(400 <= code < 500 for code in codes):
                raise TransientError(
                    f"mail server deferred: {refused}",
                    code=DeliveryErrorCode.PROVIDER_DOWN,
                ) from exc
            raise PermanentError(
                f"mail server refused: {refused}",
                code=DeliveryErrorCode.INVALID_ADDRESS,
            ) from exc
        except smtplib.SMTPResponseException as exc:
            reason = f"mail server answered {exc.smtp_code}"
            if 400 <= exc.smtp_code < 500:
                raise TransientError(
                    reason, code=DeliveryErrorCode.PROVIDER_DOWN
                ) from exc
            raise PermanentError(reason, code=DeliveryErrorCode.REJECTED) from exc
        except (smtplib.SMTPException, OSError) as exc:
            # Disconnected, refused, timed out: the server was not reached.
            raise TransientError(
                f"mail server unreachable ({type(exc).__name__})",
                code=DeliveryErrorCode.PROVIDER_DOWN,
            ) from exc
        return Sent(provider_id=message_id)


def parse_addresses(target: str) -> list[str]:
    addresses = [part.strip() for part in target.split(",") if part.strip()]
    if not addresses:
        raise PermanentError(
            "no e-mail address in the group", code=DeliveryErrorCode.NO_RECIPIENTS
        )
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError as exc:
            raise PermanentError(
                f"invalid e-mail address: {address}",
                code=DeliveryErrorCode.INVALID_ADDRESS,
            ) from exc
    return addresses


def subject_for(message: Message) -> str:
    """The message's subject, or the first line of its text, on one short line."""
    subject = message.subject or next(
        (line for line in message.text.splitlines() if line.strip()), ""
    )
    subject = " ".join(subject.split())
    if len(subject) > SUBJECT_MAX:
        subject = subject[: SUBJECT_MAX - 1].rstrip() + "…"
    return subject
