"""Placeholder: being written."""

from django.http import Http404
from django.views import View


class _Todo(View):
    def dispatch(self, *a, **k):
        raise Http404


class DisbursementImportView(_Todo):
    pass


class DisbursementTemplateView(_Todo):
    pass


class DisbursementPreviewView(_Todo):
    pass
