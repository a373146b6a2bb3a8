"""What the scenarios share: a commune's villages with one group each, notices to them,
and waiting for the end."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from households.models import Village
from outreach.models import Notice, VillageGroup
from tests.factories.outreach import NoticeFactory, groups_for, villages_of
from tests.faults.checks import all_final, progress
from tests.integration.processes import wait_for

DISPATCH = "outreach.tasks.dispatch_due_notices"
SWEEP = "outreach.tasks.sweep_deliveries"
SEND = "outreach.tasks.send_delivery"


def zalo_groups(commune, zalo, count: int) -> list[VillageGroup]:
    """``count`` villages with one Zalo group each, all known to the fake Zalo."""
    groups = groups_for(villages_of(commune, count))
    zalo.groups = {g.external_id for g in groups}
    return groups


def notice_to(
    commune,
    title: str,
    *,
    at: datetime | None = None,
    villages: Sequence[Village] = (),
) -> Notice:
    """A scheduled notice (due a minute ago unless ``at``) to every village of the
    commune, or to ``villages``."""
    fields = {"commune": commune, "title": title}
    if at is not None:
        fields["scheduled_at"] = at
    if villages:
        fields.update(audience="chosen_villages", villages=list(villages))
    return NoticeFactory(**fields)


def wait_finished(
    notices: Collection[Notice], *, timeout: float, logs: Sequence = ()
) -> None:
    """Every notice finished, or NotInTime with where each delivery stands and the tail
    of the processes' logs."""
    wait_for(
        lambda: all_final(notices),
        timeout=timeout,
        what="every notice finished (all its deliveries sent or failed)",
        details=lambda: "\n".join(
            [progress(notices), *(p.log()[-3000:] for p in logs)]
        ),
        interval=0.2,
    )
