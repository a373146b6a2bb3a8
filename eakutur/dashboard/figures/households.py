"""Placeholder, replaced by the block's own module."""

from ..scope import DashboardScope
from ..tables import Block


def households_block(scope: DashboardScope) -> Block:
    return Block(slug="households", title="households")
