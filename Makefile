# Two commands on a fresh machine: `make run` (the bot, SQLite) and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: run test sandbox bench lint

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test,browser,bench]"
	touch $@

run: $(VENV)/.installed  ## run the bot (reads .env; SQLite by default)
	$(VENV)/bin/frontdoor run

sandbox: $(VENV)/.installed  ## the bot on an emulated Telegram, in the browser: http://127.0.0.1:8080
	$(VENV)/bin/frontdoor sandbox

test: $(VENV)/.installed  ## lint, type-check, check the floor plan and the catalogue, run every test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports
	$(VENV)/bin/frontdoor check catalogue.yaml
	$(PY) -m pytest

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports
