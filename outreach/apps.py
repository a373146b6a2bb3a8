from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "outreach"
    verbose_name = _("Outreach and notices")

    def ready(self) -> None:
        from households.panels import register_panel

        from .panels import household_outreach_panel

        register_panel(household_outreach_panel)
