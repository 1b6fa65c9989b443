# Claims & denials toolkit. `make` (or `make help`) lists the targets.
# Everything runs inside .venv/, built on first use from pyproject.toml + requirements.lock.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

CORPUS ?= data/demo
STORY  ?= data/stories/demo.yml
OUT    ?=
JOBS   ?= 0
DATE_FROM ?=
DATE_TO   ?=

# User values reach the commands through the environment, never through the recipe's text: `$(value X)`
# stops make from expanding a `$` in them, and the recipes quote "$$HELPERS_X", so quotes, dollars,
# spaces or backticks in a path are just characters of that path, and nothing in them is run.
export HELPERS_CORPUS    := $(value CORPUS)
export HELPERS_STORY     := $(value STORY)
export HELPERS_OUT       := $(value OUT)
export HELPERS_JOBS      := $(value JOBS)
export HELPERS_DATE_FROM := $(value DATE_FROM)
export HELPERS_DATE_TO   := $(value DATE_TO)
# make would put command-line variables into the recipes' environment too, expanding them (a
# `$(shell ...)` in a value would run): only the HELPERS_* copies above are exported.
unexport CORPUS STORY OUT JOBS DATE_FROM DATE_TO

.DEFAULT_GOAL := help
.PHONY: help setup report analyze evaluate test test-fast lint lab bench browser lock clean

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN{FS=":.*?## "}{printf "  make %-10s %s\n", $$1, $$2}'
	@printf '  Variables: CORPUS=%s STORY=%s\n' "$$HELPERS_CORPUS" "$$HELPERS_STORY"

$(STAMP): pyproject.toml requirements.lock
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found (Python 3.11 is required)"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e .
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	@touch $(STAMP)

setup: $(STAMP) ## Build the virtual environment .venv/ (done automatically by the other targets)

browser: ## Install Debian's chromium for the browser tests when it is missing (needs root or sudo)
	@bash scripts/ensure-chromium.sh

report: $(STAMP) ## Run every notebook on CORPUS/STORY (DATE_FROM/DATE_TO optional) and render HTML into reports/<story>/
	$(PY) -m helpers report --corpus "$$HELPERS_CORPUS" --story "$$HELPERS_STORY" \
	  $${HELPERS_DATE_FROM:+--date-from "$$HELPERS_DATE_FROM"} $${HELPERS_DATE_TO:+--date-to "$$HELPERS_DATE_TO"}

analyze: $(STAMP) ## Write the analysis tables (Parquet) for CORPUS/STORY into OUT (default data/processed/<story file name>)
	story="$${HELPERS_STORY##*/}"; out="$${HELPERS_OUT:-data/processed/$${story%.*}}"; \
	$(PY) -m helpers analyze "$$HELPERS_CORPUS" --story "$$HELPERS_STORY" --out "$$out" --jobs "$$HELPERS_JOBS"

evaluate: $(STAMP) ## Print precision/recall against the gold annotations
	$(PY) -m helpers evaluate

test: $(STAMP) browser ## Run the whole test suite (unit, property, notebooks with nbval + papermill, browser)
	$(PY) -m pytest -n 2 --dist loadgroup tests --doctest-modules src/helpers
	$(PY) -m pytest --nbval notebooks --nbval-sanitize-with tests/nbval_sanitize.cfg -p no:randomly

test-fast: $(STAMP) ## Unit tests only (no notebooks, no browser)
	$(PY) -m pytest -m "not slow" tests

lint: $(STAMP) ## Check the code with ruff (undefined names, unused imports, syntax errors; see pyproject.toml)
	$(VENV)/bin/ruff check src tests bench

lab: $(STAMP) ## Open JupyterLab on the notebooks
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root,)

bench: $(STAMP) ## Benchmark the pipeline on 1k/10k/100k synthetic articles (writes bench/results.md)
	$(PY) bench/run.py

lock: ## Re-resolve the pinned versions into requirements.lock (needs network)
	rm -rf $(VENV)-lock && $(PYTHON) -m venv $(VENV)-lock
	$(VENV)-lock/bin/pip install --quiet -e .
	$(VENV)-lock/bin/pip freeze --exclude-editable | grep -v '^helpers' > requirements.lock
	rm -rf $(VENV)-lock

clean: ## Remove generated outputs (keeps .venv and data/)
	rm -rf reports data/processed .pytest_cache
