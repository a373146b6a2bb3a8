"""Placeholder views, replaced by this module's own."""

from .home import HomeView


class CheckStartView(HomeView):
    pass


class CheckResultView(HomeView):
    pass


class CheckStepView(HomeView):
    pass
