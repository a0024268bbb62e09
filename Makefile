# Two entry points do all set-up on a machine with only python3 and make:
#   make run   -> builds .venv if needed, then `ingest run raw/ clean/`
#   make test  -> builds .venv if needed, then the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test bench clean-venv

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the project metadata changes (idempotent, fast on rerun).
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev,dask,trafilatura]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/ingest run raw clean

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 -q

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

clean-venv:
	rm -rf $(VENV)
