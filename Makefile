# Two commands on a fresh machine: `make run` (the demo) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test lint bench journey

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.app-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.app-installed

run: $(VENV)/.app-installed
	$(BIN)/breachdesk db upgrade
	$(BIN)/breachdesk demo
	$(BIN)/breachdesk serve --host 127.0.0.1 --port $(PORT)

test: $(VENV)/.test-installed
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }
	@[ -x /usr/lib/postgresql/15/bin/postgres ] || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq postgresql-15 >/dev/null; }
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n 2

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Walk the whole journey again and refresh the pictures in docs/journey.
journey: $(VENV)/.test-installed
	JOURNEY_SHOTS=$(CURDIR)/docs/journey $(BIN)/python -m pytest tests/browser/test_whole_journey.py

bench: $(VENV)/.test-installed
	for script in benchmarks/bench_*.py; do $(BIN)/python $$script || exit 1; done
