"""The Django admin for trainings: read-only for everyone, scoped like the portal's own
screens (``trainings.selectors``). Every write goes through ``trainings.services``
(capacity and the waiting list under the session lock, reminders, audit)."""

from django.contrib import admin

from eakutur.admin_mixins import ReadOnlyAdmin

from .models import Course, CourseTarget, Enrolment, Session
from .selectors import courses_for, sessions_for


class ReadOnlyScopedAdmin(ReadOnlyAdmin):
    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_staff


class CourseTargetInline(admin.TabularInline):
    model = CourseTarget
    fields = ("group",)
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Course)
class CourseAdmin(ReadOnlyScopedAdmin):
    list_display = ("title", "topic", "kind", "organiser_kind", "loan_purpose")
    list_filter = ("topic", "kind", "organiser_kind")
    search_fields = ("title", "organiser_name")
    inlines = (CourseTargetInline,)

    def get_queryset(self, request):
        return courses_for(request.user)


@admin.register(Session)
class SessionAdmin(ReadOnlyScopedAdmin):
    list_display = ("course", "starts_at", "village", "place", "capacity", "status")
    list_filter = ("status",)
    search_fields = ("course__title", "place", "trainer")
    date_hierarchy = "starts_at"
    list_select_related = ("course", "village")

    def get_queryset(self, request):
        return sessions_for(request.user)


@admin.register(Enrolment)
class EnrolmentAdmin(ReadOnlyScopedAdmin):
    list_display = ("full_name", "session", "village", "status", "support_amount")
    list_filter = ("status",)
    search_fields = ("full_name", "household__code")
    list_select_related = ("session__course", "village")

    def get_queryset(self, request):
        return Enrolment.objects.filter(
            session__in=sessions_for(request.user).values("pk")
        ).select_related("session__course", "village")
