"""Placeholder views, replaced by this module's own."""

from .home import HomeView


class LookupView(HomeView):
    pass


class MyHouseholdView(HomeView):
    pass


class LeaveView(HomeView):
    pass
