# Fluxent: two commands on a fresh machine.
#   make run   - install what is missing, migrate, seed the demo data, start at http://localhost:3000
#   make test  - the whole suite (unit, API, state, real-browser tests), installing what it needs; its
#                results go to data/test-results.json for the page /legal/privacy/commitments
# Also: make prod (production mode on one port, FLUXENT_PORT; several workers when REFLEX_REDIS_URL
# is set), make bench.
# Installs are recorded in .stamps/, so a second run with nothing changed installs nothing.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := run

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
BUN_VERSION := 1.4.4
BUN := .tools/node_modules/.bin/bun
AXE_VERSION := 4.14.1
AXE := .tools/node_modules/axe-core/axe.min.js
LIGHTHOUSE_VERSION := 12.8.2
LIGHTHOUSE := .tools/node_modules/.bin/lighthouse
STAMPS := .stamps
# Stamps are named by the requirements' content, not their mtime: `reflex run` rewrites
# requirements.txt unchanged, which must not trigger a reinstall.
REQ_STAMP := $(STAMPS)/python-$(shell sha256sum requirements.txt | cut -c1-16)
DEV_STAMP := $(STAMPS)/python-dev-$(shell cat requirements.txt requirements-dev.txt | sha256sum | cut -c1-16)

export PATH := $(CURDIR)/.tools/node_modules/.bin:$(CURDIR)/$(VENV)/bin:$(PATH)
export REFLEX_TELEMETRY_ENABLED := false
export REFLEX_CHECK_LATEST_VERSION := false
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test prod bench bench-lighthouse deps deps-dev browser wrk migrate seed clean

run: deps migrate seed
	$(VENV)/bin/reflex run

test: deps-dev browser
	$(PY) -m pytest --record-results

prod: deps
	FLUXENT_ENV=$${FLUXENT_ENV:-production} $(PY) -m fluxent check-config
	FLUXENT_ENV=$${FLUXENT_ENV:-production} $(PY) -m fluxent migrate
	FLUXENT_ENV=$${FLUXENT_ENV:-production} $(PY) -m fluxent storage encrypt-existing
	FLUXENT_ENV=$${FLUXENT_ENV:-production} $(PY) -m fluxent serving-plan
	FLUXENT_ENV=$${FLUXENT_ENV:-production} $(VENV)/bin/reflex run --env prod --single-port \
		--backend-port $${FLUXENT_PORT:-8000}

bench: deps-dev wrk
	$(PY) bench/audit.py
	$(PY) bench/privacy_export.py
	$(PY) bench/auth.py
	$(PY) bench/portal.py
	$(PY) bench/billing.py
	$(PY) bench/api.py
	$(PY) bench/esign.py
	$(PY) bench/retention.py
	$(PY) bench/vault.py
	$(PY) bench/file_encryption.py

# Lighthouse scores and first-load JavaScript of every public page (production build).
bench-lighthouse: deps-dev browser $(LIGHTHOUSE)
	bash bench/lighthouse.sh

migrate: deps
	$(PY) -m fluxent migrate
	$(PY) -m fluxent storage encrypt-existing

seed: deps
	$(PY) -m fluxent seed

deps: $(REQ_STAMP) $(BUN)

deps-dev: deps $(DEV_STAMP) $(AXE)

$(REQ_STAMP):
	@mkdir -p $(STAMPS)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	rm -f $(STAMPS)/python-*
	touch $@

$(DEV_STAMP): $(REQ_STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(STAMPS)/python-dev-*
	touch $@

# Reflex would download bun from the internet; take it from the npm registry instead.
$(BUN):
	npm install --prefix .tools --no-audit --no-fund --silent bun@$(BUN_VERSION)
	test -x $(BUN)

# The browser tests inject axe-core (accessibility rules) into every public page.
$(AXE): $(BUN)
	npm install --prefix .tools --no-audit --no-fund --silent axe-core@$(AXE_VERSION)
	test -f $(AXE)

# Lighthouse for bench/lighthouse.sh, only when the bench runs.
$(LIGHTHOUSE): $(BUN)
	npm install --prefix .tools --no-audit --no-fund --silent lighthouse@$(LIGHTHOUSE_VERSION)
	test -x $(LIGHTHOUSE)

# Browser tests use Debian's Chromium. Installed here when missing and running as root;
# otherwise the browser tests fail under CI=true and are skipped elsewhere.
browser:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core fonts-liberation >/dev/null; \
	fi

# bench/api.py loads the server with wrk (Debian's package), installed when missing and running as root.
wrk:
	@if ! command -v wrk >/dev/null && [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	fi
	@command -v wrk >/dev/null || { echo "bench/api.py needs wrk: apt-get install wrk"; exit 1; }

clean:
	rm -rf .web $(STAMPS) .pytest_cache tests/e2e/artifacts
