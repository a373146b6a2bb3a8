"""Placeholder, replaced by the block's own module."""

from ..scope import DashboardScope
from ..tables import Block


def outreach_block(scope: DashboardScope) -> Block:
    return Block(slug="outreach", title="outreach")
