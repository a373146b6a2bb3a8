"""``/healthz``: is this web process fit to serve, for the load balancer.

Three checks: the database (``SELECT 1``), the cache (Redis in production: a key written
and read back) and the beat heartbeat (``eakutur.tasks.beat_heartbeat`` writes a
timestamp every 60 s through a worker, so a stale one means beat or every worker is
down). The database and the cache are needed by every page: if either fails the answer
is 503 "down" and the balancer takes the process out of rotation. A stale beat is
"degraded" but still 200: the web pages work without beat, and taking every web process
out of rotation would turn a late reminder into an outage.

The answer is machine-readable and public: no login, no session, no personal data, and a
failing check says "error" only; the exception goes to the log, where it may name hosts
or users the public must not see.
"""

import json
import logging
import time
import uuid
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from eakutur.tasks import BEAT_HEARTBEAT_KEY

logger = logging.getLogger(__name__)

OK, DEGRADED, DOWN = "ok", "degraded", "down"
DEFAULT_BEAT_STALE_AFTER = 300
# Long enough for the read that follows, short enough that a probe that died between
# write and delete leaves nothing behind for long.
PROBE_TTL_SECONDS = 10


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


def check_database() -> dict:
    started = time.perf_counter()
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("Health check: the database is not answering")
        return {"ok": False, "ms": _ms(started), "error": "error"}
    return {"ok": True, "ms": _ms(started)}


def check_cache() -> dict:
    # A key of its own per probe: several balancers probing several processes at once
    # must not read each other's value and report a healthy cache as broken.
    key = f"health:probe:{uuid.uuid4().hex}"
    token = uuid.uuid4().hex
    started = time.perf_counter()
    try:
        cache.set(key, token, timeout=PROBE_TTL_SECONDS)
        ok = cache.get(key) == token
        cache.delete(key)
    except Exception:
        logger.exception("Health check: the cache is not answering")
        return {"ok": False, "ms": _ms(started), "error": "error"}
    if not ok:
        logger.error("Health check: the cache did not return the value just written")
        return {"ok": False, "ms": _ms(started), "error": "error"}
    return {"ok": True, "ms": _ms(started)}


def check_beat() -> dict:
    stale_after = getattr(settings, "HEALTH_BEAT_STALE_AFTER", DEFAULT_BEAT_STALE_AFTER)
    try:
        stamp = cache.get(BEAT_HEARTBEAT_KEY)
    except Exception:
        logger.exception("Health check: the beat heartbeat cannot be read")
        return {"ok": False, "age_seconds": None, "error": "error"}
    if stamp is None:
        # Never written (beat never ran a task since the cache was emptied): as bad as
        # stale, since nothing shows beat is alive.
        return {"ok": False, "age_seconds": None}
    try:
        beat_at = datetime.fromisoformat(stamp)
        if timezone.is_naive(beat_at):
            beat_at = timezone.make_aware(beat_at)
    except (TypeError, ValueError):
        logger.error("Health check: the beat heartbeat is not a timestamp")
        return {"ok": False, "age_seconds": None, "error": "error"}
    # A heartbeat slightly in the future (clocks of two machines) is fresh, not negative.
    age = max(0, round((timezone.now() - beat_at).total_seconds()))
    return {"ok": age <= stale_after, "age_seconds": age}


def run_checks() -> dict:
    """The report /healthz and ``manage.py healthcheck`` give."""
    checks = {
        "database": check_database(),
        "cache": check_cache(),
        "beat": check_beat(),
    }
    if not (checks["database"]["ok"] and checks["cache"]["ok"]):
        status = DOWN
    elif not checks["beat"]["ok"]:
        status = DEGRADED
    else:
        status = OK
    return {"status": status, "checks": checks}


# GET and HEAD only. Exempt from CSRF so that a POST meets the method check (405) rather
# than the CSRF failure page (403, an HTML page of ours): the endpoint never changes state.
@csrf_exempt
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    report = run_checks()
    response = HttpResponse(
        json.dumps(report),
        content_type="application/json",
        status=503 if report["status"] == DOWN else 200,
    )
    # The balancer, or a proxy between, must never answer from a stored copy.
    response["Cache-Control"] = "no-store"
    return response
