"""Placeholder: being written."""

from django.http import Http404
from django.views import View


class _Todo(View):
    def dispatch(self, *a, **k):
        raise Http404


class GroupListView(_Todo):
    pass


class GroupCreateView(_Todo):
    pass


class GroupDetailView(_Todo):
    pass


class GroupUpdateView(_Todo):
    pass


class GroupMemberAddView(_Todo):
    pass


class GroupMemberRemoveView(_Todo):
    pass


class ProgramListView(_Todo):
    pass
