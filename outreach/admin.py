"""The Django admin for notices, scoped like the portal's own screens.

Village groups are configuration: commune admins add and edit them here (deactivate
rather than delete; a group with deliveries is protected anyway). Notices and deliveries
are read-only: every write goes through the services (status map, audit, outbox).
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from eakutur.admin_mixins import ReadOnlyAdmin
from households.selectors import villages_for

from .models import (
    AssistedApplication,
    Delivery,
    DigitalTeam,
    Notice,
    TeamMember,
    VillageGroup,
)
from .selectors import (
    applications_for,
    notices_for,
    teams_for,
    village_groups_for,
)


def _is_staff(request) -> bool:
    return request.user.is_active and request.user.is_staff


def _is_admin(request) -> bool:
    return _is_staff(request) and request.user.can_manage_users


@admin.register(VillageGroup)
class VillageGroupAdmin(admin.ModelAdmin):
    list_display = ("name", "village", "channel", "external_id", "is_active")
    list_filter = ("channel", "is_active")
    search_fields = ("name", "external_id", "village__name")
    list_select_related = ("village",)

    def get_queryset(self, request):
        return village_groups_for(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "village":
            kwargs["queryset"] = villages_for(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_module_permission(self, request) -> bool:
        return _is_staff(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return _is_staff(request)

    def has_add_permission(self, request) -> bool:
        return _is_admin(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return _is_admin(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyScopedAdmin(ReadOnlyAdmin):
    def has_module_permission(self, request) -> bool:
        return _is_staff(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return _is_staff(request)


@admin.register(Notice)
class NoticeAdmin(ReadOnlyScopedAdmin):
    list_display = ("title", "audience", "status", "scheduled_at", "author")
    list_filter = ("status", "audience", "source")
    search_fields = ("title",)

    def get_queryset(self, request):
        return notices_for(request.user)


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyScopedAdmin):
    list_display = (
        "notice",
        "group",
        "status",
        "attempts",
        "sent_at",
        "error_code",
        "error",
    )
    list_filter = ("status", "error_code")
    list_select_related = ("notice", "group")

    def get_queryset(self, request):
        return Delivery.objects.filter(
            notice__in=notices_for(request.user).values("pk"),
            group__village__in=villages_for(request.user).values("pk"),
        ).select_related("notice", "group")


# --- Digital teams and assisted applications: read-only, scoped to the user's villages.
# Every write goes through outreach.services (one leader, phones, status walk, audit).


class TeamMemberInline(admin.TabularInline):
    model = TeamMember
    fields = ("full_name", "role", "phone", "is_youth_union", "joined_on", "left_on")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(DigitalTeam)
class DigitalTeamAdmin(ReadOnlyScopedAdmin):
    list_display = ("village", "established_on", "decision_number", "active_members")
    search_fields = ("village__name", "decision_number")
    inlines = (TeamMemberInline,)

    def get_queryset(self, request):
        return teams_for(request.user)

    @admin.display(description=_("Members"), ordering="active_members")
    def active_members(self, obj) -> int:
        return obj.active_members


@admin.register(AssistedApplication)
class AssistedApplicationAdmin(ReadOnlyScopedAdmin):
    list_display = (
        "household",
        "service",
        "filed_on",
        "reference_number",
        "status",
        "helped_by",
    )
    list_filter = ("status", "service")
    search_fields = ("reference_number", "household__code", "household__head_name")
    date_hierarchy = "filed_on"

    def get_queryset(self, request):
        return applications_for(request.user)
