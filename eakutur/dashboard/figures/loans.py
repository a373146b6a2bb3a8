"""Placeholder, replaced by the block's own module."""

from ..scope import DashboardScope
from ..tables import Block


def loans_block(scope: DashboardScope) -> Block:
    return Block(slug="loans", title="loans")
