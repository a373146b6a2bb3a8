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


# --- Login security (eakutur/accounts/lockout.py, second_factor.py) --------------------


class LoginFailure(models.Model):
    """One failed sign-in (wrong password, or wrong code at the second step). Counted per
    (username typed, address) and per address; deleted by a successful sign-in of the
    pair and by the daily prune. The username is what was typed, normalised: a name that
    belongs to nobody is counted exactly like a real one."""

    username = models.CharField(_("username typed"), max_length=150)
    address = models.GenericIPAddressField(_("address"))
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("failed sign-in")
        verbose_name_plural = _("failed sign-ins")
        indexes = [
            models.Index(
                fields=["username", "address", "created_at"], name="loginfail_pair"
            ),
            models.Index(fields=["address", "created_at"], name="loginfail_address"),
        ]

    def __str__(self) -> str:
        return f"{self.username} @ {self.address}"


class LockoutScope(models.TextChoices):
    ACCOUNT = "account", _("This username from this address")
    ADDRESS = "address", _("Every username from this address")


class LoginLockout(models.Model):
    """Sign-ins refused until ``until``: for one (username, address) pair, or for an
    address that tried too many usernames. Kept as the record the commune administrator
    sees (and can lift early)."""

    scope = models.CharField(_("scope"), max_length=10, choices=LockoutScope.choices)
    username = models.CharField(_("username typed"), max_length=150, blank=True)
    address = models.GenericIPAddressField(_("address"))
    started_at = models.DateTimeField(_("locked at"), auto_now_add=True)
    until = models.DateTimeField(_("locked until"))

    class Meta:
        verbose_name = _("sign-in lockout")
        verbose_name_plural = _("sign-in lockouts")
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["address", "username", "until"], name="lockout_key"),
        ]

    def __str__(self) -> str:
        return f"{self.username or '*'} @ {self.address}"


class SecondFactor(models.Model):
    """A user's authenticator app (TOTP, RFC 6238). The secret is encrypted with a key
    derived from SECRET_KEY (eakutur/accounts/crypto.py), so a database dump or backup
    alone cannot mint codes. ``last_step`` is the 30-second step of the last code
    accepted: a code is good once."""

    user = models.OneToOneField(
        User,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="second_factor",
    )
    encrypted_secret = models.TextField(_("encrypted secret"))
    last_step = models.BigIntegerField(_("last step used"), default=0)
    enabled_at = models.DateTimeField(_("turned on at"), auto_now_add=True)

    class Meta:
        verbose_name = _("second factor")
        verbose_name_plural = _("second factors")

    def __str__(self) -> str:
        return str(self.user)


class RecoveryCode(models.Model):
    """A one-time code for when the phone is lost. Only its SHA-256 is kept: the codes
    are random (60 bits), so a fast hash is enough and checking one costs nothing."""

    user = models.ForeignKey(
        User,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="recovery_codes",
    )
    code_hash = models.CharField(_("code hash"), max_length=64)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "code_hash"], name="recoverycode_unique_per_user"
            )
        ]

    def __str__(self) -> str:
        return str(self.user)
