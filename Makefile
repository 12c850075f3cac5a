# bonemets: developer tasks. GNU make; recipes run in bash.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON   ?= python3
VENV     := .venv
VENV_PY  := $(VENV)/bin/python
VENV_PIP := $(VENV)/bin/pip
EXTRAS   := notebooks,cohort,dev
# Touched after a successful install; reinstall only when pyproject.toml is newer.
STAMP    := $(VENV)/.installed

# What `make run` does: Voila serves the explorer notebook on 127.0.0.1:$(PORT) (PORT=... to change).
# Voila also reads voila.json here: the lab extension it does not need is off; a kernel whose page was
# closed is shut down after 10 idle minutes; no websocket keep-alive pings (the server is local, and
# jupyter_server's ping timeout of 3 intervals makes tornado >= 6.5 log a warning at the first page).
# `jupyter trust` signs the notebook in the user's Jupyter data, so that Voila does not warn it is
# untrusted; kernels talk over IPC sockets, not TCP ports (ipykernel warns of unencrypted TCP).
PORT     ?= 8866
EXPLORER := notebooks/02_explorer.ipynb
RUN_CMD  ?= echo "bonemets explorer: http://127.0.0.1:$(PORT)/ (Ctrl-C to stop)" && \
  $(VENV)/bin/jupyter trust $(EXPLORER) >/dev/null && \
  $(VENV)/bin/voila $(EXPLORER) --no-browser --port=$(PORT) --Voila.ip=127.0.0.1 --KernelManager.transport=ipc

# Tests: unit tests first, then the notebooks (only if notebooks/ holds any .ipynb,
# since pytest exits 5 when it collects nothing).
PYTEST            ?= $(VENV_PY) -m pytest
NOTEBOOK_DIR      ?= notebooks
UNIT_TEST_CMD     ?= $(PYTEST) tests
NOTEBOOK_TEST_CMD ?= $(PYTEST) --nbval-lax --nbval-current-env \
  --nbval-sanitize-with $(NOTEBOOK_DIR)/nbval_sanitize.cfg $(NOTEBOOK_DIR)/

BENCH_DIR ?= benchmarks

# The core package alone (no extras) resolves to a newer pandas than the extras allow (lifelines
# requires pandas<3): test-core runs the tests marked `core` there, in its own venv.
CORE_VENV  := .venv-core
.PHONY: help venv run test test-core bench clean notebooks

help: ## list the targets
	@echo "bonemets make targets:"
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | \
	  awk 'BEGIN {FS = ":.*## "} {printf "  %-8s %s\n", $$1, $$2}'

venv: $(STAMP) ## create .venv and pip install -e ".[notebooks,cohort,dev]" (only when pyproject.toml changed)

$(VENV_PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(VENV_PY)
	$(VENV_PIP) install -e ".[$(EXTRAS)]"
	touch $(STAMP)

run: venv ## serve the explorer with Voila on http://127.0.0.1:$(PORT)/ (RUN_CMD)
	$(RUN_CMD)

test: venv ## unit tests, then notebooks with nbval (if any)
	$(UNIT_TEST_CMD)
	@if [ -d "$(NOTEBOOK_DIR)" ] && find "$(NOTEBOOK_DIR)" -name '*.ipynb' -not -path '*/.ipynb_checkpoints/*' | grep -q .; then \
	  echo '$(NOTEBOOK_TEST_CMD)'; \
	  $(NOTEBOOK_TEST_CMD); \
	else \
	  echo "no .ipynb in $(NOTEBOOK_DIR)/: notebook tests skipped"; \
	fi

test-core: ## the core tests with only the core dependencies installed (newest pandas), in .venv-core
	@[ -x $(CORE_VENV)/bin/python ] || $(PYTHON) -m venv $(CORE_VENV)
	$(CORE_VENV)/bin/pip install -q -e . pytest hypothesis jsonschema
	@$(CORE_VENV)/bin/python -c "import numpy, pandas; print('core:', 'pandas', pandas.__version__, 'numpy', numpy.__version__)"
	$(CORE_VENV)/bin/python -m pytest -p no:cacheprovider -m core tests

bench: venv ## run every benchmarks/*.py with the venv python
	@set -e; shopt -s nullglob; files=($(BENCH_DIR)/*.py); \
	if [ $${#files[@]} -eq 0 ]; then echo "no $(BENCH_DIR)/*.py to run"; fi; \
	for f in "$${files[@]}"; do echo "== $(VENV_PY) $$f"; $(VENV_PY) "$$f"; done

# `make notebooks` re-executes these (NOTEBOOKS=notebooks/03_what_if.ipynb for one).
NOTEBOOKS ?= $(sort $(wildcard $(NOTEBOOK_DIR)/[0-9]*.ipynb))
notebooks: venv ## re-execute the notebooks in place, keep outputs, strip widget state (after a knowledge change)
	@set -e; for nb in $(NOTEBOOKS); do \
	  echo "== $$nb"; \
	  $(VENV)/bin/jupyter nbconvert --to notebook --execute --inplace "$$nb"; \
	  $(VENV)/bin/nbstripout --keep-output --keep-count "$$nb"; \
	done

clean: ## remove .venv, caches and build outputs
	rm -rf $(VENV) $(CORE_VENV) .pytest_cache .hypothesis build dist *.egg-info
	find . -path ./.git -prune -o \( -name __pycache__ -o -name .ipynb_checkpoints \) -type d -prune -exec rm -rf {} +
