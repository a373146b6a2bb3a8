from django.urls import path

from .views import groups, imports, loans, reports

app_name = "loans"

urlpatterns = [
    # The loan book (loans/views/loans.py)
    path("", loans.LoanListView.as_view(), name="loan_list"),
    path("export.xlsx", loans.LoanExportView.as_view(), name="loan_export"),
    path("apply/<int:household_pk>/", loans.LoanApplyView.as_view(), name="loan_apply"),
    path("<int:pk>/", loans.LoanDetailView.as_view(), name="loan_detail"),
    path("<int:pk>/approve/", loans.LoanApproveView.as_view(), name="loan_approve"),
    path("<int:pk>/reject/", loans.LoanRejectView.as_view(), name="loan_reject"),
    path("<int:pk>/disburse/", loans.LoanDisburseView.as_view(), name="loan_disburse"),
    path(
        "<int:pk>/repayments/new/",
        loans.RepaymentCreateView.as_view(),
        name="repayment_create",
    ),
    path(
        "<int:pk>/repayments/<int:repayment_pk>/reverse/",
        loans.RepaymentReverseView.as_view(),
        name="repayment_reverse",
    ),
    # Groups, overdue, catalogue (loans/views/groups.py)
    path("groups/", groups.GroupListView.as_view(), name="group_list"),
    path("groups/new/", groups.GroupCreateView.as_view(), name="group_create"),
    path("groups/<int:pk>/", groups.GroupDetailView.as_view(), name="group_detail"),
    path(
        "groups/<int:pk>/edit/", groups.GroupUpdateView.as_view(), name="group_update"
    ),
    path(
        "groups/<int:pk>/members/add/",
        groups.GroupMemberAddView.as_view(),
        name="group_member_add",
    ),
    path(
        "groups/<int:pk>/members/<int:household_pk>/remove/",
        groups.GroupMemberRemoveView.as_view(),
        name="group_member_remove",
    ),
    path("programs/", groups.ProgramListView.as_view(), name="program_list"),
    # Reports (loans/views/reports.py)
    path("overdue/", reports.OverdueListView.as_view(), name="overdue_list"),
    path(
        "overdue/export.xlsx",
        reports.OverdueExportView.as_view(),
        name="overdue_export",
    ),
    path("report/", reports.PeriodReportView.as_view(), name="period_report"),
    path(
        "report/export.xlsx",
        reports.PeriodReportExportView.as_view(),
        name="period_report_export",
    ),
    # Disbursement list import (loans/views/imports.py)
    path(
        "import/", imports.DisbursementImportView.as_view(), name="disbursement_import"
    ),
    path(
        "import/template.xlsx",
        imports.DisbursementTemplateView.as_view(),
        name="disbursement_import_template",
    ),
    path(
        "import/<int:batch_pk>/",
        imports.DisbursementPreviewView.as_view(),
        name="disbursement_import_preview",
    ),
]
