from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingsConfig(AppConfig):
    name = "trainings"
    verbose_name = _("Trainings")

    def ready(self) -> None:
        from households.panels import register_panel

        from .panels import household_trainings_panel

        register_panel(household_trainings_panel)
