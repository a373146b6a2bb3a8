"""The registry itself: households and their members, with the choices that describe them
(crops, sex, relation to the head) and the ``active()`` querysets of both.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..text import fold
from .places import Commune, EthnicGroup, Village
from .standards import PovertyStatus


class Crop(models.TextChoices):
    COFFEE = "coffee", _("coffee")
    PEPPER = "pepper", _("pepper")
    DURIAN = "durian", _("durian")
    RICE = "rice", _("rice")
    MAIZE = "maize", _("maize")
    CASSAVA = "cassava", _("cassava")
    FRUIT = "fruit", _("other fruit trees")
    LIVESTOCK = "livestock", _("livestock")
    OTHER = "other", _("other")


# The fields an official edits on a household and a member: the forms show exactly these
# and the services accept and audit exactly these.
HOUSEHOLD_EDITABLE_FIELDS = (
    "village",
    "code",
    "head_name",
    "head_national_id",
    "phone",
    "address",
    "ethnic_group",
    "main_crops",
    "farmed_area_ha",
    "uses_smartphone",
    "uses_zalo",
    "contact_consent",
)
MEMBER_EDITABLE_FIELDS = (
    "full_name",
    "sex",
    "birth_year",
    "relation",
    "ethnic_group",
    "national_id",
    "is_student",
    "has_disability",
    "has_health_insurance",
)


class HouseholdQuerySet(models.QuerySet):
    def active(self) -> "HouseholdQuerySet":
        return self.filter(is_active=True)


class Household(models.Model):
    commune = models.ForeignKey(
        Commune,
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        related_name="households",
    )
    village = models.ForeignKey(
        Village,
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="households",
    )
    code = models.CharField(
        _("household code"),
        max_length=20,
        help_text=_("Unique within the commune, e.g. the code on the review list."),
    )
    head_name = models.CharField(_("head of household"), max_length=100)
    head_national_id = models.CharField(
        _("head's national ID number"), max_length=12, null=True, blank=True
    )
    phone = models.CharField(_("phone"), max_length=10, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    ethnic_group = models.ForeignKey(
        EthnicGroup,
        verbose_name=_("ethnicity of the head"),
        on_delete=models.PROTECT,
        related_name="households",
    )
    main_crops = models.JSONField(_("main crops"), default=list, blank=True)
    farmed_area_ha = models.DecimalField(
        _("farmed area (ha)"),
        max_digits=7,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(1000)],
    )
    uses_smartphone = models.BooleanField(_("uses a smartphone"), default=False)
    uses_zalo = models.BooleanField(_("uses Zalo"), default=False)
    contact_consent = models.BooleanField(
        _("consents to be contacted"),
        default=False,
        help_text=_("The household agreed to receive notices by phone or Zalo."),
    )
    # Kept in step with the latest review by the review service, in the same transaction,
    # so lists and village counts filter on a column instead of a subquery per row.
    current_status = models.CharField(
        _("poverty status"),
        max_length=20,
        choices=PovertyStatus.choices,
        blank=True,
    )
    current_review_year = models.PositiveSmallIntegerField(
        _("latest review year"), null=True, blank=True
    )
    search_text = models.CharField(max_length=300, editable=False, db_index=True)
    is_active = models.BooleanField(_("active"), default=True)
    archived_reason = models.CharField(
        _("reason for archiving"), max_length=200, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ("village__sort_order", "code")
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "code"],
                name="household_code_unique",
                violation_error_message=_("A household with this code already exists."),
            ),
            models.UniqueConstraint(
                fields=["commune", "head_national_id"],
                condition=Q(head_national_id__isnull=False),
                name="household_head_id_unique",
                violation_error_message=_(
                    "Another household already has a head with this national ID."
                ),
            ),
            models.CheckConstraint(
                condition=Q(farmed_area_ha__gte=0), name="household_area_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(is_active=True) | ~Q(archived_reason=""),
                name="household_archive_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["village", "current_status"]),
            models.Index(fields=["commune", "current_status"]),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.head_name}"

    def save(self, *args, **kwargs) -> None:
        self.refresh_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text", "updated_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("households:household_detail", args=[self.pk])

    def clean(self) -> None:
        if (
            self.village_id
            and self.commune_id
            and self.village.commune_id != self.commune_id
        ):
            raise ValidationError(
                {"village": _("This village belongs to another commune.")}
            )

    def refresh_search_text(self) -> None:
        # Name first: sorting by this column sorts by the head's name without diacritics.
        parts = [self.head_name, self.code, self.phone, self.head_national_id]
        self.search_text = fold(" ".join(filter(None, parts)))[:300]


class Sex(models.TextChoices):
    MALE = "male", _("male")
    FEMALE = "female", _("female")


class Relation(models.TextChoices):
    HEAD = "head", _("head of household")
    SPOUSE = "spouse", _("spouse")
    CHILD = "child", _("child")
    PARENT = "parent", _("parent")
    GRANDCHILD = "grandchild", _("grandchild")
    SIBLING = "sibling", _("sibling")
    IN_LAW = "in_law", _("child-in-law")
    OTHER = "other", _("other relative")


class MemberQuerySet(models.QuerySet):
    def active(self) -> "MemberQuerySet":
        return self.filter(is_active=True)


class Member(models.Model):
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="members",
    )
    full_name = models.CharField(_("full name"), max_length=100)
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices)
    birth_year = models.PositiveSmallIntegerField(
        _("birth year"), validators=[MinValueValidator(1900)]
    )
    relation = models.CharField(
        _("relation to the head"), max_length=12, choices=Relation.choices
    )
    ethnic_group = models.ForeignKey(
        EthnicGroup,
        verbose_name=_("ethnicity"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    national_id = models.CharField(
        _("national ID number"), max_length=12, null=True, blank=True
    )
    is_student = models.BooleanField(_("student"), default=False)
    has_disability = models.BooleanField(_("person with a disability"), default=False)
    has_health_insurance = models.BooleanField(_("has health insurance"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    removed_reason = models.CharField(
        _("reason for removal"), max_length=200, blank=True
    )
    name_folded = models.CharField(max_length=100, editable=False, db_index=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ("household", "birth_year", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(relation="head", is_active=True),
                name="member_one_head",
                violation_error_message=_("A household has exactly one head."),
            ),
            models.UniqueConstraint(
                fields=["national_id"],
                condition=Q(national_id__isnull=False, is_active=True),
                name="member_national_id_unique",
                violation_error_message=_(
                    "Another person in the registry already has this national ID."
                ),
            ),
            models.CheckConstraint(
                condition=Q(birth_year__gte=1900), name="member_birth_year_plausible"
            ),
            models.CheckConstraint(
                condition=Q(is_active=True) | ~Q(removed_reason=""),
                name="member_removal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs) -> None:
        self.name_folded = fold(self.full_name)[:100]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "name_folded"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.birth_year and self.birth_year > timezone.localdate().year:
            raise ValidationError(
                {"birth_year": _("The birth year cannot be in the future.")}
            )

    @property
    def age(self) -> int:
        return timezone.localdate().year - self.birth_year
