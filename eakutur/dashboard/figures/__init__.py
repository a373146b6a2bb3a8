"""The dashboard's blocks, each computed by one module in a bounded number of queries
(the same at any data size). What each figure counts is defined once, in its module's
docstring, and the benchmark's raw SQL (tests/perf/bench_dashboard.py) counts the same.

Query budget for the whole dashboard: 20. Households 3, loans 5, trainings 2,
outreach 6; the page itself (villages, ethnic groups) the rest.
"""

from ..scope import DashboardScope
from ..tables import Block
from .households import households_block
from .loans import loans_block
from .outreach import outreach_block
from .trainings import trainings_block


def dashboard_blocks(scope: DashboardScope) -> list[Block]:
    return [
        households_block(scope),
        loans_block(scope),
        trainings_block(scope),
        outreach_block(scope),
    ]


__all__ = [
    "dashboard_blocks",
    "households_block",
    "loans_block",
    "outreach_block",
    "trainings_block",
]
