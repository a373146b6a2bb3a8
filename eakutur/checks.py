"""System checks of the project's own settings (run by ``manage.py check``)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

CONSOLE_BACKEND = "django.core.mail.backends.console.EmailBackend"


@register(Tags.compatibility, deploy=True)
def email_is_configured(app_configs, **kwargs):
    """In production, village officers' relay reminders must really leave the server."""
    if settings.EMAIL_BACKEND == CONSOLE_BACKEND:
        return [
            Warning(
                "E-mail is printed to the log, not sent.",
                hint="Set EMAIL_URL (e.g. smtp+tls://user:password@mail.example:587).",
                id="eakutur.W001",
            )
        ]
    return []
