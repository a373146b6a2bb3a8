"""The production stack on loopback, for the smoke tests and the load test.

``ProdStack`` (``stack.py``) prepares a database and starts gunicorn, a Celery worker,
exactly one beat and the fake Zalo as ``deploy/`` runs them; ``datasets.py`` writes the
large commune and the facts the clients need; ``python -m tests.prodstack`` runs a
command (the load test) against a stack and tears it down.
"""

from .stack import (
    FORWARDED_HEADERS,
    ZALO_GROUP_ID,
    ProdStack,
    StackError,
    StackSettings,
)

__all__ = [
    "FORWARDED_HEADERS",
    "ZALO_GROUP_ID",
    "ProdStack",
    "StackError",
    "StackSettings",
]
