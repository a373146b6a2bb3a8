from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoansConfig(AppConfig):
    name = "loans"
    verbose_name = _("Preferential loans")

    def ready(self) -> None:
        from households.panels import register_panel

        from .panels import household_loans_panel

        register_panel(household_loans_panel)
