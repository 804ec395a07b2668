# One Makefile for the whole project: every target does its own set-up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
UV_VERSION := 0.13.9
export UV_PROJECT_ENVIRONMENT := $(VENV)
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# Two workers: the suite is CPU-bound and CI machines have two cores (keeps CI well inside 15 min).
PYTEST_WORKERS ?= 2
BENCH_ARGS ?=

.PHONY: install demo test migrate messages schema bench-api bench-import bench-linkage bench-dashboard clean

$(UV):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --inexact --quiet
	@touch $@

install: $(VENV)/.synced

migrate: install
	$(BIN)/naikkelas migrate --noinput

demo: install
	$(BIN)/naikkelas migrate --noinput
	$(BIN)/naikkelas seed-demo
	$(BIN)/naikkelas collectstatic --noinput --verbosity 0
	@$(BIN)/naikkelas demo-logins
	@# The background worker runs the imports confirmed in the browser; it stops with the server.
	@$(BIN)/naikkelas db_worker --no-reload --verbosity 0 >var/worker.log 2>&1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/naikkelas runserver $(HOST):$(PORT)

test: install
	$(BIN)/naikkelas check --fail-level WARNING
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

messages: install
	cd naikkelas && ../$(BIN)/naikkelas makemessages -l id --no-obsolete --no-location && ../$(BIN)/naikkelas compilemessages -l id

schema: install
	$(BIN)/naikkelas spectacular --lang en --file openapi.yaml --validate --fail-on-warn

# 1,000,000 enterprises in PostgreSQL (database naikkelas_bench), gunicorn, wrk on loopback.
bench-api: install
	$(BIN)/python -m benchmarks.bench_api $(BENCH_ARGS)

# 1,000,000 rows as .csv and .xlsx imported into PostgreSQL (database nk_imports_bench), against
# COPY and django-import-export. Small run: make bench-import BENCH_ARGS="--rows 20000".
bench-import: install
	$(BIN)/python -m benchmarks.bench_import $(BENCH_ARGS)

# Record linkage: our engine and Splink (DuckDB) on generated Indonesian lists (10k, 1M) and FEBRL.
bench-linkage: install
	$(BIN)/python -m benchmarks.bench_linkage $(BENCH_ARGS)

# 4,500,000 enterprises in PostgreSQL (database nk_dashboard_bench): rollup refreshes and the
# dashboard beside a plain GROUP BY and DuckDB. Small run: BENCH_ARGS="--enterprises 20000".
bench-dashboard: install
	$(BIN)/python -m benchmarks.bench_dashboard $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var/ staticfiles/ .pytest_cache
