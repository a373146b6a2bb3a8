"""The Django admin of the resident portal.

``PublicAttempt`` is a log (and the rate limiter's memory): looked at, never added,
changed or deleted. A commune admin sees the attempts made on their commune's public
pages (``commune``, from the host name), also those that named no household (an unknown
code names none); a superuser sees every commune's, with a column saying which.
``ProgramGuide`` is the practical text residents read: readable by staff, edited by
commune admins, hidden (unpublished) rather than deleted.
"""

from django.contrib import admin

from eakutur.admin_mixins import ReadOnlyAdmin
from households.admin import ReferenceDataAdmin, edits_shared_data

from .models import ProgramGuide, PublicAttempt


@admin.register(PublicAttempt)
class PublicAttemptAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "action",
        "outcome",
        "address",
        "household_code",
        "household",
        "village",
    )
    list_filter = ("action", "outcome", "created_at")
    search_fields = ("address", "household_code")
    date_hierarchy = "created_at"
    list_select_related = ("household", "village", "commune")

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.can_manage_users

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def get_list_display(self, request):
        if request.user.is_superuser:  # the only one who sees several communes'
            return (*self.list_display, "commune")
        return self.list_display

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(commune_id=request.user.commune_id)


@admin.register(ProgramGuide)
class ProgramGuideAdmin(ReferenceDataAdmin):
    list_display = ("code", "title_vi", "kind", "is_published", "sort_order")
    list_filter = ("kind", "is_published")
    search_fields = ("code", "title_vi", "title_en")

    # One set of guides serves every commune of the deployment.
    def has_add_permission(self, request) -> bool:
        return edits_shared_data(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return edits_shared_data(request)
