# Two entry points do all set-up on a machine with only python3 and make:
#   make run   -> builds .venv if needed, then `ingest run raw/ clean/`
#   make test  -> builds .venv if needed, then the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test bench fuzz clean-venv

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
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n 2 -q

# Longer fuzzing than the suite's bounded run (tests/hostile/test_fuzz.py): random seeds,
# FUZZ_EXAMPLES per generator. A failing input goes into tests/hostile/fuzz_corpus/.
FUZZ_EXAMPLES ?= 3000
fuzz: $(STAMP)
	INGEST_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -q -p no:xdist -p no:cacheprovider tests/hostile/test_fuzz.py

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

clean-venv:
	rm -rf $(VENV)
