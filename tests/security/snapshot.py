"""A cheap fingerprint of every table, to assert that a request changed nothing."""

import hashlib

from django.apps import apps

# Rows a request may legitimately write without changing the commune's records: the
# signed-in session (its expiry moves).
ALWAYS_IGNORED = ("sessions.session",)


def snapshot(*, ignore: tuple[str, ...] = ()) -> dict[str, tuple[int, str]]:
    """``{"app.model": (row count, sha256 of every row)}`` for every concrete table."""
    skipped = {*ALWAYS_IGNORED, *ignore}
    result = {}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if label in skipped or model._meta.proxy or not model._meta.managed:
            continue
        rows = list(model._base_manager.order_by("pk").values_list())
        digest = hashlib.sha256(repr(rows).encode()).hexdigest()
        result[label] = (len(rows), digest)
    return result


def changed(before: dict, after: dict) -> list[str]:
    """The tables whose rows differ."""
    return sorted(
        k for k in before.keys() | after.keys() if before.get(k) != after.get(k)
    )
