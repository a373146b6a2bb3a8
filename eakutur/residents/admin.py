"""The Django admin of the resident portal.

``PublicAttempt`` is a log (and the rate limiter's memory): looked at, never added,
changed or deleted. A commune admin sees the attempts of their commune's households
and the ones that named no household (an unknown code names none). ``ProgramGuide``
is the practical text residents read: readable by staff, edited by commune admins,
hidden (unpublished) rather than deleted.
"""

from django.contrib import admin
from django.db.models import Q

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
    list_select_related = ("household", "village")

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.can_manage_users

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        commune = request.user.commune_id
        return qs.filter(
            Q(household__commune_id=commune)
            | Q(village__commune_id=commune)
            | Q(household__isnull=True, village__isnull=True)
        )


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
