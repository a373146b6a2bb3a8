"""Placeholder: being written."""

from django.http import Http404
from django.views import View


class _Todo(View):
    def dispatch(self, *a, **k):
        raise Http404


class LoanListView(_Todo):
    pass


class LoanExportView(_Todo):
    pass


class LoanApplyView(_Todo):
    pass


class LoanDetailView(_Todo):
    pass


class LoanApproveView(_Todo):
    pass


class LoanRejectView(_Todo):
    pass


class LoanDisburseView(_Todo):
    pass


class RepaymentCreateView(_Todo):
    pass


class RepaymentReverseView(_Todo):
    pass
