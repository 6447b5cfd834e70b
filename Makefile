# Launchpad developer entry points. `make run` is all a newcomer needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed.make-stamp

.PHONY: venv run test lint bench clean distclean smoke load

venv: $(STAMP)

# The virtualenv itself, made once with a Python that is new enough.
$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
	  echo "Launchpad needs Python >= 3.11, but '$(PYTHON)' is:" \
	    "$$($(PYTHON) --version 2>/dev/null || echo 'not found')."; \
	  echo "Install a newer Python and run e.g.: make PYTHON=python3.12 $(MAKECMDGOALS)"; \
	  exit 1; }
	$(PYTHON) -m venv $(VENV)

# Reinstall only when pyproject.toml changed since the last successful install.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

run: venv
	$(BIN)/launchpad db upgrade
	$(BIN)/launchpad seed-demo
	$(BIN)/launchpad run

test: venv
	$(BIN)/pytest -q

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: venv
	@set -e; found=0; for script in benchmarks/*.py; do \
	  [ -e "$$script" ] || continue; found=1; \
	  echo "== $$script"; $(BIN)/python "$$script"; \
	done; [ $$found = 1 ] || echo "no benchmarks/*.py scripts yet"

# Production layout without Docker (gunicorn, 2 workers, cron) on this machine's
# PostgreSQL and Redis; then the long load test (prints throughput and percentiles).
smoke: venv
	$(BIN)/python tests/smoke/run_smoke.py

load: venv
	$(BIN)/python benchmarks/load/run_load.py --profile full --out build/load-full.json

# Caches and build leftovers only: never the venv or instance/ (it holds your data).
clean:
	rm -rf .pytest_cache .mypy_cache .ruff_cache .import_linter_cache .benchmarks build dist *.egg-info $(STAMP)
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
