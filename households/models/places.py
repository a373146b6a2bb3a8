"""Where households live and who they are: the commune, its villages and hamlets, and the
54 official ethnic groups.

One deployment may host several communes: a commune is a row, and everything officials
see is scoped to their own commune (see ``households.selectors.villages_for``).
"""

from django.core.validators import DomainNameValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..text import english_active

# The words a commune-level name may start with, capitalised as at a sentence's start.
ADMINISTRATIVE_UNITS = ("Xã", "Phường", "Thị trấn", "Đặc khu")


class Commune(models.Model):
    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=100)
    province = models.CharField(_("province"), max_length=100)
    is_urban = models.BooleanField(
        _("urban"),
        default=False,
        help_text=_("Urban communes are judged against the urban poverty line."),
    )
    # Which commune the resident portal serves is read from the request's host name
    # (``eakutur.residents.places``). NULL, not "", when unset: several communes may
    # have none, and a lone commune is served whatever the host.
    hostname = models.CharField(
        _("host name"),
        max_length=253,
        unique=True,
        null=True,
        blank=True,
        validators=[DomainNameValidator(accept_idna=False)],
        help_text=_(
            "The address residents open for this commune's portal, e.g. "
            "eaktur.example.gov.vn (no https://, no path). Needed only when the "
            "deployment hosts several communes; it must also be in ALLOWED_HOSTS."
        ),
    )

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name

    @property
    def name_in_sentence(self) -> str:
        """The name after other words: "Xã Ea Ktur" becomes "xã Ea Ktur", as Vietnamese
        writes the unit inside a sentence ("Ủy ban nhân dân xã Ea Ktur")."""
        for unit in ADMINISTRATIVE_UNITS:
            if self.name.startswith(unit + " "):
                return unit.lower() + self.name[len(unit) :]
        return self.name

    def clean(self) -> None:
        super().clean()
        # Host names are case-insensitive: stored lower-case, so that the portal's
        # lookup is an exact match and the unique constraint catches "EAKTUR.vn".
        self.hostname = (self.hostname or "").strip().lower() or None


class VillageKind(models.TextChoices):
    THON = "thon", _("village (thôn)")
    BUON = "buon", _("hamlet (buôn)")


class Village(models.Model):
    commune = models.ForeignKey(
        Commune,
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        related_name="villages",
    )
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(
        _("kind"), max_length=4, choices=VillageKind.choices, default=VillageKind.THON
    )
    is_ethnic_minority = models.BooleanField(
        _("ethnic-minority village"),
        default=False,
        help_text=_("Inhabited mainly by ethnic minorities."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        ordering = ("sort_order", "name")
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "code"], name="village_code_unique"
            ),
            models.UniqueConstraint(
                fields=["commune", "name"], name="village_name_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("households:village_detail", args=[self.pk])


class EthnicGroup(models.Model):
    """The 54 officially recognised ethnic groups, with their official codes."""

    code = models.CharField(_("code"), max_length=2, unique=True)
    name_vi = models.CharField(_("Vietnamese name"), max_length=50)
    name_en = models.CharField(_("English name"), max_length=50)
    present_locally = models.BooleanField(_("present in the commune"), default=False)

    class Meta:
        verbose_name = _("ethnic group")
        verbose_name_plural = _("ethnic groups")
        ordering = ("code",)

    def __str__(self) -> str:
        return self.name_en if english_active() else self.name_vi

    @property
    def is_minority(self) -> bool:
        return self.code != "01"  # 01 is Kinh, the majority group
