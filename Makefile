# The one way to do each chore, for people and CI alike.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python

.PHONY: install run worker api test lint format schema check-schema bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed  ## create .venv and install the project with its dev tools

run: install  ## API + worker on SQLite, with a Redis of its own if none answers; loads the sample
	$(PY) scripts/run.py

api: install  ## the API alone (uvicorn)
	$(PY) -m uvicorn service.app:app --host 127.0.0.1 --port 8000

worker: install  ## one worker alone (arq)
	$(PY) -m arq workers.WorkerSettings

test: install  ## the whole test suite (SQLite and PostgreSQL, real Redis and workers)
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install  ## ruff and mypy (strict on service/ and workers/)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

format: install
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

schema: install  ## write schema.graphql from the running schema
	$(PY) -c 'from service.graphql.schema import schema; print(schema.as_str())' > schema.graphql

bench: install  ## benchmark suite (needs PostgreSQL and Redis; ~15 min on 2 cores): writes bench/RESULTS.md
	$(PY) -m bench.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .run yorozu.db yorozu.db-*
