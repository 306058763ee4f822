# Talent Tracker. The README's two commands: `make run` and `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
DEMO_FEEDS_PORT ?= 8001
# Exports DATABASE_URL and REDIS_URL, starting project-local services when needed, and a
# SECRET_KEY kept under .local/ when the environment has none.
WITH_SERVICES = eval "$$($(PY) scripts/devenv.py)" &&

.PHONY: help setup run test lint fmt bench screenshots migrate demo clean lock

help:
	@echo "make run    set up, load the demo world and start web + worker + beat on :$(PORT)"
	@echo "make test   set up, then ruff and the whole test suite"
	@echo "make lint | fmt | bench | screenshots | lock"

# Exact versions from the lock files (make lock), so CI, the image and a fresh machine
# install the same thing; the project itself is installed without resolving anything.
$(VENV)/.installed: pyproject.toml requirements/app.txt requirements/dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements/dev.txt
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $@

# Recompile the lock files after changing dependencies in pyproject.toml.
LOCK = $(VENV)/bin/uv pip compile pyproject.toml --quiet --python-version 3.11 --generate-hashes
lock:
	@test -x $(VENV)/bin/uv || $(PY) -m pip install --quiet uv
	$(LOCK) -o requirements/app.txt
	$(LOCK) --extra dev -c requirements/app.txt -o requirements/dev.txt

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

setup: $(VENV)/.installed node_modules/.installed

migrate: setup
	$(WITH_SERVICES) $(PY) manage.py migrate --no-input

demo: migrate
	$(WITH_SERVICES) $(PY) manage.py loaddemo

# Served as its users see it: DEBUG off, the app's own error pages, collected static files,
# a secret made once under .local/ (by devenv.py), mail as files under .local/mail/. Plain
# http on loopback, so no https redirect or secure cookies. DEMO=1 lets `democurator` make
# curator / curator. `DEBUG=1 make run` to develop.
run: setup
	@$(WITH_SERVICES) \
	  export DEBUG="$${DEBUG:-0}" DEMO=1 SITE_URL="$${SITE_URL:-http://127.0.0.1:$(PORT)}" \
	    STATIC_MANIFEST="$${STATIC_MANIFEST:-$$( [ "$${DEBUG:-0}" = 1 ] && echo 0 || echo 1 )}" \
	    SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0 SECURE_HSTS_SECONDS=0 && \
	  export FEED_ALLOW_PRIVATE_HOSTS="127.0.0.1:$(DEMO_FEEDS_PORT)$${FEED_ALLOW_PRIVATE_HOSTS:+,$$FEED_ALLOW_PRIVATE_HOSTS}" && \
	  export EMAIL_URL="$${EMAIL_URL:-file://$(CURDIR)/.local/mail}" && \
	  mkdir -p .local/mail && \
	  $(PY) manage.py migrate --no-input && \
	  $(PY) manage.py collectstatic --no-input -v0 && \
	  $(PY) manage.py loaddemo && \
	  $(PY) manage.py democurator && \
	  $(PY) manage.py loaddemofeeds http://127.0.0.1:$(DEMO_FEEDS_PORT)/ && \
	  $(PY) manage.py pollfeeds && \
	  echo "Talent Tracker on http://127.0.0.1:$(PORT)/ (web, worker, beat and demo feeds; Ctrl-C stops all)" && \
	  echo "Outgoing mail is written to $$EMAIL_URL (one .eml file per message)" && \
	  PATH="$(CURDIR)/$(VENV)/bin:$$PATH" WEB_PORT=$(PORT) DEMO_FEEDS_PORT=$(DEMO_FEEDS_PORT) \
	    exec $(VENV)/bin/honcho start

test: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(WITH_SERVICES) $(VENV)/bin/pytest $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: setup
	$(WITH_SERVICES) $(PY) -m tests.bench

screenshots: setup
	$(WITH_SERVICES) $(PY) scripts/screenshots.py

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .ruff_cache
