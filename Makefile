# Quick start: `make run` (demo site on http://127.0.0.1:8000) and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
HOST   ?= 127.0.0.1
PHASE  ?= open
# Links in emails sent outside a request (and the default for all of them) follow the server.
SITE_URL ?= http://$(HOST):$(PORT)

# The newest Python >= 3.12: on PATH first, then through pyenv. pyenv's shims for
# versions other than the global one only answer with PYENV_VERSION set, so ask
# pyenv for the real interpreter path instead of calling the shim.
define FIND_PYTHON
ok() { "$$@" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; }; \
for c in python3.14 python3.13 python3.12 python3; do \
  if command -v $$c >/dev/null 2>&1 && ok $$c; then command -v $$c; exit 0; fi; \
done; \
if command -v pyenv >/dev/null 2>&1; then \
  for v in $$(pyenv versions --bare 2>/dev/null | grep -E '^3\.[0-9]+(\.[0-9]+)?$$' | sort -rV); do \
    p=$$(PYENV_VERSION=$$v pyenv which python 2>/dev/null) && ok "$$p" && { echo "$$p"; exit 0; }; \
  done; \
fi; \
exit 1
endef

.PHONY: help venv install run test test-browser lint format messages bench bench-entries bench-surge bench-jury bench-standings bench-certificates bench-results-pages clean

help:
	@echo "make run           demo site on http://$(HOST):$(PORT) (SQLite, local files)"
	@echo "make test          the whole test suite (SQLite; DATABASE_URL to use PostgreSQL)"
	@echo "make test-browser  the Playwright tests in Debian's chromium"
	@echo "make lint          ruff format --check + ruff check + makemigrations --check"
	@echo "make messages      refresh and compile the Vietnamese catalogue"
	@echo "make bench         every benchmark below, one after the other; tables in bench/results/"
	@echo "make bench-entries organizer pages, export, finalize: SQLite and PostgreSQL, 2,000 and 20,000 entries"
	@echo "make bench-surge   a deadline night through gunicorn on PostgreSQL; bench/results/surge-latest.md"
	@echo "make bench-jury    the jury: queue, scoring page, assignment, progress board"
	@echo "make bench-standings  standings at 2,000 x 8 and 20,000 x 5 scorecards"
	@echo "make bench-results-pages  the public results pages at 60 winners"
	@echo "make bench-certificates   certificate PDFs"

$(PY):
	@python=$$( $(FIND_PYTHON) ) || { echo "Python >= 3.12 not found (on PATH or through pyenv)." >&2; exit 1; }; \
	echo "Using $$python ($$($$python --version))"; \
	"$$python" -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet ".[dev]"
	@touch $@

venv install: $(VENV)/.installed

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --phase $(PHASE)
	@echo ""
	@echo "  Hanoi Creative Design Award — demo on http://$(HOST):$(PORT)/"
	@echo "  Demo logins (password: hanoi-design-2026):"
	@echo "    organizer@demo.hcda.vn  (admin: http://$(HOST):$(PORT)/admin/)"
	@echo "    juror@demo.hcda.vn      (jury page: http://$(HOST):$(PORT)/vi/jury/)"
	@echo "    creator@demo.hcda.vn"
	@echo "  The current edition is $(PHASE). To try the jury, put it in its judging phase"
	@echo "  (round 1 open, entries assigned, some scored) — now, in another terminal:"
	@echo "    $(PY) manage.py seed_demo --phase judging"
	@echo "  or next time: make run PHASE=judging. Back to open for entries: --phase open."
	@echo "  Emails (verification, password reset, receipts) are not sent: they are printed"
	@echo "  in this terminal, kept in var/mail/ and readable, links clickable, on"
	@echo "    http://$(HOST):$(PORT)/vi/dev/emails/"
	@echo ""
	SITE_URL=$(SITE_URL) $(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(PY) -m pytest -m "not browser" $(ARGS)

test-browser: install
	$(PY) -m pytest -m browser $(ARGS)

lint: install
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

messages: install
	$(PY) manage.py makemessages -l vi --no-wrap --no-location --no-obsolete --ignore=.venv --ignore=var --ignore=tests --ignore=bench
	$(PY) manage.py compilemessages --ignore=.venv

# Each benchmark writes its own table (bench/results/*-latest.md); `make bench` runs them all
# except the surge, which needs PostgreSQL and a minute of load (make bench-surge).
bench: bench-entries bench-jury bench-standings bench-results-pages bench-certificates

bench-entries: install
	$(PY) bench/run.py $(ARGS)

bench-surge: install
	$(PY) bench/surge.py $(ARGS)

bench-jury: install
	$(PY) bench/jury.py $(ARGS)

bench-standings: install
	$(PY) bench/standings.py

bench-results-pages: install
	$(PY) bench/results_pages.py

# Certificate PDFs, median of 20 in-process requests per language (bench/results/certificates-latest.md).
bench-certificates: install
	$(PY) bench/certificates.py

clean:
	rm -rf $(VENV) var
