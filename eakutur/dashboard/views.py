"""Placeholder views, replaced by the dashboard's own."""

from django.views.generic import TemplateView


class DashboardView(TemplateView):
    template_name = "base.html"


class ReportView(DashboardView):
    pass


class ReportExportView(DashboardView):
    pass


class TableExportView(DashboardView):
    pass
