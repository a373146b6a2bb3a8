"""The dashboard (commune-wide roles: the commune; a village officer: their villages),
the periodic report and the exports. Every page takes the same GET filters."""

from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="home"),
    path("report/", views.ReportView.as_view(), name="report"),
    path("report.xlsx", views.ReportExportView.as_view(), name="report_xlsx"),
    path("export/<slug:slug>.xlsx", views.TableExportView.as_view(), name="table_xlsx"),
]
