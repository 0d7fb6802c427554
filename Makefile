# Two commands for a new machine:  `make run` (install + start)  and  `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
HOST   ?= 127.0.0.1
LOCK_FLAGS := --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links
PORT   ?= 5000

.PHONY: run install lock system-packages test test-servers lint bench clean-instance

# requirements-dev.txt is the lock (every package, transitive ones too, pinned; compiled by
# `make lock` from requirements*.in): --no-deps installs exactly it, and `pip check` fails
# the install if the lock misses a package something in it needs.
$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --no-deps -r requirements-dev.txt
	$(PY) -m pip check
	touch $@

system-packages:
	@bash scripts/install-system-packages.sh

install: system-packages $(VENV)/.installed

## Compile the lock files from requirements.in / requirements-dev.in (after editing a pin).
lock:
	$(PY) -m piptools compile --quiet $(LOCK_FLAGS) -o requirements.txt requirements.in
	$(PY) -m piptools compile --quiet $(LOCK_FLAGS) -o requirements-dev.txt requirements-dev.in

## Install everything and start web + worker on the embedded defaults (SQLite, embedded Redis).
run: install
	$(PY) -m flask --app web bootstrap
	HOST=$(HOST) PORT=$(PORT) bash scripts/run.sh

## Run the whole test suite (embedded defaults unless DATABASE_URL / REDIS_URL are set).
test: install
	$(PY) -m pytest -q

## The suite against the PostgreSQL and Redis servers of this machine.
test-servers: install
	DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test REDIS_URL=redis://127.0.0.1:6379/0 \
		$(PY) -m pytest -q

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

## Benchmarks (figures in the README): rendering, PDF, the plan parser.
bench: install
	$(PY) -m bench.render
	$(PY) -m bench.pdf
	$(PY) -m bench.ingest
