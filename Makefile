# Two commands a newcomer needs: `make run` and `make test`. Both set themselves up first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test lint install install-dev lock sandbox translations font

# Installs come from the lock files (exact versions, made by `make lock`), not from whatever is
# newest that day: the same install on a developer's machine, in CI and in production.
$(BIN)/.installed: requirements.lock pyproject.toml setup.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

# The tests' and linters' tools on top, pinned to the same versions.
$(BIN)/.installed-dev: $(BIN)/.installed requirements-dev.lock
	$(BIN)/python -m pip install --quiet -r requirements-dev.lock
	touch $@

install: $(BIN)/.installed
install-dev: $(BIN)/.installed-dev

# After changing a dependency in pyproject.toml: pip-tools' pip-compile writes both lock files
# (`make lock UPGRADE=--upgrade` moves every pin to the newest allowed version).
LOCK := $(BIN)/pip-compile --quiet --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links $(UPGRADE)
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet "pip-tools>=7.4"
	$(LOCK) --output-file requirements.lock pyproject.toml
	$(LOCK) --extra dev --constraint requirements.lock --output-file requirements-dev.lock pyproject.toml

# The bot itself when DUTYDESK_BOT_TOKEN is set (environment or .env), else the offline sandbox.
run: install
	@if [ -n "$$DUTYDESK_BOT_TOKEN" ] || grep -qs '^DUTYDESK_BOT_TOKEN=.' .env; then \
		$(BIN)/dutydesk run; \
	else \
		echo "No DUTYDESK_BOT_TOKEN: starting the offline sandbox (see README)."; \
		$(BIN)/dutydesk sandbox; \
	fi

sandbox: install
	$(BIN)/dutydesk sandbox

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# -rs: every skipped test prints its reason (a PostgreSQL server that did not answer, …).
test: lint
	$(BIN)/python -m pytest -rs

# Extract messages, merge them into both catalogues (then translate, then `make test`).
translations: install-dev
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k r -k ngettext:1,2 -k plain -k plural:1,2 \
		--no-location --sort-output -o locales/messages.pot .
	$(BIN)/pybabel update -i locales/messages.pot -d locales -D messages --no-fuzzy-matching

# The ledger chart's Chinese font: Noto Sans CJK SC cut down to the characters of the zh_CN
# catalogue (render/fonts/). Run after translating when tests/unit/test_ledger_chart.py asks.
font: install-dev
	$(BIN)/python tools/subset_font.py
