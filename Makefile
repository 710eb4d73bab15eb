# Quick start: `make run` (demo site on http://127.0.0.1:8000) and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
HOST   ?= 127.0.0.1
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

.PHONY: help venv install run test test-browser lint format messages bench bench-standings clean

help:
	@echo "make run           demo site on http://$(HOST):$(PORT) (SQLite, local files)"
	@echo "make test          the whole test suite (SQLite; DATABASE_URL to use PostgreSQL)"
	@echo "make test-browser  the Playwright tests in Debian's chromium"
	@echo "make lint          ruff format --check + ruff check + makemigrations --check"
	@echo "make messages      refresh and compile the Vietnamese catalogue"
	@echo "make bench         benchmarks (20,000 entries); results in bench/results/"
	@echo "make bench-standings  standings at 2,000 and 20,000 entries, SQLite and PostgreSQL"

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
	$(PY) manage.py seed_demo
	@echo ""
	@echo "  Hanoi Creative Design Award — demo on http://$(HOST):$(PORT)/"
	@echo "  Demo logins (password: hanoi-design-2026):"
	@echo "    organizer@demo.hcda.vn  (admin: http://$(HOST):$(PORT)/admin/)"
	@echo "    juror@demo.hcda.vn"
	@echo "    creator@demo.hcda.vn"
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

bench: install
	$(PY) bench/run.py $(ARGS)

bench-standings: install
	$(PY) bench/standings.py $(ARGS)

clean:
	rm -rf $(VENV) var
