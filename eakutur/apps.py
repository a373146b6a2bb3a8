from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EakuturConfig(AppConfig):
    name = "eakutur"
    verbose_name = _("Ea Ktur commune portal")

    def ready(self) -> None:
        from . import checks  # noqa: F401 (registers the project's system checks)
