"""Benchmark of a notice's fan-out: one notice to the 46 village Zalo groups of the
commune, through a real Celery worker, against the fake Zalo server with a realistic
latency.

Run it (after ``make test`` or ``make install compilemessages`` once), or
``make bench-notices``::

    .venv/bin/python -m tests.perf.bench_notices                    # concurrency 1, 8, 16
    .venv/bin/python -m tests.perf.bench_notices --concurrency 4 --errors 3 --quota

It never touches the developer's database, broker or cache: a scratch database as
``tests.perf.bench_registry`` makes one (SQLite in a temporary folder, or with
``DATABASE_URL`` a PostgreSQL database named after it plus ``_bench_notices``, dropped
at the end), a queue and cache key prefix of its own, and the broker that is available:
Redis when ``REDIS_URL`` is set, else kombu's filesystem broker in the temporary folder.

For each concurrency it starts a worker (threads pool), schedules one notice due now and
runs the dispatcher as beat would (the dispatch task through the broker), and prints the
time from due to every group's delivery sent, the provider calls made, the duplicates
(a group that got the notice more than once: must be 0), and the time per send (wired →
sent, which is mostly Zalo's answer) and in the queue (created → wired), median and 95th
percentile. With ``--errors N`` N groups get an HTTP 500 first (retried after about a
minute, found by the sweeper the benchmark runs every ``--sweep-every`` seconds, as beat
does); with ``--quota`` one group gets Zalo's rate-limit answer, which defers it 15
minutes: it is reported, not waited for. In production add up to 60 s until beat's next
tick finds the notice due. It prints figures only: no thresholds, exit status 0 unless a
round does not finish.
"""

import argparse
import logging
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

from tests.integration.processes import NotInTime, Worker, forget_redis_keys, wait_for
from tests.outreach.fake_zalo import GROUP_MESSAGE_PATH, Answer, FakeZalo, Recorded
from tests.perf.bench_registry import machine, scratch_database

VILLAGES = 46  # the villages and hamlets of Ea Ktur, one Zalo group each
SEND = "outreach.tasks.send_delivery"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--concurrency",
        type=int,
        nargs="+",
        default=[1, 8, 16],
        help="worker threads, one round each (default: 1 8 16)",
    )
    parser.add_argument(
        "--villages", type=int, default=VILLAGES, help="groups to reach (default 46)"
    )
    parser.add_argument(
        "--latency",
        type=float,
        nargs=2,
        default=[0.15, 0.4],
        metavar=("LOW", "HIGH"),
        help="Zalo's answer time in seconds, uniform (default 0.15 0.4)",
    )
    parser.add_argument(
        "--errors",
        type=int,
        default=0,
        help="groups whose first send gets HTTP 500 (default 0)",
    )
    parser.add_argument(
        "--quota",
        action="store_true",
        help="one group's first send gets Zalo's rate-limit answer (deferred 15 min)",
    )
    parser.add_argument(
        "--sweep-every",
        type=float,
        default=60.0,
        help="seconds between the sweeper's runs, beat's interval (default 60)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=600.0,
        help="give a round up after this many seconds (default 600)",
    )
    parser.add_argument("--seed", type=int, default=46, help="random seed (default 46)")
    return parser.parse_args()


class MisbehavingZalo(FakeZalo):
    """The fake Zalo with latency, and the first send to some groups answered with an
    HTTP 500 or a rate-limit error (code -32)."""

    def __init__(self, *, latency, seed, fail_first=(), quota_first=()) -> None:
        super().__init__(latency=latency, seed=seed)
        self._faults = {
            g: Answer(status=500, raw=b"Internal Server Error") for g in fail_first
        }
        self._faults.update(
            {g: Answer.zalo_error(-32, "Exceeded request limit") for g in quota_first}
        )

    def respond(self, request: Recorded) -> Answer:
        if request.path == GROUP_MESSAGE_PATH:
            group = request.json()["recipient"]["group_id"]
            with self._lock:
                fault = self._faults.pop(group, None)
            if fault is not None:
                return Answer(
                    status=fault.status,
                    json=fault.json,
                    raw=fault.raw,
                    delay=self._latency(),
                )
        return super().respond(request)


def make_commune(villages: int):
    """A commune with ``villages`` villages, one active Zalo group each, and an
    official to approve notices."""
    from tests.factories import CommuneFactory, UserFactory
    from tests.factories.outreach import groups_for, villages_of

    commune = CommuneFactory(code="EAKTUR", name="Xã Ea Ktur")
    groups = groups_for(villages_of(commune, villages, ethnic_minority=14))
    official = UserFactory(username="canbo", commune=commune)
    return commune, official, [g.external_id for g in groups]


def percentile(values: list[float], p: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def run_round(args, *, concurrency: int, commune, official, group_ids, folder: Path):
    """One notice to every group through a fresh worker; the row of figures."""
    from django.utils import timezone

    from outreach.models import DeliveryStatus, Notice, NoticeStatus
    from outreach.tasks import dispatch_due_notices, sweep_deliveries
    from tests.factories.outreach import NoticeFactory

    rng = random.Random(args.seed + concurrency)
    faulty = rng.sample(group_ids, min(len(group_ids), args.errors + int(args.quota)))
    fake = MisbehavingZalo(
        latency=tuple(args.latency),
        seed=args.seed,
        fail_first=faulty[: args.errors],
        quota_first=faulty[args.errors :],
    ).start()
    fake.groups = set(group_ids)
    os.environ.update(
        ZALO_BASE_URL=fake.url,
        ZALO_OAUTH_URL=fake.url,
        ZALO_APP_ID=FakeZalo.APP_ID,
        ZALO_SECRET_KEY=FakeZalo.SECRET_KEY,
        ZALO_ACCESS_TOKEN="access-1",
        ZALO_REFRESH_TOKEN="refresh-1",
    )
    worker = None
    try:
        worker = Worker.start(
            env=os.environ,
            queue=os.environ["CELERY_TASK_DEFAULT_QUEUE"],
            name=f"bench-notices-{concurrency}-{uuid.uuid4().hex[:6]}",
            log_path=folder / f"worker-{concurrency}.log",
            pool="threads",
            concurrency=concurrency,
        )
        due = timezone.now()
        notice = NoticeFactory(
            commune=commune,
            title=f"Họp dân toàn xã ({concurrency} luồng)",
            scheduled_at=due,
            author=official,
            approved_by=official,
        )
        dispatch_due_notices.delay()  # what beat sends at its tick
        deliveries = notice.deliveries

        def finished():
            rows = list(deliveries.values("status", "next_attempt_at"))
            if len(rows) < len(group_ids):
                return False
            horizon = timezone.now() + timedelta(minutes=5)
            return all(
                r["status"] in (DeliveryStatus.SENT, DeliveryStatus.FAILED)
                or (r["next_attempt_at"] and r["next_attempt_at"] > horizon)
                for r in rows
            )

        next_sweep = time.monotonic() + args.sweep_every
        end = time.monotonic() + args.timeout
        while not finished():
            if time.monotonic() >= end:
                raise NotInTime(
                    f"round of concurrency {concurrency} not finished in "
                    f"{args.timeout:g} s\n{worker.log()[-3000:]}"
                )
            if time.monotonic() >= next_sweep:
                sweep_deliveries.delay()
                next_sweep += args.sweep_every
            time.sleep(0.05)
        # The last send's task ends just after its row is committed.
        wait_for(
            lambda: len(worker.results(SEND)) >= len(group_ids),
            timeout=10,
            what="the worker logs every send",
        )
    finally:
        if worker is not None:
            worker.stop()
        fake.stop()

    notice = Notice.objects.get(pk=notice.pk)
    rows = list(notice.deliveries.all())
    sent = [d for d in rows if d.status == DeliveryStatus.SENT]
    deferred = [d for d in rows if d.status == DeliveryStatus.QUEUED]
    failed = [d for d in rows if d.status == DeliveryStatus.FAILED]
    received = [len(fake.messages_to(g)) for g in group_ids]
    per_send = [(d.sent_at - d.wired_at).total_seconds() * 1000 for d in sent]
    in_queue = [
        (d.wired_at - d.created_at).total_seconds() * 1000
        for d in sent
        if d.attempts == 1
    ]
    last = max((d.sent_at for d in sent), default=due)
    return {
        "concurrency": concurrency,
        "dispatched_s": (notice.dispatched_at - due).total_seconds(),
        "all_sent_s": (last - due).total_seconds(),
        "sent": len(sent),
        "deferred": len(deferred),
        "failed": len(failed),
        "calls": len(fake.calls(GROUP_MESSAGE_PATH)),
        "duplicates": sum(max(0, n - 1) for n in received),
        "missing": sum(1 for n in received if n == 0),
        "send_p50": percentile(per_send, 50) if per_send else 0,
        "send_p95": percentile(per_send, 95) if per_send else 0,
        "queue_p50": percentile(in_queue, 50) if in_queue else 0,
        "queue_p95": percentile(in_queue, 95) if in_queue else 0,
        "done": notice.status == NoticeStatus.DONE,
    }


def print_table(rows: list[dict]) -> None:
    head = (
        "threads",
        "due→dispatched",
        "due→all sent",
        "sent",
        "deferred",
        "failed",
        "calls",
        "duplicates",
        "send p50/p95 ms",
        "queue p50/p95 ms",
    )
    lines = [
        (
            str(r["concurrency"]),
            f"{r['dispatched_s']:.2f} s",
            f"{r['all_sent_s']:.2f} s",
            str(r["sent"]),
            str(r["deferred"]),
            str(r["failed"]),
            str(r["calls"]),
            str(r["duplicates"]),
            f"{r['send_p50']:.0f} / {r['send_p95']:.0f}",
            f"{r['queue_p50']:.0f} / {r['queue_p95']:.0f}",
        )
        for r in rows
    ]
    widths = [max(len(row[i]) for row in [head, *lines]) for i in range(len(head))]

    def fmt(row) -> str:
        first = f"{row[0]:<{widths[0]}}"
        rest = [f"{cell:>{w}}" for cell, w in zip(row[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest])

    print(fmt(head))
    print("  ".join("-" * w for w in widths))
    for line in lines:
        print(fmt(line))


def main() -> int:
    args = parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eakutur.settings")
    # kombu warns that filesystem:// names no host, at every publish.
    logging.getLogger("kombu.connection").setLevel(logging.ERROR)
    token = uuid.uuid4().hex[:10]
    # The worker and this process: a queue and cache keys of their own on any broker.
    os.environ.update(
        CELERY_TASK_DEFAULT_QUEUE=f"bench-notices-{token}",
        CACHE_KEY_PREFIX=f"bench-notices-{token}",
        PYTHONPATH=str(Path(__file__).resolve().parents[2]),
        PYTHONUNBUFFERED="1",
        no_proxy="127.0.0.1,localhost",
        NO_PROXY="127.0.0.1,localhost",
    )
    with scratch_database(suffix="_bench_notices"):
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from kombu.utils.url import maybe_sanitize_url

        call_command("migrate", verbosity=0, interactive=False)
        commune, official, group_ids = make_commune(args.villages)
        broker = maybe_sanitize_url(settings.CELERY_BROKER_URL)
        low, high = args.latency
        print(machine(), flush=True)
        print(
            f"One notice to {len(group_ids)} Zalo groups; broker {broker}; fake Zalo "
            f"answering in {low * 1000:.0f}–{high * 1000:.0f} ms"
            + (f", {args.errors} HTTP 500 first" if args.errors else "")
            + (", one rate-limit answer" if args.quota else ""),
            flush=True,
        )
        rows = []
        with tempfile.TemporaryDirectory(prefix="eakutur-bench-notices-") as folder:
            try:
                for concurrency in args.concurrency:
                    print(f"Worker with {concurrency} threads...", flush=True)
                    rows.append(
                        run_round(
                            args,
                            concurrency=concurrency,
                            commune=commune,
                            official=official,
                            group_ids=group_ids,
                            folder=Path(folder),
                        )
                    )
            except NotInTime as exc:
                print(exc, file=sys.stderr)
                return 1
            finally:
                if settings.CELERY_BROKER_URL.startswith("redis"):
                    # The queue's bindings and the cache keys, on a Redis maybe shared.
                    forget_redis_keys(
                        settings.CELERY_BROKER_URL, f"*bench-notices-{token}*"
                    )
        print()
        print_table(rows)
        print()
        print(
            "due→all sent: from the notice's time to the last group's sent (the "
            "dispatcher runs at that time here; beat's tick adds up to 60 s). send: "
            "wired → sent on the worker (Zalo's answer). queue: delivery created → "
            "wired. deferred: waiting for Zalo's quota, not waited for."
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
