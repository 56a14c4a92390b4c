# The README's commands. Everything installs into .venv; nothing but python3 and make is assumed.
# `make help` lists the targets: each has a `## target: description` line, which help prints.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
RUNTIME_STAMP := $(VENV)/.runtime-installed
DEV_STAMP := $(VENV)/.dev-installed
UV := $(VENV)/bin/uv
DEMO_ENV := DEBUG=True THREDFI_BASE_URL=http://127.0.0.1:8765

# Locks resolve against the default index only: this machine's pip configuration (local mirrors,
# find-links, constraints) must leak neither into the files nor into their hashes, so that a fresh
# machine can install them with --require-hashes. Extras are stripped so requirements.txt can be
# the constraint of requirements-dev.in; pip and setuptools are pinned (and hashed) like the rest.
LOCK_ENV := env -u PIP_FIND_LINKS -u PIP_EXTRA_INDEX_URL -u PIP_INDEX_URL -u PIP_NO_INDEX \
	-u PIP_CONSTRAINT PIP_CONFIG_FILE=/dev/null CUSTOM_COMPILE_COMMAND="make lock"
# Extra pip-compile arguments, e.g. `make lock LOCK_ARGS="--upgrade-package sentry-sdk"`.
LOCK_ARGS ?=
PIP_COMPILE = $(LOCK_ENV) $(abspath $(VENV))/bin/pip-compile --quiet --generate-hashes \
	--allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links \
	--no-emit-trusted-host $(LOCK_ARGS)
LOCKS := requirements.txt requirements-dev.txt requirements-install.txt

# Python may write bytecode here (__pycache__ is ignored by git). An environment that sets
# PYTHONDONTWRITEBYTECODE makes every process compile the app again (~0.2 s each, ~80 processes a
# test run) and stops pytest caching the test modules it rewrites (~2.5 s per worker per run).
unexport PYTHONDONTWRITEBYTECODE

.DEFAULT_GOAL := help
.PHONY: help install demo test test-fast lint format bench bench-faults bench-outage bench-hostile bench-directory bench-chaos contract-check lock lock-check clean

# The venv is made without pip: ensurepip installing (and byte-compiling) its bundled pip was
# ~5 s of a fresh `make install`. requirements-dev.txt pins (and hashes) pip, so the locked pip
# arrives with the rest, without an unpinned trip to PyPI.
$(PY):
	$(PYTHON) -m venv --without-pip $(VENV)

# The locks are installed by uv (requirements-install.txt, hash-checked like the rest): the same
# files, the same hashes, ~3 s instead of pip's ~25 s. uv itself comes from the pip of the python
# that made the venv (`pip --python`); a python without pip gives the venv its own first
# (ensurepip). Should uv fail (say, a machine that reaches only a pip mirror it does not know),
# pip installs the locks as before. uv byte-compiles the packages (--compile-bytecode, ~3 s on
# its own workers): left to import time, a fresh clone's test run compiled them in every worker
# and server that started before the first wrote its cache, ~44 s of CPU and ~23 s of the wall
# clock (pytest 153.3 s fresh against 130.1 s warm). pip's fallback keeps --no-compile.
VENV_PIP = { $(PY) -m pip --version >/dev/null 2>&1 || $(PY) -m ensurepip --default-pip >/dev/null; }
PIP_INSTALL = $(PY) -m pip install --quiet --no-compile --require-hashes -r $(1)
$(UV): requirements-install.txt | $(PY)
	$(PYTHON) -m pip --python $(PY) install --quiet --no-compile --require-hashes \
		-r requirements-install.txt 2>/dev/null || \
		{ $(VENV_PIP) && $(call PIP_INSTALL,requirements-install.txt); }
	touch $@
LOCK_INSTALL = $(UV) pip install --quiet --compile-bytecode --require-hashes --python $(PY) -r $(1) || \
	{ $(VENV_PIP) && $(call PIP_INSTALL,$(1)); }

$(RUNTIME_STAMP): requirements.txt | $(UV)
	$(call LOCK_INSTALL,requirements.txt)
	touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(UV)
	$(call LOCK_INSTALL,requirements-dev.txt)
	touch $(RUNTIME_STAMP) $@

## help: list the targets with what each does
help:
	@sed -n 's/^## \([a-zA-Z_-]*\): \(.*\)/\1\t\2/p' $(MAKEFILE_LIST) | \
		awk -F '\t' '{ printf "  make %-14s %s\n", $$1, $$2 }'

## install: create .venv and install the locked dev + runtime dependencies (hash-checked)
install: $(DEV_STAMP)

## demo: run the dashboard on http://127.0.0.1:8000 against the bundled sandbox (Ctrl-C stops both)
demo: $(RUNTIME_STAMP)
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	$(DEMO_ENV) $(PY) manage.py seed_demo
	$(DEMO_ENV) PY=$(PY) bash scripts/demo.sh

# Tests run on PYTEST_WORKERS pytest-xdist workers, 3 on 2 cores: the worker running the `timing`
# group keeps the normal CPU priority, the one running `browser` nice +5, and the rest run at
# SCHED_IDLE (tests/conftest.py), so the third worker only takes the CPU the two long groups
# leave (the seconds `timing` waits through outage windows). With 2 workers at nice 0/+5 the
# cores were ~67 % busy; a third one at nice +5 starved `timing` (6 of ~16 runs failed).
# `--dist loadgroup` keeps each xdist group (browser, timing, processes: docs/testing.md) on one
# worker; `--no-loadscope-reorder` hands them out in tests/conftest.py's order (timing first).
# Extra arguments: PYTEST_ARGS, e.g. `make test PYTEST_ARGS="--durations=20"`. Exit status 5
# (no tests collected) is a failure.
# `make test-fast` has no long group to fill around: 2 workers (TEST_FAST_WORKERS) do as well.
PYTEST_WORKERS ?= 3
TEST_FAST_WORKERS ?= 2
PYTEST = $(PY) -m pytest --dist loadgroup --no-loadscope-reorder $(PYTEST_ARGS)
define run_pytest
	@status=0; $(PYTEST) -n $(2) $(1) || status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: that is a failure" >&2; fi; \
	exit $$status
endef

## test: lint (ruff + the import contract), then every test (unit, sandbox, client over HTTP, views, browser)
test: lint
	$(call run_pytest,,$(PYTEST_WORKERS))

## test-fast: the inner loop: every test but browser and extra-process ones (-m "not browser and not processes")
test-fast: $(DEV_STAMP)
	$(call run_pytest,-m "not browser and not processes",$(TEST_FAST_WORKERS))

## lint: ruff check, ruff format --check and the import contract (.importlinter), as make test runs them
lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

## format: let ruff fix what it can and reformat the code
format: $(DEV_STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## bench: latency/throughput of the detail page vs the direct upstream call (needs wrk)
bench: $(DEV_STAMP)
	$(PY) -m bench.run

## bench-faults: concurrency 16 for 30 s with 10% upstream faults: zero 500s, no lost audit rows
bench-faults: $(DEV_STAMP)
	$(PY) -m bench.load_faults

## bench-outage: 64 people looking up while Thredfi hangs 20 s, then returns: page latency, fail-fast, recovery
bench-outage: $(DEV_STAMP)
	$(PY) -m bench.outage

## bench-hostile: hostile Thredfi answers on one process: status and time of each, other lookups meanwhile
bench-hostile: $(DEV_STAMP)
	$(PY) -m bench.hostile

## bench-directory: 25,000/100,000-business directory on SQLite and PostgreSQL: first page, fill time, search p50/p99
bench-directory: $(DEV_STAMP)
	$(PY) -m bench.directory

## bench-chaos: six people looking up while Redis hangs/restarts, PostgreSQL restarts, a worker dies
bench-chaos: $(DEV_STAMP)
	$(PY) -m bench.chaos

## contract-check: compare tests/sandbox/contract/ with the published contract in ../shared/thredfi/ (if present)
PUBLISHED_CONTRACT := ../shared/thredfi/get-customer.openapi.yaml
contract-check:
	@if [ -f $(PUBLISHED_CONTRACT) ]; then \
		cmp tests/sandbox/contract/get-customer.openapi.yaml $(PUBLISHED_CONTRACT) && \
		echo "contract-check: our copy is the published contract"; \
	else \
		echo "contract-check: no published contract beside this checkout; nothing to compare"; \
	fi

## lock: compile requirements*.in into hashed requirements*.txt (keeps pins; LOCK_ARGS=--upgrade)
lock: $(DEV_STAMP)
	$(PIP_COMPILE) --output-file requirements.txt requirements.in
	$(PIP_COMPILE) --output-file requirements-dev.txt requirements-dev.in
	$(PIP_COMPILE) --output-file requirements-install.txt requirements-install.in

## lock-check: fail when requirements*.txt are stale relative to requirements*.in (needs PyPI)
lock-check: $(DEV_STAMP)
	@scratch=$$(mktemp -d) && trap 'rm -rf "$$scratch"' EXIT && \
	cp requirements.in requirements-dev.in requirements-install.in $(LOCKS) "$$scratch"/ && \
	( cd "$$scratch" && \
	  $(PIP_COMPILE) --output-file requirements.txt requirements.in && \
	  $(PIP_COMPILE) --output-file requirements-dev.txt requirements-dev.in && \
	  $(PIP_COMPILE) --output-file requirements-install.txt requirements-install.in ) && \
	stale=0 && for lock in $(LOCKS); do \
	  grep -v '^#' "$$lock" > "$$scratch/$$lock.committed"; \
	  grep -v '^#' "$$scratch/$$lock" > "$$scratch/$$lock.compiled"; \
	  diff -u "$$scratch/$$lock.committed" "$$scratch/$$lock.compiled" || stale=1; \
	done && \
	if [ "$$stale" = 1 ]; then echo "lock-check: stale locks, run make lock" >&2; exit 1; fi && \
	echo "lock-check: $(LOCKS) match requirements*.in"

## clean: remove .venv, built static files and tool caches
clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
