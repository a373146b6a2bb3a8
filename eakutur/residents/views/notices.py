"""Placeholder views, replaced by this module's own."""

from .home import HomeView


class NoticeListView(HomeView):
    pass


class NoticeDetailView(HomeView):
    pass
