"""Placeholder views, replaced by this module's own."""

from .home import HomeView


class RequestView(HomeView):
    pass


class RequestSentView(HomeView):
    pass
