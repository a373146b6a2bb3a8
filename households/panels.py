"""Sections other apps add to the household page (loans, later trainings and contacts).

Dependencies point one way (DESIGN.md): ``loans`` imports ``households``, never the reverse.
So the household page does not know about loans; an app registers a provider in its
``AppConfig.ready()``, and the page renders whatever panels the providers return, in the
order of ``order``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Panel:
    template: str  # rendered with ``panel`` = this object
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100


Provider = Callable[..., Panel | None]  # provider(*, user, household) -> Panel | None
_providers: list[Provider] = []


def register_panel(provider: Provider) -> Provider:
    """Add a provider (usable as a decorator); registering the same one twice is a no-op."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def household_panels(*, user, household) -> list[Panel]:
    panels = (provider(user=user, household=household) for provider in _providers)
    return sorted((p for p in panels if p is not None), key=lambda p: p.order)
