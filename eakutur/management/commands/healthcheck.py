"""``manage.py healthcheck``: the /healthz report on standard output, for a container's
or a systemd unit's health check (which cannot always reach the web server).

Exit status 1 when the status is "down" (the database or the cache fails), 0 otherwise:
a stale beat ("degraded") is reported but does not fail, as on /healthz.
"""

import json

from django.core.management.base import BaseCommand

from eakutur.health import DOWN, run_checks


class Command(BaseCommand):
    help = (
        "Check the database, the cache and the beat heartbeat; print the /healthz JSON "
        "and exit with status 1 when the database or the cache fails."
    )
    # The checks need neither the system checks nor the migrations to be current, and a
    # probe every few seconds should not pay for them.
    requires_system_checks = []
    requires_migrations_checks = False

    def handle(self, *args, **options) -> None:
        report = run_checks()
        self.stdout.write(json.dumps(report))
        if report["status"] == DOWN:
            raise SystemExit(1)
