"""What every fault scenario asserts at the end, and reading the database while it may
be down.

``assert_whole`` is the portal's promise after any fault: every notice in a final state;
a sent-out notice has exactly one delivery per group it targets (none missing, none
doubled) and was sent out once (one "dispatched" in its audit trail); every delivery
sent or failed; each group got each notice's text exactly once if its delivery is sent
and never if it failed; no message reached a group without a delivery behind it. The one
exception is named by the caller: deliveries in the crash-after-send window may have
reached their group twice, never more.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import Error as DatabaseError
from django.db import connection

from eakutur.audit.models import AuditEntry
from outreach.models import Delivery, DeliveryStatus, Notice, NoticeStatus
from outreach.services.notices import notice_target_groups
from tests.faults.providers import Posted

T = TypeVar("T")
FINAL_NOTICE = (NoticeStatus.DONE, NoticeStatus.EXPIRED, NoticeStatus.CANCELLED)
FINAL_DELIVERY = (DeliveryStatus.SENT, DeliveryStatus.FAILED)


class Provider(Protocol):
    def messages(self, target: str, text: str) -> list[str]: ...

    def all_posted(self) -> list[Posted]: ...


@dataclass
class Outcome:
    """The figures of a scenario: what the village groups saw."""

    deliveries: int = 0
    sent: int = 0
    failed: int = 0
    messages: int = 0
    duplicates: list[int] = field(default_factory=list)  # delivery ids seen twice


def read_db(query: Callable[[], T]) -> T | None:
    """``query()``, or None while the database is down (the connection is dropped so
    that the next call opens a new one once it is back)."""
    try:
        return query()
    except DatabaseError:
        connection.close()
        return None


def deliveries_of(notices: Iterable[Notice]) -> list[Delivery]:
    return list(
        Delivery.objects.filter(notice__in=[n.pk for n in notices])
        .select_related("group", "notice")
        .order_by("pk")
    )


def all_final(notices: Collection[Notice]) -> bool:
    """Every notice finished (its deliveries all sent or failed): the end of a scenario."""

    def check() -> bool:
        statuses = Notice.objects.filter(pk__in=[n.pk for n in notices]).values_list(
            "status", flat=True
        )
        return len(statuses) == len(notices) and all(
            s in FINAL_NOTICE for s in statuses
        )

    return bool(read_db(check))


def progress(notices: Collection[Notice]) -> str:
    """Where each notice and delivery stands: the details of a deadline missed."""
    rows = read_db(lambda: deliveries_of(notices)) or []
    counts = Counter((d.notice_id, d.status) for d in rows)
    states = read_db(
        lambda: list(
            Notice.objects.filter(pk__in=[n.pk for n in notices]).values_list(
                "pk", "status"
            )
        )
    )
    stuck = [
        f"  {d.group.external_id}: {d.status} (attempts {d.attempts}) {d.error}"
        for d in rows
        if d.status not in FINAL_DELIVERY
    ][:20]
    return "\n".join([f"notices: {states}", f"deliveries: {dict(counts)}", *stuck])


def dispatched_count(notice: Notice) -> int:
    """How many times the audit trail says the notice was sent out (the entries that
    set its ``dispatched_at``; the status is recorded by its translated label)."""
    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Notice), object_id=notice.pk
    ).values_list("changes", flat=True)
    return sum(1 for changes in entries if "dispatched_at" in changes)


def assert_whole(
    notices: Collection[Notice],
    providers: Collection[Provider],
    *,
    may_repeat: Collection[int] = (),
) -> Outcome:
    """The end state of a scenario (see the module's docstring); ``may_repeat``: the
    ids of deliveries in the crash-after-send window. Returns the figures."""
    outcome = Outcome()
    rows = deliveries_of(notices)
    by_notice: dict[int, list[Delivery]] = {n.pk: [] for n in notices}
    for d in rows:
        by_notice[d.notice_id].append(d)

    for notice in notices:
        notice.refresh_from_db()
        assert notice.status in FINAL_NOTICE, (notice.title, notice.status)
        if notice.status != NoticeStatus.DONE:
            assert by_notice[notice.pk] == [], (notice.title, notice.status)
            continue
        assert notice.dispatched_at is not None, notice.title
        assert dispatched_count(notice) == 1, notice.title
        groups = [d.group_id for d in by_notice[notice.pk]]
        targets = set(notice_target_groups(notice).values_list("pk", flat=True))
        assert len(groups) == len(set(groups)), f"{notice.title}: a group twice"
        assert set(groups) == targets, f"{notice.title}: groups missing or extra"

    for d in rows:
        assert d.status in FINAL_DELIVERY, (d.group.external_id, d.status, d.error)
        seen = [m for p in providers for m in p.messages(d.group.external_id, d.text)]
        outcome.deliveries += 1
        outcome.messages += len(seen)
        if d.status == DeliveryStatus.FAILED:
            outcome.failed += 1
            assert d.error and d.failed_at, d.group.external_id
            assert seen == [], (d.group.external_id, d.error, seen)
            continue
        outcome.sent += 1
        assert d.provider_id in seen, (d.group.external_id, d.provider_id, seen)
        if len(seen) > 1:
            outcome.duplicates.append(d.pk)
        limit = 2 if d.pk in may_repeat else 1
        assert len(seen) <= limit, (
            f"{d.group.external_id} got {d.notice.title!r} {len(seen)} times "
            f"(attempts {d.attempts}, may repeat: {d.pk in may_repeat})"
        )

    posted = sum(len(p.all_posted()) for p in providers)
    assert posted == outcome.messages, (
        f"{posted - outcome.messages} messages reached a group without a delivery"
    )
    return outcome
