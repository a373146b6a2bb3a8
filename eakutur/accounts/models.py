"""Portal users and their roles.

A user belongs to one commune. Commune admins and commune officials see every village of
their commune; a village officer sees only the villages assigned to them. The scoping itself
is applied in the selectors of each app (``households.selectors.villages_for``), never in views.
"""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COMMUNE_ADMIN = "commune_admin", _("Commune administrator")
    COMMUNE_OFFICIAL = "commune_official", _("Commune official")
    VILLAGE_OFFICER = "village_officer", _("Village officer")


class User(AbstractUser):
    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.VILLAGE_OFFICER
    )
    commune = models.ForeignKey(
        "households.Commune",
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    villages = models.ManyToManyField(
        "households.Village",
        verbose_name=_("villages"),
        blank=True,
        related_name="officers",
        help_text=_("A village officer sees and edits only these villages."),
    )
    # One field in the order people write it: "Nguyễn Thị Thu Hà", "Y Bhin Niê". Django's
    # first/last split gets either Kinh or Ê Đê names backwards.
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=15, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name()

    @property
    def is_commune_wide(self) -> bool:
        """True when the user may see every village of their commune."""
        return self.is_superuser or self.role in (
            Role.COMMUNE_ADMIN,
            Role.COMMUNE_OFFICIAL,
        )

    @property
    def can_manage_users(self) -> bool:
        return self.is_superuser or self.role == Role.COMMUNE_ADMIN

    def clean(self) -> None:
        super().clean()
        if not self.is_superuser and self.commune_id is None:
            raise ValidationError(
                {"commune": _("Every portal user belongs to a commune.")}
            )
