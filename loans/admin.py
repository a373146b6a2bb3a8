"""The Django admin for the loan book.

The program catalogue is national reference data (VBSP programs, caps and rates), shared by
every commune on a deployment: superusers edit it, commune admins read it, nobody deletes a
program that loans use (PROTECT; retire it instead). Savings groups, loans and repayments are
read-only here, scoped like the portal's screens: their writes go through the services
(transitions, caps, audit).
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from households.admin import ReadOnlyScopedAdmin, ReferenceDataAdmin

from .models import Loan, LoanProgram, Repayment, SavingsGroup
from .selectors import loans_for, savings_groups_for


@admin.register(LoanProgram)
class LoanProgramAdmin(ReferenceDataAdmin):
    list_display = (
        "code",
        "name_vi",
        "max_amount",
        "cap_is_per_month",
        "annual_rate",
        "max_term_months",
        "is_active",
    )
    list_filter = ("is_active",)
    search_fields = ("code", "name_vi", "name_en")
    fieldsets = (
        (None, {"fields": ("code", "name_vi", "name_en", "is_active", "sort_order")}),
        (
            _("Terms"),
            {
                "fields": (
                    "max_amount",
                    "cap_is_per_month",
                    "annual_rate",
                    "max_term_months",
                )
            },
        ),
        (
            _("Who qualifies and sources"),
            {
                "fields": (
                    "who_qualifies_vi",
                    "who_qualifies_en",
                    "source_vi",
                    "source_en",
                    "confidence_vi",
                    "confidence_en",
                )
            },
        ),
    )

    def has_add_permission(self, request) -> bool:
        return request.user.is_superuser  # national catalogue: shared by every commune

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        # A program entered by mistake may go; one that loans use is retired instead
        # (and the PROTECT foreign key refuses it anyway).
        return request.user.is_superuser and obj is not None and not obj.loans.exists()

    def get_readonly_fields(self, request, obj=None):
        # The code is what rules, imports and reports key on: fixed once loans use it.
        if obj is not None and obj.loans.exists():
            return ("code",)
        return ()


@admin.register(SavingsGroup)
class SavingsGroupAdmin(ReadOnlyScopedAdmin):
    list_display = ("name", "village", "organisation", "leader_name", "is_active")
    list_filter = ("organisation", "is_active")
    search_fields = ("name", "leader_name")

    def get_queryset(self, request):
        return savings_groups_for(request.user).select_related("village")


@admin.register(Loan)
class LoanAdmin(ReadOnlyScopedAdmin):
    list_display = (
        "__str__",
        "household",
        "program",
        "amount",
        "status",
        "disbursed_on",
        "due_on",
    )
    list_filter = ("status", "program")
    search_fields = ("contract_number", "household__code")
    date_hierarchy = "disbursed_on"

    def get_queryset(self, request):
        return loans_for(request.user).select_related("household", "program")


@admin.register(Repayment)
class RepaymentAdmin(ReadOnlyScopedAdmin):
    list_display = ("loan", "paid_on", "principal", "interest", "reverses")
    date_hierarchy = "paid_on"

    def get_queryset(self, request):
        return Repayment.objects.filter(
            loan__in=loans_for(request.user).values("pk")
        ).select_related("loan")
