# Ea Ktur commune portal. The two commands: `make run` and `make test`.
#
# Every target prepares what it needs (virtualenv, npm assets, compiled messages, static
# files) and skips what is already up to date, so running it again is quick.

SHELL := /bin/bash
.DEFAULT_GOAL := help

# Python 3.11 is the supported version; use python3.11 when it exists, else python3.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py

HOST ?= 127.0.0.1
PORT ?= 8000
# pytest-xdist workers (`make test PYTEST_N=0` runs in one process) and extra arguments
# (`make test PYTEST_ARGS="tests/households -k review"`).
PYTEST_N ?= auto
PYTEST_ARGS ?=
# Arguments of the benchmark (`make bench BENCH_ARGS="--households 2000 --runs 3"`).
BENCH_ARGS ?=
# Arguments of the notices' fan-out benchmark (`make bench-notices
# BENCH_NOTICES_ARGS="--concurrency 4 --errors 3"`).
BENCH_NOTICES_ARGS ?=
# Arguments of the dashboard benchmark (`make bench-dashboard
# BENCH_DASHBOARD_ARGS="--households 2000 --runs 3"`).
BENCH_DASHBOARD_ARGS ?=
# The production smoke (`make smoke`, tests/smoke) and the load test (`make load`,
# tests/load): each drops and creates its PostgreSQL database and empties its Redis
# database, so give them ones of their own. LOAD_USERS simulated people arrive
# LOAD_SPAWN_RATE a second; the load lasts LOAD_TIME; the dataset is the large commune
# (tests/perf/large_commune.py) of LOAD_HOUSEHOLDS households.
SMOKE_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/smoke
SMOKE_REDIS_URL ?= redis://127.0.0.1:6379/14
SMOKE_PORT ?= 8765
LOAD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/load
LOAD_REDIS_URL ?= redis://127.0.0.1:6379/13
LOAD_PORT ?= 8766
LOAD_USERS ?= 40
LOAD_SPAWN_RATE ?= 10
LOAD_TIME ?= 60s
LOAD_HOUSEHOLDS ?= 50000
LOAD_RESULTS ?= test-artifacts/load
# e.g. --keep-data: run again on the data of the last run (no rebuild)
LOAD_ARGS ?=
# locust in a virtualenv of its own (see requirements-load.txt).
LOAD_VENV := .venv-load
LOAD_STAMP := $(LOAD_VENV)/.installed

LOCALES := -l vi -l en
# Folders that hold no translatable strings of ours.
I18N_IGNORE := --ignore=.venv --ignore=node_modules --ignore=staticfiles --ignore=var --ignore=test-artifacts \
	--ignore=tests

VENV_STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
STATIC_STAMP := staticfiles/.collected
STATIC_SOURCES := $(shell find static -type f 2>/dev/null)

.PHONY: help install venv run test smoke load faults bench bench-notices bench-dashboard lint security format messages check-messages compilemessages \
	collectstatic migrate seed clean

help:
	@echo "make run             install, migrate, load the demo commune and start the portal"
	@echo "                     (web server + Celery worker + beat) on http://$(HOST):$(PORT)/"
	@echo "make test            run the whole test suite (PYTEST_N=0 for one process)"
	@echo "make faults          break Redis, PostgreSQL, the worker and the provider while"
	@echo "                     notices go out (a PostgreSQL and a Redis of its own on ports"
	@echo "                     $(FAULTS_PG_PORT) and $(FAULTS_REDIS_PORT); about 3 min; see docs/faults.md)"
	@echo "make bench           time the registry and the loan book at 8,500 and 50,000"
	@echo "                     households in a scratch database, then bench-notices and"
	@echo "                     bench-dashboard; prints figures (about 12 min)"
	@echo "make bench-notices   time one notice's fan-out to 46 village Zalo groups through"
	@echo "                     a real worker and the fake Zalo (about 1 min on Redis)"
	@echo "make bench-dashboard time the dashboard on a commune of 50,000 households next to"
	@echo "                     the same aggregates in raw SQL (about 3 min)"
	@echo "make smoke           the production smoke: gunicorn, a Celery worker and beat on"
	@echo "                     PostgreSQL and Redis with production settings and the demo"
	@echo "                     commune, and the browser journeys against it (about 3 min)"
	@echo "make load            the load test: locust against that stack with the large"
	@echo "                     commune (LOAD_USERS, LOAD_TIME; see docs/performance.md)"
	@echo "make lint            ruff check and ruff format --check"
	@echo "make security        bandit on the apps and pip-audit of requirements.txt"
	@echo "make format          apply ruff format and the safe ruff fixes"
	@echo "make messages        extract translatable strings into locale/{vi,en}"
	@echo "make check-messages  fail if the Vietnamese catalogue is incomplete or fuzzy"
	@echo "make clean           remove var/ (the SQLite database too) and staticfiles/"

# --- Installation ---------------------------------------------------------------------

$(PY):
	@$(PYTHON) -c 'import sys; v = sys.version_info[:2]; \
		sys.exit(f"Python 3.11 or newer is needed, {sys.executable} is {v}") if v < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)

$(VENV_STAMP): requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --disable-pip-version-check --quiet -r requirements-dev.txt
	@touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

venv: $(VENV_STAMP)

install: $(VENV_STAMP) $(NODE_STAMP)

# --- Preparing the project ------------------------------------------------------------

compilemessages: install
ifneq ($(wildcard locale/*/LC_MESSAGES/*.po),)
	$(MANAGE) compilemessages $(I18N_IGNORE) --ignore=.git
else
	@echo "No message catalogue in locale/ yet: pages will be in English (make messages)."
endif

$(STATIC_STAMP): $(STATIC_SOURCES) $(NODE_STAMP) $(VENV_STAMP) eakutur/settings.py
	$(MANAGE) collectstatic --noinput --verbosity 0
	@touch $@

collectstatic: install $(STATIC_STAMP)

migrate: install
	$(MANAGE) migrate --noinput

seed: migrate
	$(MANAGE) seed_demo

# --- The two commands -----------------------------------------------------------------

run: install compilemessages collectstatic migrate seed
	@HOST=$(HOST) PORT=$(PORT) PY=$(PY) exec scripts/run_dev.sh

test: install compilemessages collectstatic
	$(BIN)/pytest -n $(PYTEST_N) $(PYTEST_ARGS)

# The fault suite (tests/faults, docs/faults.md) starts a PostgreSQL cluster and a Redis of
# its own on these ports and stops them during the scenarios; it never touches DATABASE_URL
# or REDIS_URL of the environment, which are overridden here.
FAULTS_PG_PORT := 55432
FAULTS_REDIS_PORT := 6390
faults: install compilemessages
	DATABASE_URL=postgres://postgres@127.0.0.1:$(FAULTS_PG_PORT)/faults \
		REDIS_URL=redis://127.0.0.1:$(FAULTS_REDIS_PORT)/0 \
		$(BIN)/pytest -p no:xdist -m faults tests/faults $(PYTEST_ARGS)

bench: install compilemessages
	$(PY) -m tests.perf.bench_registry $(BENCH_ARGS)
	$(PY) -m tests.perf.bench_notices $(BENCH_NOTICES_ARGS)
	$(PY) -m tests.perf.bench_dashboard $(BENCH_DASHBOARD_ARGS)

bench-notices: install compilemessages
	$(PY) -m tests.perf.bench_notices $(BENCH_NOTICES_ARGS)

# The production stack prepares itself (migrate, compilemessages, collectstatic, the
# data) as an upgrade does: see tests/prodstack.
smoke: install
	SMOKE_DATABASE_URL=$(SMOKE_DATABASE_URL) SMOKE_REDIS_URL=$(SMOKE_REDIS_URL) \
		SMOKE_PORT=$(SMOKE_PORT) $(BIN)/pytest -p no:xdist tests/smoke $(PYTEST_ARGS)

$(LOAD_STAMP): requirements-load.txt
	$(PYTHON) -m venv $(LOAD_VENV)
	$(LOAD_VENV)/bin/pip install --disable-pip-version-check --quiet -r requirements-load.txt
	@touch $@

# Every simulated resident has an address of its own (X-Forwarded-For), but looks up
# more often in a minute than a person in an hour: the per-address limits are raised.
load: install $(LOAD_STAMP)
	LOAD_USERS=$(LOAD_USERS) LOAD_SPAWN_RATE=$(LOAD_SPAWN_RATE) LOAD_TIME=$(LOAD_TIME) \
		LOAD_RESULTS=$(LOAD_RESULTS) LOCUST=$(LOAD_VENV)/bin/locust PYTHON=$(PY) \
		$(PY) -m tests.prodstack --database-url $(LOAD_DATABASE_URL) \
		--redis-url $(LOAD_REDIS_URL) --port $(LOAD_PORT) \
		--dataset large --households $(LOAD_HOUSEHOLDS) $(LOAD_ARGS) \
		--env RESIDENTS_LOOKUPS_PER_ADDRESS=100000 --env RESIDENTS_LOOKUP_FAILURES=100000 \
		-- tests/load/run.sh

bench-dashboard: install compilemessages
	$(PY) -m tests.perf.bench_dashboard $(BENCH_DASHBOARD_ARGS)

# --- Code quality and translations ----------------------------------------------------

lint: $(VENV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Static security analysis (configured in pyproject.toml) and known vulnerabilities in
# the pinned dependencies (scripts/audit_dependencies.py says when it could not check).
security: $(VENV_STAMP)
	$(BIN)/bandit -r eakutur households loans trainings outreach -c pyproject.toml -q
	$(PY) scripts/audit_dependencies.py requirements.txt

format: $(VENV_STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: install
	$(MANAGE) makemessages $(LOCALES) $(I18N_IGNORE) --no-obsolete

check-messages: $(VENV_STAMP)
	$(PY) scripts/check_translations.py $(I18N_IGNORE)

clean:
	rm -rf var staticfiles
