"""Placeholder views, replaced by this module's own."""

from .home import HomeView


class ProgramListView(HomeView):
    pass


class ProgramDetailView(HomeView):
    pass
