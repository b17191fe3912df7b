# Two commands a newcomer needs: `make run` and `make test`. Both set themselves up first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test lint install sandbox translations font

$(BIN)/.installed: pyproject.toml setup.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/.installed

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

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# -rs: every skipped test prints its reason (a PostgreSQL server that did not answer, …).
test: lint
	$(BIN)/python -m pytest -rs

# Extract messages, merge them into both catalogues (then translate, then `make test`).
translations: install
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k r -k ngettext:1,2 -k plain -k plural:1,2 \
		--no-location --sort-output -o locales/messages.pot .
	$(BIN)/pybabel update -i locales/messages.pot -d locales -D messages --no-fuzzy-matching

# The ledger chart's Chinese font: Noto Sans CJK SC cut down to the characters of the zh_CN
# catalogue (handlers/fonts/). Run after translating when tests/unit/test_ledger_chart.py asks.
font: install
	$(BIN)/python tools/subset_font.py
