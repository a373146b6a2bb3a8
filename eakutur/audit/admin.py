from django.contrib import admin

from eakutur.admin_mixins import ReadOnlyAdmin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Read-only: the history cannot be edited or deleted from the application."""

    list_display = ("at", "actor", "action", "content_type", "object_repr")
    list_filter = ("action", "content_type")
    search_fields = ("object_repr",)
    date_hierarchy = "at"

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.can_manage_users

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("actor", "content_type")
        if request.user.is_superuser:
            return qs
        return qs.filter(actor__commune_id=request.user.commune_id)
