# Together: `make run` to try it, `make test` to check it. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
STAMP := $(VENV)/.installed-requirements

# Django 6.1 needs Python 3.12 or newer. PYTHON=/path/to/python overrides the
# search; otherwise try python3.13 and python3.12 on PATH (a pyenv shim that
# is not selected fails the check and is skipped), then pyenv's installs.
define FIND_PYTHON
ok() { "$$1" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; }; \
if [ -n "$(PYTHON)" ]; then ok "$(PYTHON)" && { echo "$(PYTHON)"; exit 0; }; exit 1; fi; \
for candidate in python3.13 python3.12; do \
  path=$$(command -v $$candidate) && ok "$$path" && { echo "$$path"; exit 0; }; \
done; \
if command -v pyenv >/dev/null 2>&1; then \
  for version in $$(pyenv versions --bare 2>/dev/null | grep -E '^3\.1[23](\.[0-9]+)?$$' | sort -rV); do \
    path="$$(pyenv prefix $$version 2>/dev/null)/bin/python"; \
    ok "$$path" && { echo "$$path"; exit 0; }; \
  done; \
fi; \
exit 1
endef
export FIND_PYTHON

.PHONY: help run test serve lint venv clean messages backup restore lighthouse bench

help:
	@echo "make run    set up, load the demo content and serve http://127.0.0.1:8000"
	@echo "make test   set up and run every check and test"
	@echo "make serve  production mode on this machine (DEBUG off, gunicorn, task worker)"
	@echo "make bench  measure every public page and the pledge flow at demo and campaign size (PostgreSQL)"
	@echo "make messages  refresh the translation catalogues from the code (needs GNU gettext)"
	@echo "make cluster  nginx, two app servers and two workers on http://127.0.0.1:8080 (PORT=…, QUEUE=redis)"
	@echo "make cluster-stop  stop them; make cluster-check  60 s of load, one instance killed halfway"
	@echo "make backup    dump PostgreSQL, copy the media, write a manifest to var/backups/<UTC time>/"
	@echo "make restore FROM=var/backups/<UTC time>  restore into an empty database and check it"
	@echo "make lighthouse  Lighthouse (mobile) on five public pages in production mode, with thresholds"

$(STAMP): requirements.txt
	@python=$$(bash -c "$$FIND_PYTHON") || { \
	  echo "Together needs Python 3.13 or 3.12 (Django 6.1 requires 3.12 or newer)," >&2; \
	  echo "and none was found. Install one, or name it: make run PYTHON=/path/to/python3.12" >&2; \
	  exit 1; }; \
	if [ ! -x $(PY) ]; then echo "Creating $(VENV) with $$python"; "$$python" -m venv $(VENV); fi
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $(STAMP)

venv: $(STAMP)

# axe-core and the Nu HTML Checker for the browser tests, exactly as locked in
# package-lock.json. Without npm the browser tests skip (CI makes that fail).
NODE_STAMP := node_modules/.package-lock.json
$(NODE_STAMP): package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --silent --no-audit --no-fund && touch $(NODE_STAMP); \
	else \
	  echo "npm is not installed: the browser tests (axe-core, Nu HTML Checker) will be skipped."; \
	fi

run: $(STAMP)
	$(MANAGE) migrate --no-input
	$(MANAGE) load_demo
	$(MANAGE) runserver 127.0.0.1:8000

lint: $(STAMP)
	$(VENV)/bin/ruff check .

# The suite runs on SQLite, then on PostgreSQL when TEST_DATABASE_URL is set.
# The browser tests (tests/browser) run on the first only: they check what
# pages look like in a browser, which the database does not change, and they
# are most of the suite's time.
test: lint $(NODE_STAMP)
	$(MANAGE) check --fail-level WARNING
	$(MANAGE) makemigrations --check --dry-run
	$(VENV)/bin/pytest
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
	  echo "Running the suite again on $$TEST_DATABASE_URL, without the browser tests"; \
	  DATABASE_URL="$$TEST_DATABASE_URL" $(VENV)/bin/pytest --ignore=tests/browser; \
	fi

# For whoever changes interface text (needs GNU gettext): bring every
# catalogue in together/locale up to date with the code, then compile it.
# The compiled .mo files are committed, so running and testing the site need
# no gettext; tests/together/test_catalogues.py fails until the new strings
# are translated and compiled.
GETTEXT_IGNORE := --ignore=.venv --ignore=node_modules --ignore=tests --ignore=var
messages: $(STAMP)
	$(MANAGE) makemessages --all --no-obsolete $(GETTEXT_IGNORE)
	$(MANAGE) compilemessages $(GETTEXT_IGNORE)

# Production mode on this machine, over plain HTTP on 127.0.0.1:8000. A
# secret key is made once and kept in var/ (not in the repository).
# The task worker runs under a small supervisor, as systemd runs it in
# production (deploy/): whenever it exits it is started again 5 s later.
# (It re-queues undelivered emails itself when it starts.)
SERVE_ENV = DEBUG=0 HTTPS=0 ALLOWED_HOSTS=127.0.0.1,localhost SERVE_MEDIA=1 \
	SECRET_KEY="$$(cat var/serve-secret-key)"
# The worker of the chosen task backend (README, "Production: task backends").
SERVE_WORKER = $(if $(filter together.rq_tasks.RQBackend,$(TASKS_BACKEND)),rq_worker,db_worker --queue-name '*' --no-reload)
serve: $(STAMP)
	@mkdir -p var && [ -s var/serve-secret-key ] || $(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > var/serve-secret-key
	$(SERVE_ENV) $(MANAGE) migrate --no-input
	$(SERVE_ENV) $(MANAGE) collectstatic --no-input --verbosity 0
	@trap 'kill $$supervisor 2>/dev/null; wait $$supervisor' EXIT; \
	( trap 'kill $$worker 2>/dev/null; wait $$worker; exit 0' TERM INT; \
	  while :; do \
	    $(SERVE_ENV) $(MANAGE) $(SERVE_WORKER) & worker=$$!; \
	    wait $$worker; \
	    echo "make serve: the task worker exited (status $$?); starting it again in 5 s" >&2; \
	    sleep 5; \
	  done ) & supervisor=$$!; \
	$(SERVE_ENV) $(VENV)/bin/gunicorn -c together/gunicorn.conf.py together.wsgi

# Backups that restore (together/backups.py): PostgreSQL only, with the
# DATABASE_URL and MEDIA_ROOT of the environment, like the site itself.
backup: $(STAMP)
	$(MANAGE) backup

restore: $(STAMP)
	@[ -n "$(FROM)" ] || { echo "Say which backup: make restore FROM=var/backups/<UTC time>" >&2; exit 2; }
	$(MANAGE) restore "$(FROM)"

# Lighthouse (pinned in package.json) with Debian's Chromium on home, the
# stories list, a story, the campaign page and an event: performance >= 95,
# the other categories 100. Starts its own production server with the demo
# content unless LIGHTHOUSE_URL names a running site. Reports go to
# test-artifacts/lighthouse/. Slow (about 15 s a page), so not part of make test.
lighthouse: $(STAMP) $(NODE_STAMP)
	$(PY) -m tests.lighthouse.run

# The speed of every public page and of the pledge flow, at demo size and at
# campaign size, in a throwaway PostgreSQL database (together/bench/__main__.py
# lists its settings: BENCH_SECONDS, BENCH_POSTGRES, ...). Not part of `make
# test`: it takes about half an hour. wrk comes from Debian's packages.
bench: $(STAMP)
	@command -v wrk >/dev/null 2>&1 || { echo "Installing wrk (Debian package)"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get install -y wrk; else sudo apt-get install -y wrk; fi; }
	$(PY) -m together.bench

clean:
	rm -rf $(VENV) var db.sqlite3 db.sqlite3-wal db.sqlite3-shm

# Several instances on this machine, the production shape (README, "Running
# several instances"): nginx on PORT in front of two gunicorn instances,
# two task workers, the local PostgreSQL (database together_cluster) and
# Redis (database 5). Everything started is listed in var/cluster/*.pid.
PORT ?= 8080
.PHONY: cluster cluster-stop cluster-check
cluster: $(STAMP)
	PORT=$(PORT) QUEUE=$(QUEUE) $(PY) -m together.cluster start

cluster-stop:
	$(PY) -m together.cluster stop

# A 60 s load of pages and form posts through nginx, one instance killed
# halfway: 0 failed pages, every failed post answered "try again" and
# retried, and every accepted pledge and story found in the database.
cluster-check: $(STAMP)
	PORT=$(PORT) QUEUE=$(QUEUE) $(PY) -m together.cluster check
