"""Placeholder: being written."""

from django.http import Http404
from django.views import View


class _Todo(View):
    def dispatch(self, *a, **k):
        raise Http404


class OverdueListView(_Todo):
    pass


class OverdueExportView(_Todo):
    pass


class PeriodReportView(_Todo):
    pass


class PeriodReportExportView(_Todo):
    pass
