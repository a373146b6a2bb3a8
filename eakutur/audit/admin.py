from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from eakutur.admin_mixins import ReadOnlyAdmin

from .models import READ_ACTIONS, AuditEntry
from .selectors import audit_reads_about


class KindFilter(admin.SimpleListFilter):
    """Reads of sensitive data or changes: the two questions an admin asks."""

    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [("reads", _("reads of sensitive data")), ("changes", _("changes"))]

    def queryset(self, request, queryset):
        if self.value() == "reads":
            return queryset.filter(action__in=READ_ACTIONS)
        if self.value() == "changes":
            return queryset.exclude(action__in=READ_ACTIONS)
        return queryset


class HouseholdFilter(admin.SimpleListFilter):
    """``?household=<pk>``, linked from the household page: who was shown this
    household's (or its members') sensitive data. Only a household the admin may see
    is offered; any other value filters nothing in."""

    title = _("household")
    parameter_name = "household"

    def _household(self, request):
        from households.selectors import households_for

        value = self.value()
        if not value or not value.isdigit():
            return None
        return (
            households_for(request.user, include_archived=True).filter(pk=value).first()
        )

    def lookups(self, request, model_admin):
        household = self._household(request)
        return [(str(household.pk), str(household))] if household else []

    def has_output(self) -> bool:
        return self.value() is not None  # applied (and shown) only when linked to

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        household = self._household(request)
        if household is None:
            return queryset.none()
        return audit_reads_about(queryset, instance=household)


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Read-only: the history cannot be edited or deleted from the application (and on
    PostgreSQL the database refuses it too)."""

    list_display = ("at", "actor", "action", "object_repr", "shown", "note")
    list_filter = (
        HouseholdFilter,
        KindFilter,
        "action",
        ("actor", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("object_repr", "note")
    date_hierarchy = "at"
    # The raw ``changes`` are not shown: ``details`` masks national ID numbers.
    fields = ("at", "actor", "action", "object_repr", "details", "note")
    readonly_fields = ("details",)

    @admin.display(description=_("shown"))
    def shown(self, entry: AuditEntry) -> str:
        return entry.shown_display()

    @admin.display(description=_("details"))
    def details(self, entry: AuditEntry):
        if entry.is_read:
            rows = entry.read_display()
        else:
            rows = [
                (label, new if old is None else f"{old} → {new}")
                for label, old, new in entry.changes_display()
            ]
        return format_html_join("", "<div>{}: {}</div>", rows) if rows else "—"

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.can_manage_users

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("actor", "content_type")
        if request.user.is_superuser:
            return qs
        return qs.filter(actor__commune_id=request.user.commune_id)
