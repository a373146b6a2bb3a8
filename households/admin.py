"""The Django admin for the registry, scoped exactly like the portal's own screens.

Households, members and reviews are read-only here: their writes go through the services
(audit, duplicate checks, proposals), which the portal's own forms call. Reference data
(villages, ethnic groups, indicators, poverty standards) is edited here by admins.
"""

from django.contrib import admin

from eakutur.admin_mixins import ReadOnlyAdmin

from .models import (
    Commune,
    DeprivationIndicator,
    EthnicGroup,
    Household,
    Member,
    PovertyReview,
    PovertyStandard,
    Village,
)
from .selectors import households_for, villages_for


def _is_admin(request) -> bool:
    return request.user.is_active and request.user.can_manage_users


def edits_shared_data(request) -> bool:
    """Text every commune's portal shows (the program guides): a superuser's, or the
    commune admin's while their commune is the deployment's only one. With several, a
    commune admin's edit would change the other communes' pages too."""
    if request.user.is_superuser:
        return True
    return (
        _is_admin(request)
        and not Commune.objects.exclude(pk=request.user.commune_id).exists()
    )


class ReferenceDataAdmin(admin.ModelAdmin):
    """Reference data: readable by staff, editable by commune admins, never deleted."""

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request) -> bool:
        return _is_admin(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return _is_admin(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Commune)
class CommuneAdmin(ReferenceDataAdmin):
    list_display = ("code", "name", "province", "is_urban", "hostname")

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return (
            qs if request.user.is_superuser else qs.filter(pk=request.user.commune_id)
        )

    def has_add_permission(self, request) -> bool:
        return request.user.is_superuser

    def get_readonly_fields(self, request, obj=None):
        # Which host serves which commune is the deployment's: a commune admin must not
        # point their portal at a host name meant for another commune.
        return () if request.user.is_superuser else ("hostname",)


@admin.register(Village)
class VillageAdmin(ReferenceDataAdmin):
    list_display = ("code", "name", "kind", "is_ethnic_minority", "sort_order")
    list_filter = ("kind", "is_ethnic_minority")
    search_fields = ("name", "code")

    def get_queryset(self, request):
        return villages_for(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "commune" and not request.user.is_superuser:
            kwargs["queryset"] = Commune.objects.filter(pk=request.user.commune_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(EthnicGroup)
class EthnicGroupAdmin(ReferenceDataAdmin):
    list_display = ("code", "name_vi", "name_en", "present_locally")
    list_filter = ("present_locally",)
    search_fields = ("name_vi", "name_en", "code")

    def has_add_permission(self, request) -> bool:
        return request.user.is_superuser  # the 54 state-defined groups, shared

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser  # state-defined codes


@admin.register(DeprivationIndicator)
class DeprivationIndicatorAdmin(ReferenceDataAdmin):
    list_display = ("code", "dimension", "name_vi", "name_en", "sort_order")
    list_filter = ("dimension",)

    def has_add_permission(self, request) -> bool:
        return request.user.is_superuser  # national standard: shared by every commune

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser


@admin.register(PovertyStandard)
class PovertyStandardAdmin(ReferenceDataAdmin):
    list_display = ("name", "first_year", "last_year", "rural_line", "urban_line")
    filter_horizontal = ("indicators",)

    def has_add_permission(self, request) -> bool:
        return request.user.is_superuser  # national standard: shared by every commune

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser


class ReadOnlyScopedAdmin(ReadOnlyAdmin):
    """Registry records: visible to staff within their villages, changed only in the portal."""

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)


@admin.register(Household)
class HouseholdAdmin(ReadOnlyScopedAdmin):
    list_display = ("code", "head_name", "village", "current_status", "is_active")
    list_filter = ("current_status", "is_active")
    search_fields = ("search_text",)
    list_select_related = ("village",)
    exclude = (
        "head_national_id",
    )  # shown masked in lists; full only on the portal page

    def get_queryset(self, request):
        return households_for(request.user, include_archived=True).select_related(
            "village"
        )


@admin.register(Member)
class MemberAdmin(ReadOnlyScopedAdmin):
    list_display = ("full_name", "household", "relation", "birth_year", "is_active")
    list_select_related = ("household",)
    search_fields = ("name_folded",)
    exclude = ("national_id",)

    def get_queryset(self, request):
        return Member.objects.filter(
            household__in=households_for(request.user, include_archived=True)
        ).select_related("household")


@admin.register(PovertyReview)
class PovertyReviewAdmin(ReadOnlyScopedAdmin):
    list_display = ("household", "year", "status", "proposed_status", "recorded_by")
    list_filter = ("year", "status")
    list_select_related = ("household", "recorded_by")

    def get_queryset(self, request):
        return PovertyReview.objects.filter(
            household__in=households_for(request.user, include_archived=True)
        ).select_related("household", "recorded_by")
