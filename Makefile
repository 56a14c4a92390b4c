# The README's commands. Everything installs into .venv; nothing but python3 and make is assumed.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
RUNTIME_STAMP := $(VENV)/.runtime-installed
DEV_STAMP := $(VENV)/.dev-installed
DEMO_ENV := DEBUG=True THREDFI_BASE_URL=http://127.0.0.1:8765

.PHONY: demo test lint format bench bench-faults clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(RUNTIME_STAMP): requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(RUNTIME_STAMP) $@

## demo: run the dashboard on http://127.0.0.1:8000 against the bundled sandbox (Ctrl-C stops both)
demo: $(RUNTIME_STAMP)
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	$(DEMO_ENV) $(PY) manage.py seed_demo
	$(DEMO_ENV) PY=$(PY) bash scripts/demo.sh

## test: ruff, then every test (unit, sandbox contract, client over HTTP, views, browser)
test: $(DEV_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m pytest

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(DEV_STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## bench: latency/throughput of the detail page vs the direct upstream call (needs wrk)
bench: $(DEV_STAMP)
	$(PY) -m bench.run

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

## bench-faults: concurrency 16 for 30 s with 10% upstream faults: zero 500s, no lost audit rows
bench-faults: $(DEV_STAMP)
	$(PY) -m bench.load_faults
