"""The commune's notices that went out to the villages, for anyone to read again."""

from django.views.generic import DetailView, ListView

from ..public import public_notices
from ._common import CommunePageMixin, VillageMixin

NOTICES_PER_PAGE = 20


class NoticeListView(VillageMixin, ListView):
    template_name = "residents/notice_list.html"
    context_object_name = "notices"
    paginate_by = NOTICES_PER_PAGE

    @property
    def show_all(self) -> bool:
        return self.village is None or self.request.GET.get("all") == "1"

    def get_queryset(self):
        village = None if self.show_all else self.village
        return public_notices(self.commune, village)

    def paginate_queryset(self, queryset, page_size):
        """A page number out of range or not a number shows the nearest page, not a
        404: a resident following an old link still gets the notices."""
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["show_all"] = self.show_all
        return context


class NoticeDetailView(CommunePageMixin, DetailView):
    """One notice, whatever village it went to (it was public once sent). A draft, a
    cancelled notice or an automatic reminder is absent: 404."""

    template_name = "residents/notice_detail.html"
    context_object_name = "notice"

    def get_queryset(self):
        return public_notices(self.commune)
