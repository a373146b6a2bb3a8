"""The household registry: communes, villages, ethnic groups, households, members and
the yearly poverty review, with the poverty standard it is judged against.

Invariants live in the database as well as in forms; writes go through ``services.py``.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .text import fold


class Commune(models.Model):
    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=100)
    province = models.CharField(_("province"), max_length=100)
    is_urban = models.BooleanField(
        _("urban"),
        default=False,
        help_text=_("Urban communes are judged against the urban poverty line."),
    )

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


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
        from django.utils.translation import get_language

        return (
            self.name_en if (get_language() or "vi").startswith("en") else self.name_vi
        )

    @property
    def is_minority(self) -> bool:
        return self.code != "01"  # 01 is Kinh, the majority group


class PovertyStatus(models.TextChoices):
    POOR = "poor", _("poor")
    NEAR_POOR = "near_poor", _("near-poor")
    ESCAPED_POOR = "escaped_poor", _("escaped poverty")
    ESCAPED_NEAR_POOR = "escaped_near_poor", _("escaped near-poverty")
    AVERAGE = "average", _("average living standard")
    NONE = "none", _("not poor")


class Dimension(models.TextChoices):
    EMPLOYMENT = "employment", _("employment")
    HEALTH = "health", _("health")
    EDUCATION = "education", _("education")
    HOUSING = "housing", _("housing")
    WATER = "water", _("water and sanitation")
    INFORMATION = "information", _("information")


class DeprivationIndicator(models.Model):
    """One indicator of the multidimensional poverty standard (e.g. "hygienic latrine")."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    dimension = models.CharField(
        _("dimension"), max_length=20, choices=Dimension.choices
    )
    name_vi = models.CharField(_("Vietnamese name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)
    description = models.TextField(_("when a household is deprived"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("deprivation indicator")
        verbose_name_plural = _("deprivation indicators")
        ordering = ("sort_order", "code")

    def __str__(self) -> str:
        from django.utils.translation import get_language

        return (
            self.name_en if (get_language() or "vi").startswith("en") else self.name_vi
        )


class PovertyStandard(models.Model):
    """The national poverty standard in force for a range of review years.

    Thresholds are data an admin can edit, not code: the figures for 2027–2030 were not
    confirmed when this was written (see households/data/SOURCES.md).
    """

    name = models.CharField(_("name"), max_length=100)
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    first_year = models.PositiveSmallIntegerField(_("first year"))
    last_year = models.PositiveSmallIntegerField(_("last year"))
    rural_line = models.BigIntegerField(_("rural poverty line (VND/person/month)"))
    urban_line = models.BigIntegerField(_("urban poverty line (VND/person/month)"))
    rural_average_ceiling = models.BigIntegerField(
        _("rural average living standard ceiling (VND/person/month)")
    )
    urban_average_ceiling = models.BigIntegerField(
        _("urban average living standard ceiling (VND/person/month)")
    )
    poor_min_deprivations = models.PositiveSmallIntegerField(
        _("deprivations that make an income-poor household poor"), default=3
    )
    indicators = models.ManyToManyField(
        DeprivationIndicator, verbose_name=_("indicators"), related_name="standards"
    )

    class Meta:
        verbose_name = _("poverty standard")
        verbose_name_plural = _("poverty standards")
        ordering = ("-first_year",)
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__gte=models.F("first_year")),
                name="standard_years_ordered",
            ),
            models.CheckConstraint(
                condition=Q(rural_line__gt=0)
                & Q(urban_line__gt=0)
                & Q(rural_average_ceiling__gt=models.F("rural_line"))
                & Q(urban_average_ceiling__gt=models.F("urban_line")),
                name="standard_thresholds_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.first_year}–{self.last_year})"


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


class PovertyReview(models.Model):
    """The yearly review (rà soát) of one household: one per household per year."""

    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="reviews",
    )
    year = models.PositiveSmallIntegerField(
        _("review year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    standard = models.ForeignKey(
        PovertyStandard,
        verbose_name=_("standard"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    income_per_person = models.BigIntegerField(
        _("income per person per month (VND)"), validators=[MinValueValidator(0)]
    )
    deprivations = models.ManyToManyField(
        DeprivationIndicator,
        verbose_name=_("deprivations"),
        blank=True,
        related_name="+",
    )
    proposed_status = models.CharField(
        _("proposed status"), max_length=20, choices=PovertyStatus.choices
    )
    proposal_reason = models.TextField(_("why the portal proposed it"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=PovertyStatus.choices)
    override_reason = models.CharField(
        _("reason for overriding the proposal"), max_length=300, blank=True
    )
    notes = models.CharField(_("notes"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("poverty review")
        verbose_name_plural = _("poverty reviews")
        ordering = ("household", "-year")
        constraints = [
            models.UniqueConstraint(
                fields=["household", "year"],
                name="review_one_per_year",
                violation_error_message=_(
                    "This household already has a review for that year."
                ),
            ),
            models.CheckConstraint(
                condition=Q(income_per_person__gte=0), name="review_income_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(status=models.F("proposed_status"))
                | ~Q(override_reason=""),
                name="review_override_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="review_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household.code} – {self.year}"

    @property
    def is_overridden(self) -> bool:
        return self.status != self.proposed_status


class ReviewImportStatus(models.TextChoices):
    PREVIEWED = "previewed", _("waiting for confirmation")
    APPLIED = "applied", _("applied")
    DISCARDED = "discarded", _("discarded")


class ReviewImport(models.Model):
    """An uploaded review list between its preview and its confirmation.

    The parsed, validated rows are kept (not the file), so the confirmation applies exactly
    what the official saw in the preview.
    """

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    file_name = models.CharField(_("file"), max_length=200)
    file_sha256 = models.CharField(max_length=64)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ReviewImportStatus.choices,
        default=ReviewImportStatus.PREVIEWED,
    )
    rows = models.JSONField(default=list)
    summary = models.JSONField(default=dict)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)

    class Meta:
        verbose_name = _("review import")
        verbose_name_plural = _("review imports")
        ordering = ("-uploaded_at",)

    def __str__(self) -> str:
        return self.file_name
