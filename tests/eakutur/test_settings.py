"""Settings come from the environment: embedded defaults, PostgreSQL, Redis, production.

Settings are read once per process, so each case loads them in a fresh Python process with
a controlled environment and a temporary ``EAKUTUR_VAR_DIR``.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
# Every variable settings.py reads; each case starts with none of them set.
SETTINGS_VARIABLES = (
    "DATABASE_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "DEBUG",
    "HTTPS",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "EAKUTUR_VAR_DIR",
    "IMPORT_MAX_ROWS",
    "IMPORT_MAX_FILE_BYTES",
    "LOG_LEVEL",
    "CONN_MAX_AGE",
    "EMAIL_URL",
    "SECURE_HSTS_SECONDS",
    "SECURE_SSL_REDIRECT",
    "CELERY_RESULT_BACKEND",
    "CONTENT_SECURITY_POLICY",
    # Not a setting, but check --deploy refuses it; tests/e2e/conftest.py sets it for
    # the test process.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)

PROBE = """
import json
import django
from django.conf import settings

django.setup()
from eakutur.celery import app

db = settings.DATABASES["default"]
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "LANGUAGE_CODE": settings.LANGUAGE_CODE,
    "LANGUAGES": [code for code, _ in settings.LANGUAGES],
    "TIME_ZONE": settings.TIME_ZONE,
    "USE_TZ": settings.USE_TZ,
    "SECRET_KEY": settings.SECRET_KEY,
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "db": {k: str(db.get(k)) for k in ("ENGINE", "NAME", "HOST", "PORT", "USER")},
    "CONN_MAX_AGE": db.get("CONN_MAX_AGE"),
    "cache_backend": settings.CACHES["default"]["BACKEND"],
    "cache_location": str(settings.CACHES["default"]["LOCATION"]),
    "broker_url": app.conf.broker_url,
    "broker_options": app.conf.broker_transport_options,
    "beat_schedule_filename": str(app.conf.beat_schedule_filename),
    "beat_tasks": sorted(e["task"] for e in app.conf.beat_schedule.values()),
    "timezone": str(app.conf.timezone),
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "SECURE_SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
}))
"""


def clean_env(var_dir: Path, **overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    env.update(
        DJANGO_SETTINGS_MODULE="eakutur.settings",
        EAKUTUR_VAR_DIR=str(var_dir),
        PYTHONPATH=str(BASE_DIR),
        **overrides,
    )
    return env


def load_settings(var_dir: Path, **overrides: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=BASE_DIR,
        env=clean_env(var_dir, **overrides),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def manage(var_dir: Path, *args: str, **overrides: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=clean_env(var_dir, **overrides),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def var_dir(tmp_path):
    if (BASE_DIR / ".env").exists():
        pytest.skip(".env in the project folder overrides the defaults under test")
    return tmp_path / "var"


def test_defaults_are_a_developer_machine(var_dir):
    s = load_settings(var_dir)

    assert s["DEBUG"] is False
    assert s["LANGUAGE_CODE"] == "vi"
    assert s["LANGUAGES"] == ["vi", "en"]
    assert s["TIME_ZONE"] == "Asia/Ho_Chi_Minh"
    assert s["USE_TZ"] is True
    assert s["db"]["ENGINE"] == "django.db.backends.sqlite3"
    assert Path(s["db"]["NAME"]).parent == var_dir
    assert s["cache_backend"] == "django.core.cache.backends.filebased.FileBasedCache"
    assert Path(s["cache_location"]).is_relative_to(var_dir)
    assert "localhost" in s["ALLOWED_HOSTS"]
    assert "127.0.0.1" in s["ALLOWED_HOSTS"]


def test_defaults_use_a_broker_that_needs_no_server(var_dir):
    s = load_settings(var_dir)

    assert s["broker_url"] == "filesystem://"
    options = s["broker_options"]
    # Producers and the worker must share one folder, and it must exist beforehand.
    assert options["data_folder_in"] == options["data_folder_out"]
    for key in ("data_folder_in", "processed_folder"):
        assert Path(options[key]).is_relative_to(var_dir)
        assert Path(options[key]).is_dir()
    assert Path(s["beat_schedule_filename"]).is_relative_to(var_dir)
    assert "eakutur.tasks.beat_heartbeat" in s["beat_tasks"]
    assert s["timezone"] == "Asia/Ho_Chi_Minh"


def test_default_secret_key_is_generated_once_and_kept_private(var_dir):
    first = load_settings(var_dir)["SECRET_KEY"]
    second = load_settings(var_dir)["SECRET_KEY"]

    assert first == second
    assert len(first) >= 50
    assert (var_dir / "secret_key").stat().st_mode & 0o777 == 0o600


def test_database_url_selects_postgresql(var_dir):
    s = load_settings(
        var_dir, DATABASE_URL="postgres://portal:secret@db.example:5433/eakutur"
    )

    assert s["db"]["ENGINE"] == "django.db.backends.postgresql"
    assert s["db"]["NAME"] == "eakutur"
    assert s["db"]["HOST"] == "db.example"
    assert s["db"]["PORT"] == "5433"
    assert s["db"]["USER"] == "portal"
    assert s["CONN_MAX_AGE"] == 60

    tuned = load_settings(
        var_dir, DATABASE_URL="postgres://db.example/eakutur", CONN_MAX_AGE="0"
    )
    assert tuned["CONN_MAX_AGE"] == 0


def test_redis_url_selects_redis_for_cache_and_broker(var_dir):
    s = load_settings(var_dir, REDIS_URL="redis://cache.example:6379/3")

    assert s["cache_backend"] == "django.core.cache.backends.redis.RedisCache"
    assert s["cache_location"] == "redis://cache.example:6379/3"
    assert s["broker_url"] == "redis://cache.example:6379/3"
    assert "data_folder_in" not in s["broker_options"]


def test_debug_is_only_on_when_asked_for(var_dir):
    assert load_settings(var_dir, DEBUG="true")["DEBUG"] is True
    assert load_settings(var_dir, DEBUG="false")["DEBUG"] is False


PRODUCTION = {
    "DEBUG": "false",
    "HTTPS": "true",
    # Not a real key: 50+ varied characters, as check --deploy wants.
    "SECRET_KEY": "t3st-only-4Jq9zR7wXv2LmN8pK5sD1fG6hY0uB3cE7aT9oW4iQ",
    "ALLOWED_HOSTS": "portal.example",
    "EMAIL_URL": "smtp+tls://portal:secret@mail.example:587",
}


def test_https_turns_on_secure_cookies_and_redirect(var_dir):
    s = load_settings(var_dir, **PRODUCTION)

    assert s["SESSION_COOKIE_SECURE"] is True
    assert s["SECURE_SSL_REDIRECT"] is True
    assert s["ALLOWED_HOSTS"] == ["portal.example"]
    assert s["SECRET_KEY"] == PRODUCTION["SECRET_KEY"]


def test_production_settings_pass_check_deploy(var_dir):
    result = manage(
        var_dir, "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stderr + result.stdout


def test_check_deploy_warns_when_mail_is_only_printed(var_dir):
    """Relay reminders must leave the server: without EMAIL_URL they only reach the log."""
    without_mail = {k: v for k, v in PRODUCTION.items() if k != "EMAIL_URL"}
    result = manage(
        var_dir, "check", "--deploy", "--fail-level", "WARNING", **without_mail
    )

    assert result.returncode != 0
    assert "eakutur.W001" in result.stderr


def test_check_deploy_warns_without_https(var_dir):
    """The check above can fail: plain HTTP settings are not fit for production."""
    production_over_http = {**PRODUCTION, "HTTPS": "false"}
    result = manage(
        var_dir, "check", "--deploy", "--fail-level", "WARNING", **production_over_http
    )

    assert result.returncode != 0
    assert "security.W008" in result.stderr  # SECURE_SSL_REDIRECT
    assert "security.W012" in result.stderr  # SESSION_COOKIE_SECURE
