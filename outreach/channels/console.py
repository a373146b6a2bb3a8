"""The console channel: the default on a developer's machine.

It sends nothing anywhere; it writes each message to the ``outreach.channels.console``
logger, so ``make run`` works without credentials and without the internet. The outbox
page (which arrives with notices) shows what was "sent" from the delivery rows.
"""

import logging

from .base import Message, Sent

logger = logging.getLogger(__name__)


class ConsoleChannel:
    name = "console"

    def send(self, message: Message) -> Sent:
        """Log the message; never fails."""
        logger.info(
            "Notice to %s (delivery %s)%s\n%s",
            message.target,
            message.key,
            f" [{message.subject}]" if message.subject else "",
            message.text,
        )
        return Sent(provider_id=f"console-{message.key}")
