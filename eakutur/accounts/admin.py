from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """User management is for commune admins only, and only within their own commune."""

    list_display = ("username", "get_full_name", "role", "commune", "is_active")
    search_fields = ("username", "full_name", "first_name", "last_name", "email")
    list_filter = ("role", "is_active", "commune")
    filter_horizontal = ("villages", "groups", "user_permissions")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (
            _("Portal role"),
            {"fields": ("full_name", "role", "commune", "villages", "phone")},
        ),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Portal role"), {"fields": ("full_name", "role", "commune", "villages")}),
    )

    def _allowed(self, request) -> bool:
        return request.user.is_active and request.user.can_manage_users

    def has_module_permission(self, request) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # deactivate instead: history points at users

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(commune_id=request.user.commune_id)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "villages" and not request.user.is_superuser:
            from households.models import Village

            kwargs["queryset"] = Village.objects.filter(
                commune_id=request.user.commune_id
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "commune" and not request.user.is_superuser:
            from households.models import Commune

            kwargs["queryset"] = Commune.objects.filter(pk=request.user.commune_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        ro = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # A commune admin cannot mint superusers or hand out raw permissions.
            ro += ["is_superuser", "user_permissions", "groups"]
        return ro
