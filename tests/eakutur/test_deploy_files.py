"""The deployment files in deploy/ agree with the code and with what deploy/README.md
promises: every setting is documented, the units are complete, there is one beat, the
proxy and gunicorn trust the right headers from the right peers."""

import multiprocessing
import re
import runpy
from pathlib import Path

import pytest
from django.conf import settings
from gunicorn.config import Config

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
UNITS = DEPLOY / "systemd"
SERVICES = ("eakutur-web", "eakutur-worker", "eakutur-beat", "eakutur-backup")
LONG_RUNNING = ("eakutur-web", "eakutur-worker", "eakutur-beat")

# env.str("NAME", ...), env.db_url(\n "NAME", ...), environ.Env().str("NAME", ...)
SETTINGS_READ = re.compile(r"\b(?:env|Env\(\))\.\w+\(\s*[\"']([A-Z][A-Z0-9_]*)[\"']")
ENV_LINE = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=(.*)$", re.MULTILINE)


def settings_variables() -> set[str]:
    return set(SETTINGS_READ.findall((ROOT / "eakutur" / "settings.py").read_text()))


def env_example() -> dict[str, str]:
    text = (DEPLOY / "env.example").read_text()
    return {name: value for name, value in ENV_LINE.findall(text)}


def unit_lines(name: str) -> list[tuple[str, str]]:
    """(key, value) pairs of a systemd unit file, comments and sections left out."""
    pairs = []
    for raw in (UNITS / name).read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";", "[")):
            continue
        key, _, value = line.partition("=")
        pairs.append((key.strip(), value.strip()))
    return pairs


def unit_values(name: str, key: str) -> list[str]:
    return [value for k, value in unit_lines(name) if k == key]


def without_comments(text: str) -> str:
    return "\n".join(line.split("#", 1)[0] for line in text.splitlines())


# --- env.example ----------------------------------------------------------------------


def test_the_settings_parser_finds_the_variables():
    found = settings_variables()
    # Guards the regular expression: one-line, multi-line and environ.Env() calls.
    assert {"SECRET_KEY", "DATABASE_URL", "EAKUTUR_VAR_DIR", "EMAIL_URL"} <= found
    assert "RESIDENTS_ATTEMPT_RETENTION_DAYS" in found
    assert len(found) >= 40


def test_every_variable_the_settings_read_is_in_env_example():
    missing = settings_variables() - set(env_example())
    assert not missing, f"add to deploy/env.example: {sorted(missing)}"


def test_env_example_sets_what_production_requires_with_placeholders_only():
    values = env_example()
    for name in (
        "SECRET_KEY",
        "DATABASE_URL",
        "REDIS_URL",
        "ALLOWED_HOSTS",
        "CSRF_TRUSTED_ORIGINS",
        "EMAIL_URL",
    ):
        assert values.get(name), f"{name} should be set (uncommented) in env.example"
    assert values["HTTPS"] == "true"
    assert "change-me" in values["SECRET_KEY"]
    assert "change-me" in values["DATABASE_URL"]


def test_env_example_documents_the_deployment_variables():
    values = env_example()
    gunicorn_conf = (DEPLOY / "gunicorn.conf.py").read_text()
    for name in re.findall(r"os\.environ\.get\(\s*\"([A-Z_]+)\"", gunicorn_conf):
        if name != "RUNTIME_DIRECTORY":  # set by systemd itself
            assert name in values, f"{name} (gunicorn.conf.py) missing in env.example"
    worker = (UNITS / "eakutur-worker.service").read_text()
    for name in re.findall(r"\$\{([A-Z_]+)\}", worker):
        assert name in values


# --- systemd units --------------------------------------------------------------------


@pytest.mark.parametrize("unit", SERVICES)
def test_each_service_runs_as_eakutur_with_the_env_file(unit):
    name = f"{unit}.service"
    assert len(unit_values(name, "ExecStart")) == 1
    assert unit_values(name, "User") == ["eakutur"]
    assert "/etc/eakutur/env" in unit_values(name, "EnvironmentFile")
    assert unit_values(name, "WorkingDirectory") == ["/srv/eakutur"]
    assert unit_values(name, "NoNewPrivileges") == ["true"]
    assert unit_values(name, "ProtectSystem") == ["strict"]
    assert unit_values(name, "PrivateTmp") == ["true"]
    assert unit_values(name, "ReadWritePaths"), "ProtectSystem=strict needs its paths"


@pytest.mark.parametrize("unit", LONG_RUNNING)
def test_long_running_services_restart_and_can_write_the_var_dir(unit):
    name = f"{unit}.service"
    assert unit_values(name, "Restart") == ["on-failure"]
    var_dir = env_example()["EAKUTUR_VAR_DIR"]
    writable = " ".join(unit_values(name, "ReadWritePaths")).split()
    assert var_dir in writable
    assert unit_values(name, "WantedBy") == ["multi-user.target"]


def test_exactly_one_unit_runs_beat():
    beat_units = [
        path.name
        for path in UNITS.glob("*.service")
        if any(
            re.search(r"\bcelery\b.*\s(beat\b|-B\b|--beat\b)", command)
            for command in unit_values(path.name, "ExecStart")
        )
    ]
    assert beat_units == ["eakutur-beat.service"]


def test_the_units_start_what_the_readme_says():
    (web,) = unit_values("eakutur-web.service", "ExecStart")
    assert "gunicorn --config deploy/gunicorn.conf.py eakutur.wsgi" in web
    (worker,) = unit_values("eakutur-worker.service", "ExecStart")
    assert "celery -A eakutur worker --loglevel=INFO" in worker
    assert "--concurrency=${CELERY_CONCURRENCY}" in worker
    # The default must come before the env file, which overrides it.
    keys = [k for k, _ in unit_lines("eakutur-worker.service")]
    assert keys.index("Environment") < keys.index("EnvironmentFile")
    (beat,) = unit_values("eakutur-beat.service", "ExecStart")
    assert beat.endswith("celery -A eakutur beat --loglevel=INFO")
    (backup,) = unit_values("eakutur-backup.service", "ExecStart")
    assert backup == "/srv/eakutur/deploy/backup.sh"
    assert (DEPLOY / "backup.sh").exists()


def test_backup_timer_starts_the_backup_daily():
    assert unit_values("eakutur-backup.timer", "Unit") == ["eakutur-backup.service"]
    assert unit_values("eakutur-backup.timer", "OnCalendar")
    assert unit_values("eakutur-backup.timer", "Persistent") == ["true"]
    # Where backup.sh writes by default is where the unit lets it write.
    default_dir = re.search(
        r"BACKUP_DIR=\$\{BACKUP_DIR:-([^}]+)\}", (DEPLOY / "backup.sh").read_text()
    )
    assert default_dir
    assert default_dir.group(1) in unit_values(
        "eakutur-backup.service", "ReadWritePaths"
    )


# --- gunicorn.conf.py -----------------------------------------------------------------


@pytest.fixture
def gunicorn_conf(monkeypatch):
    def load(**env):
        for name in (
            "GUNICORN_BIND",
            "GUNICORN_WORKERS",
            "FORWARDED_ALLOW_IPS",
            "RUNTIME_DIRECTORY",
        ):
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))

    return load


def test_gunicorn_conf_defaults(gunicorn_conf):
    conf = gunicorn_conf()
    assert conf["bind"] == ["127.0.0.1:8000"]
    assert conf["workers"] == multiprocessing.cpu_count() * 2 + 1
    assert conf["forwarded_allow_ips"] == "127.0.0.1,::1"
    assert conf["timeout"] > 30  # the disbursement import runs inside the request
    assert conf["max_requests"] > 0
    assert conf["max_requests_jitter"] > 0
    # No query string, no referrer (which carries the previous page's query string).
    for atom in ("%(q)s", "%(r)s", "%(f)s"):
        assert atom not in conf["access_log_format"]


def test_gunicorn_conf_reads_the_environment(gunicorn_conf):
    conf = gunicorn_conf(
        GUNICORN_BIND="10.0.0.11:8000",
        GUNICORN_WORKERS="3",
        FORWARDED_ALLOW_IPS="10.0.0.5,10.1.0.0/16",
        RUNTIME_DIRECTORY="/run/eakutur-web",
    )
    assert conf["bind"] == ["10.0.0.11:8000"]
    assert conf["workers"] == 3
    assert conf["forwarded_allow_ips"] == "10.0.0.5,10.1.0.0/16"
    assert conf["control_socket"] == "/run/eakutur-web/gunicorn.ctl"


def test_gunicorn_accepts_every_value(gunicorn_conf):
    """What gunicorn itself does with the file: each known name through its validator."""
    cfg = Config()
    conf = gunicorn_conf()
    applied = []
    for name, value in conf.items():
        if name in cfg.settings:
            cfg.set(name, value)
            applied.append(name)
    assert {"bind", "workers", "forwarded_allow_ips", "post_worker_init"} <= set(
        applied
    )
    assert cfg.forwarded_allow_ips == ["127.0.0.1", "::1"]


def _remote_addr_seen(conf, environ):
    seen = {}

    def app(environ, start_response):
        seen["REMOTE_ADDR"] = environ["REMOTE_ADDR"]
        return []

    conf["client_address_from_proxy"](app)(environ, None)
    return seen["REMOTE_ADDR"]


def test_client_address_comes_from_the_trusted_proxy_only(gunicorn_conf):
    conf = gunicorn_conf(FORWARDED_ALLOW_IPS="127.0.0.1,10.0.0.0/24")
    seen = _remote_addr_seen
    # nginx on the same machine, or on the trusted network: the client's address.
    assert (
        seen(conf, {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.7"})
        == "203.0.113.7"
    )
    assert (
        seen(conf, {"REMOTE_ADDR": "10.0.0.9", "HTTP_X_FORWARDED_FOR": "2001:db8::1"})
        == "2001:db8::1"
    )
    # A client talking to gunicorn directly cannot choose its address.
    assert (
        seen(conf, {"REMOTE_ADDR": "198.51.100.4", "HTTP_X_FORWARDED_FOR": "1.2.3.4"})
        == "198.51.100.4"
    )
    # nginx sets one address; a list or garbage means something else wrote it.
    assert (
        seen(conf, {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4, ::1"})
        == "127.0.0.1"
    )
    assert (
        seen(conf, {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "<script>"})
        == "127.0.0.1"
    )
    assert seen(conf, {"REMOTE_ADDR": "127.0.0.1"}) == "127.0.0.1"


def test_post_worker_init_wraps_the_workers_app(gunicorn_conf):
    conf = gunicorn_conf()

    class Worker:
        def wsgi(self, environ, start_response):
            return [environ["REMOTE_ADDR"].encode()]

    worker = Worker()
    conf["post_worker_init"](worker)
    environ = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "192.0.2.8"}
    assert worker.wsgi(environ, None) == [b"192.0.2.8"]


# --- nginx ----------------------------------------------------------------------------


def test_nginx_sets_the_forwarded_headers_and_never_appends():
    conf = without_comments((DEPLOY / "nginx" / "eakutur.conf").read_text())
    assert re.search(r"proxy_set_header\s+X-Forwarded-Proto\s+\$scheme;", conf)
    assert re.search(r"proxy_set_header\s+X-Forwarded-For\s+\$remote_addr;", conf)
    assert "$proxy_add_x_forwarded_for" not in conf
    assert re.search(r"location\s+=\s+/healthz\s*\{", conf)
    assert re.search(r"ssl_certificate\s", conf)
    assert re.search(r"gzip\s+on;", conf)
    # The access log format leaves the query string out.
    log_format = re.search(r"log_format\s+eakutur\s+([^;]+);", conf).group(1)
    assert "$request " not in log_format and "$request_uri" not in log_format
    assert "$args" not in log_format and "$query_string" not in log_format


def test_nginx_accepts_the_largest_import_the_portal_accepts():
    conf = without_comments((DEPLOY / "nginx" / "eakutur.conf").read_text())
    size = re.search(r"client_max_body_size\s+(\d+)([kKmM]?);", conf)
    assert size
    factor = {"": 1, "k": 1024, "m": 1024 * 1024}[size.group(2).lower()]
    assert int(size.group(1)) * factor > settings.IMPORT_MAX_FILE_BYTES


def test_nginx_reads_longer_than_gunicorn_works(gunicorn_conf):
    conf = without_comments((DEPLOY / "nginx" / "eakutur.conf").read_text())
    read_timeout = re.search(r"proxy_read_timeout\s+(\d+)s;", conf)
    assert read_timeout
    assert int(read_timeout.group(1)) > gunicorn_conf()["timeout"]


# --- compose and Dockerfile -----------------------------------------------------------


def compose_services() -> dict[str, str]:
    """Each service of compose.yaml and its text: parsed by PyYAML when installed."""
    text = (DEPLOY / "compose.yaml").read_text()
    try:
        import yaml
    except ImportError:
        yaml = None
    if yaml is not None:
        services = yaml.safe_load(text)["services"]
        return {name: yaml.safe_dump(body) for name, body in services.items()}
    # Without PyYAML: the two-space-indented keys of the top-level services block.
    block = re.search(r"^services:\n(.*?)(?=^\S)", text, re.MULTILINE | re.DOTALL)
    assert block, "compose.yaml has no services block"
    services, current = {}, None
    for line in block.group(1).splitlines():
        if match := re.match(r"^  ([A-Za-z0-9_.-]+):\s*$", line):
            current = match.group(1)
            services[current] = ""
        elif current is not None and not line.lstrip().startswith("#"):
            services[current] += line + "\n"
    return services


def test_compose_has_exactly_one_beat_and_checks_web_health():
    services = compose_services()
    assert {"db", "redis", "web", "worker", "beat"} <= set(services)
    beats = [
        name
        for name, body in services.items()
        if re.search(r"celery\W+.*\bbeat\b|\bbeat\b.*--loglevel", body, re.DOTALL)
        and "worker" not in name
    ]
    assert beats == ["beat"]
    assert "replicas" not in services["beat"]
    assert "manage.py" in services["web"] and "healthcheck" in services["web"]
    assert "postgres:15" in services["db"]
    assert "redis:7" in services["redis"]
    worker = services["worker"]
    assert "worker" in worker and not re.search(r"\s-B\b|--beat\b", worker)


def test_dockerfile_builds_what_production_needs():
    dockerfile = without_comments((DEPLOY / "Dockerfile").read_text())
    assert re.search(r"^FROM python:3\.11-slim\b", dockerfile, re.MULTILINE)
    assert "npm ci" in dockerfile
    assert "gettext" in dockerfile
    assert "compilemessages" in dockerfile and "collectstatic" in dockerfile
    users = re.findall(r"^USER\s+(\S+)", dockerfile, re.MULTILINE)
    assert users and users[-1] not in ("root", "0")
    ignored = (DEPLOY / "Dockerfile.dockerignore").read_text().split()
    assert {"var", ".venv", "node_modules", ".env"} <= set(ignored)


# --- README ---------------------------------------------------------------------------


def test_readme_production_section_points_to_the_deployment_guide():
    readme = (ROOT / "README.md").read_text()
    section = re.search(r"^## Production\n(.*?)(?=^## |\Z)", readme, re.M | re.S)
    assert section
    assert "deploy/README.md" in section.group(1)
    assert "comes with a later issue" not in section.group(1)
    guide = (DEPLOY / "README.md").read_text()
    for path in re.findall(
        r"`((?:deploy/)?[\w./-]+\.(?:service|timer|sh|py|conf))`", guide
    ):
        name = path.removeprefix("deploy/")
        candidates = [ROOT / path, DEPLOY / name, UNITS / name, DEPLOY / "nginx" / name]
        assert any(c.exists() for c in candidates) or "*" in name, (
            f"deploy/README.md names {path}, which does not exist"
        )
