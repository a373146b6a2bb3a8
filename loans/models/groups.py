"""Savings-and-loan groups (tổ tiết kiệm và vay vốn): the village groups through which the
social policy bank lends, each entrusted to a mass organisation.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from households.models import Household, Village
from households.text import fold


class Organisation(models.TextChoices):
    WOMENS_UNION = "womens_union", _("Women's Union")
    FARMERS = "farmers", _("Farmers' Association")
    VETERANS = "veterans", _("Veterans' Association")
    YOUTH_UNION = "youth_union", _("Youth Union")


class SavingsGroupQuerySet(models.QuerySet):
    def active(self) -> "SavingsGroupQuerySet":
        return self.filter(is_active=True)


class SavingsGroup(models.Model):
    village = models.ForeignKey(
        Village,
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="savings_groups",
    )
    name = models.CharField(_("name"), max_length=100)
    organisation = models.CharField(
        _("entrusting organisation"), max_length=20, choices=Organisation.choices
    )
    leader_name = models.CharField(_("group leader"), max_length=100)
    leader_phone = models.CharField(_("leader's phone"), max_length=10, blank=True)
    established_on = models.DateField(_("established on"), null=True, blank=True)
    members = models.ManyToManyField(
        Household,
        verbose_name=_("member households"),
        blank=True,
        related_name="savings_groups",
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Name and leader folded ("hoi phu nu" finds "Hội Phụ nữ"), kept in step by save().
    search_text = models.CharField(max_length=250, editable=False, db_index=True)
    notes = models.CharField(_("notes"), max_length=500, blank=True)

    objects = SavingsGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("savings-and-loan group")
        verbose_name_plural = _("savings-and-loan groups")
        ordering = ("village__sort_order", "village__name", "name")
        constraints = [
            models.UniqueConstraint(
                fields=["village", "name"],
                name="savings_group_name_unique",
                violation_error_message=_(
                    "This village already has a savings group with that name."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.search_text = fold(f"{self.name} {self.leader_name}")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"name", "leader_name"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("loans:group_detail", args=[self.pk])
