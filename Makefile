# The one way to do each chore, for people and CI alike.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python

.PHONY: install run worker api test lint format schema check-schema bench screenshots clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

# The dashboard and GraphiQL pages: npm ci when the lock file changes, a build when a source does.
FRONTEND_SOURCES := $(shell find frontend/src -type f) $(wildcard frontend/*.html frontend/*.ts \
	frontend/tsconfig.json frontend/package.json docs/queries/*.graphql)

frontend/node_modules/.package-lock.json: frontend/package-lock.json
	@command -v npm >/dev/null || { echo "the frontend needs Node.js 20.19+ and npm"; exit 1; }
	cd frontend && npm ci --no-audit --no-fund
	touch $@

service/static/.built: frontend/node_modules/.package-lock.json $(FRONTEND_SOURCES)
	cd frontend && npm run build
	touch $@

install: $(VENV)/.installed service/static/.built  ## .venv with the project and dev tools; the frontend built

run: install  ## API + worker on SQLite, with a Redis of its own if none answers; loads the sample
	$(PY) -m service.dev.run

api: install  ## the API alone (uvicorn with the client limits, service.server)
	$(PY) -m service.server --host 127.0.0.1 --port 8000

worker: install  ## one worker alone (arq)
	$(PY) -m arq workers.WorkerSettings

test: install  ## the whole test suite (SQLite and PostgreSQL, real Redis and workers)
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install  ## ruff, mypy (strict on service/ and workers/) and the import direction (import-linter)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
	$(VENV)/bin/lint-imports

format: install
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

schema: install  ## write schema.graphql from the running schema
	$(PY) -c 'from service.graphql.schema import schema; print(schema.as_str())' > schema.graphql

screenshots: install  ## docs/screenshots/*.png, taken by the browser tests (CJK fonts: apt-get install fonts-noto-cjk)
	mkdir -p docs/screenshots
	SCREENSHOTS=docs/screenshots REQUIRE_BROWSER=1 $(PY) -m pytest tests/browser -q

bench: install  ## benchmark suite (needs PostgreSQL and Redis; ~15 min on 2 cores): writes bench/RESULTS.md
	$(PY) -m bench.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .run yorozu.db yorozu.db-* frontend/node_modules service/static
