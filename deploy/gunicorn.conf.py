"""gunicorn settings for the portal's web process.

    gunicorn --config deploy/gunicorn.conf.py eakutur.wsgi

Every value can be changed through the environment (the systemd unit reads
/etc/eakutur/env, the compose file an env file); see deploy/env.example and
deploy/README.md.
"""

import contextlib
import ipaddress
import multiprocessing
import os


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


# Where gunicorn listens. The default, loopback only, is right when nginx runs on the
# same machine: nothing but the proxy can reach gunicorn. With nginx on another machine,
# bind the private address (e.g. 10.0.0.11:8000) and let only the proxy through the
# firewall (see "Client address and scheme" below for why that matters).
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")

# Synchronous workers: nginx buffers slow clients' uploads and downloads, so a worker is
# busy only while Django works. Each one holds a PostgreSQL connection (CONN_MAX_AGE):
# web workers on every machine plus Celery's processes must stay below PostgreSQL's
# max_connections (100 by default); set GUNICORN_WORKERS on large machines.
workers = _env_int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
worker_class = "sync"

# A request may run this long before its worker is killed and restarted. The slowest
# legitimate requests are the disbursement list import (about 30 ms a row, saved inside
# the request, up to DISBURSEMENT_IMPORT_MAX_ROWS rows) and the XLSX exports of a whole
# commune. Keep nginx's proxy_read_timeout a little above it.
timeout = _env_int("GUNICORN_TIMEOUT", 120)
# On a restart (upgrade) or SIGTERM, requests in flight get this long to finish. The
# systemd unit's TimeoutStopSec is above it.
graceful_timeout = _env_int("GUNICORN_GRACEFUL_TIMEOUT", 60)
# Keep-alive with nginx (its upstream block keeps connections open).
keepalive = 5

# Restart each worker after about this many requests, at different moments (jitter), so a
# slow leak cannot grow and the workers never restart all at once.
max_requests = _env_int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _env_int("GUNICORN_MAX_REQUESTS_JITTER", 100)

proc_name = "eakutur-web"

# Logs go to standard output and error (journald under systemd, `docker compose logs`).
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# No query string (%(q)s, and %(r)s would include it): searches carry names, and the
# eligibility check and filters carry personal answers. No client address, referrer or
# user agent either: nginx's access log has the address (deploy/nginx/eakutur.conf), one
# place to set its retention. Time, method, path, status, size, duration in ms.
access_log_format = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'

# gunicorn 25+ opens a control socket (for gunicornc) under $XDG_RUNTIME_DIR or $HOME.
# Under systemd the home is read-only (ProtectSystem=strict, ProtectHome): use the unit's
# RuntimeDirectory (/run/eakutur-web) instead.
if os.environ.get("RUNTIME_DIRECTORY"):
    control_socket = os.path.join(
        os.environ["RUNTIME_DIRECTORY"].split(":")[0], "gunicorn.ctl"
    )

# --- Client address and scheme ----------------------------------------------------------
#
# Behind nginx, every TCP connection gunicorn sees comes from nginx. Two facts about the
# real client therefore travel in headers that nginx sets (deploy/nginx/eakutur.conf):
#
# - X-Forwarded-Proto: "https" when the browser used HTTPS. Django believes it because
#   HTTPS=true sets SECURE_PROXY_SSL_HEADER (secure cookies, no redirect loop).
# - X-Forwarded-For: the client's address, *set* by nginx to $remote_addr (never
#   appended to what the client sent), so it holds exactly one address.
#
# forwarded_allow_ips lists the proxy's addresses: gunicorn takes the scheme from
# X-Forwarded-Proto only on connections from them, and the hook below takes the client
# address from X-Forwarded-For only on connections from them. The resident portal's
# rate limits key on REMOTE_ADDR (eakutur/residents/views/_common.py), so without the
# hook every resident would share nginx's address and one limit. A header from anyone
# else is ignored: a client cannot pick its own address.
#
# Django reads X-Forwarded-Proto itself, whoever sent it: gunicorn must be reachable only
# through the proxy (the loopback bind above, or a firewall when bound to a private
# address). Default: loopback, the proxy on the same machine.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")


def _networks(value: str) -> list | None:
    """The trusted proxies as networks; None means "*" (every peer trusted)."""
    entries = [entry.strip() for entry in value.split(",") if entry.strip()]
    if "*" in entries:
        return None
    return [ipaddress.ip_network(entry, strict=False) for entry in entries]


_TRUSTED = _networks(forwarded_allow_ips)


def _is_trusted(peer: str, trusted=_TRUSTED) -> bool:
    if trusted is None or not peer:
        # "*", or a Unix socket (no peer address): gunicorn trusts these too.
        return True
    try:
        address = ipaddress.ip_address(peer)
    except ValueError:
        return False
    return any(address in network for network in trusted)


def client_address_from_proxy(app, trusted=_TRUSTED):
    """Wrap a WSGI app: on a connection from a trusted proxy, REMOTE_ADDR becomes the
    single address in X-Forwarded-For. Anything else (untrusted peer, no header, a list,
    not an address) leaves REMOTE_ADDR as the TCP peer."""

    def wrapped(environ, start_response):
        forwarded = environ.get("HTTP_X_FORWARDED_FOR", "").strip()
        if forwarded and _is_trusted(environ.get("REMOTE_ADDR", ""), trusted):
            with contextlib.suppress(ValueError):
                environ["REMOTE_ADDR"] = str(ipaddress.ip_address(forwarded))
        return app(environ, start_response)

    return wrapped


def post_worker_init(worker):
    """gunicorn hook: each worker serves the app through the wrapper above."""
    worker.wsgi = client_address_from_proxy(worker.wsgi)
